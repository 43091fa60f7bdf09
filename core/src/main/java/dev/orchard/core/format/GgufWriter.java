package dev.orchard.core.format;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes GGUF v3 files atomically. Metadata values: {@code String}, {@code Boolean}, {@code Integer} (u32),
 * {@code Long} (i64), {@code Float} (f32), {@code Double} (f64), or a {@code List} of one of those.
 * Tensor dims are given outermost first (rows, cols) and written innermost first, as GGUF wants.
 */
public final class GgufWriter {

    private static final int ALIGNMENT = 32;

    private record Entry(String name, long[] shape, GgmlType type, MemorySegment data) {
    }

    private final Map<String, Object> metadata = new LinkedHashMap<>();
    private final List<Entry> tensors = new ArrayList<>();

    /**
     * An empty metadata array of a given GGUF element type (8: string), which a Java list cannot say: e.g. the
     * merges of a byte-level tokenizer that has none, a key llama.cpp requires even when empty.
     */
    public record EmptyArray(int elementType) {
        public static final EmptyArray STRINGS = new EmptyArray(8);
    }

    public GgufWriter put(String key, Object value) {
        metadata.put(key, value);
        return this;
    }

    /** Adds a tensor; {@code shape} is outermost first, {@code data} already in {@code type}'s layout. */
    public GgufWriter add(String name, long[] shape, GgmlType type, MemorySegment data) {
        long elements = 1;
        for (long d : shape) {
            elements *= d;
        }
        if (type.bytesFor(elements) != data.byteSize()) {
            throw new IllegalArgumentException("tensor " + name + ": " + type + " needs " + type.bytesFor(elements)
                    + " bytes, got " + data.byteSize());
        }
        tensors.add(new Entry(name, shape.clone(), type, data));
        return this;
    }

    public void write(Path target) throws IOException {
        metadata.putIfAbsent("general.alignment", ALIGNMENT);
        AtomicFiles.write(target, out -> {
            Counting c = new Counting(out);
            c.i32(0x46554747);
            c.i32(3);
            c.i64(tensors.size());
            c.i64(metadata.size());
            for (Map.Entry<String, Object> e : metadata.entrySet()) {
                c.string(e.getKey());
                c.value(e.getValue(), true);
            }
            long offset = 0;
            List<Long> offsets = new ArrayList<>();
            for (Entry t : tensors) {
                c.string(t.name);
                c.i32(t.shape.length);
                for (int d = t.shape.length - 1; d >= 0; d--) {
                    c.i64(t.shape[d]);
                }
                c.i32(t.type.id());
                offsets.add(offset);
                c.i64(offset);
                offset = align(offset + t.data.byteSize());
            }
            c.pad();
            byte[] chunk = new byte[1 << 20];
            for (Entry t : tensors) {
                long size = t.data.byteSize();
                for (long pos = 0; pos < size; pos += chunk.length) {
                    int n = (int) Math.min(chunk.length, size - pos);
                    MemorySegment.copy(t.data, ValueLayout.JAVA_BYTE, pos, chunk, 0, n);
                    c.bytes(chunk, n);
                }
                c.pad();
            }
        });
    }

    private static long align(long v) {
        return (v + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    /** Little-endian writer that knows its position (for alignment padding). */
    private static final class Counting {
        private final OutputStream out;
        private final ByteBuffer buf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        private long pos;

        Counting(OutputStream out) {
            this.out = out;
        }

        void bytes(byte[] b, int n) throws IOException {
            out.write(b, 0, n);
            pos += n;
        }

        void i32(int v) throws IOException {
            buf.clear();
            buf.putInt(v);
            bytes(buf.array(), 4);
        }

        void i64(long v) throws IOException {
            buf.clear();
            buf.putLong(v);
            bytes(buf.array(), 8);
        }

        void string(String s) throws IOException {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            i64(b.length);
            bytes(b, b.length);
        }

        void pad() throws IOException {
            while (pos % ALIGNMENT != 0) {
                out.write(0);
                pos++;
            }
        }

        /** Writes the type tag (when {@code tagged}) and the value. */
        void value(Object v, boolean tagged) throws IOException {
            switch (v) {
                case String s -> { if (tagged) { i32(8); } string(s); }
                case Boolean b -> { if (tagged) { i32(7); } out.write(b ? 1 : 0); pos++; }
                case Integer i -> { if (tagged) { i32(4); } i32(i); }
                case Long l -> { if (tagged) { i32(11); } i64(l); }
                case Float f -> { if (tagged) { i32(6); } i32(Float.floatToRawIntBits(f)); }
                case Double d -> { if (tagged) { i32(12); } i64(Double.doubleToRawLongBits(d)); }
                case EmptyArray e -> { if (tagged) { i32(9); } i32(e.elementType()); i64(0); }
                case List<?> list -> {
                    if (list.isEmpty()) {
                        throw new IllegalArgumentException("empty GGUF arrays have no element type (use EmptyArray)");
                    }
                    i32(9);
                    i32(typeTag(list.get(0)));
                    i64(list.size());
                    for (Object o : list) {
                        if (typeTag(o) != typeTag(list.get(0))) {
                            throw new IllegalArgumentException("GGUF arrays hold one element type");
                        }
                        value(o, false);
                    }
                }
                default -> throw new IllegalArgumentException("unsupported GGUF metadata value " + v.getClass());
            }
        }

        static int typeTag(Object v) {
            return switch (v) {
                case String s -> 8;
                case Boolean b -> 7;
                case Integer i -> 4;
                case Long l -> 11;
                case Float f -> 6;
                case Double d -> 12;
                default -> throw new IllegalArgumentException("unsupported GGUF array element " + v.getClass());
            };
        }
    }
}
