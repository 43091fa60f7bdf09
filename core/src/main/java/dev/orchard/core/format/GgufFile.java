package dev.orchard.core.format;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A GGUF (v2/v3) file, memory-mapped once: metadata as plain Java values and tensors as slices of the mapping.
 *
 * <p>Metadata values: integers of any width are {@code Long} (unsigned 64-bit values above Long.MAX_VALUE wrap),
 * floats {@code Double}, {@code Boolean}, {@code String}, arrays {@code List<?>} of those.
 * The mapping lives until {@link #close()}; tensor segments must not be used after that.
 */
public final class GgufFile implements AutoCloseable {

    private static final int MAGIC = 0x46554747; // "GGUF" little-endian
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED;

    /** A tensor's header entry and its bytes. Dimensions are GGUF order: {@code dims[0]} is the innermost (row length). */
    public record Tensor(String name, long[] dims, int typeId, GgmlType type, long offset, MemorySegment data) {

        public long elements() {
            long n = 1;
            for (long d : dims) {
                n = Math.multiplyExact(n, d);
            }
            return n;
        }

        public String typeName() {
            return type != null ? type.name() : "unknown type id " + typeId;
        }
    }

    private final Path path;
    private final Arena arena;
    private final MemorySegment file;
    private final int version;
    private final Map<String, Object> metadata;
    private final Map<String, Tensor> tensors;
    private final long dataOffset;

    private GgufFile(Path path, Arena arena, MemorySegment file) {
        this.path = path;
        this.arena = arena;
        this.file = file;
        Reader in = new Reader();
        int magic = in.i32();
        if (magic != MAGIC) {
            throw error("not a GGUF file (magic 0x" + Integer.toHexString(magic) + ")");
        }
        version = in.i32();
        if (version < 2 || version > 3) {
            throw error("GGUF version " + version + " is not supported (2 and 3 are)");
        }
        long tensorCount = in.i64();
        long kvCount = in.i64();
        if (tensorCount < 0 || kvCount < 0 || tensorCount > file.byteSize() || kvCount > file.byteSize()) {
            throw error("bad header: " + tensorCount + " tensors, " + kvCount + " metadata entries");
        }
        Map<String, Object> kv = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            String key = in.string();
            int type = in.i32();
            kv.put(key, in.value(type, key));
        }
        metadata = Collections.unmodifiableMap(kv);
        long alignment = kv.get("general.alignment") instanceof Long a ? a : 32;
        if (alignment <= 0 || Long.bitCount(alignment) != 1) {
            throw error("general.alignment must be a power of two, got " + alignment);
        }
        List<Object[]> infos = new ArrayList<>();
        for (long i = 0; i < tensorCount; i++) {
            String name = in.string();
            int nDims = in.i32();
            if (nDims < 1 || nDims > 4) {
                throw error("tensor " + name + " has " + nDims + " dimensions (1 to 4 allowed)");
            }
            long[] dims = new long[nDims];
            for (int d = 0; d < nDims; d++) {
                dims[d] = in.i64();
                if (dims[d] <= 0) {
                    throw error("tensor " + name + " has dimension " + d + " of size " + dims[d]);
                }
            }
            int typeId = in.i32();
            long offset = in.i64();
            infos.add(new Object[] {name, dims, typeId, offset});
        }
        dataOffset = (in.pos + alignment - 1) / alignment * alignment;
        Map<String, Tensor> byName = new LinkedHashMap<>();
        for (Object[] info : infos) {
            String name = (String) info[0];
            long[] dims = (long[]) info[1];
            int typeId = (Integer) info[2];
            long offset = (Long) info[3];
            GgmlType type = GgmlType.byId(typeId).orElse(null);
            MemorySegment data = null;
            if (type != null) {
                long elements = 1;
                for (long d : dims) {
                    elements = Math.multiplyExact(elements, d);
                }
                long bytes = type.bytesFor(elements);
                if (bytes < 0 || dims[0] % type.blockElements() != 0) {
                    throw error("tensor " + name + " of type " + type + " has row length " + dims[0]
                            + ", not a multiple of its block size " + type.blockElements());
                }
                long start = dataOffset + offset;
                if (offset < 0 || start + bytes > file.byteSize()) {
                    throw error("tensor " + name + " (" + bytes + " bytes at offset " + start
                            + ") lies outside the file (" + file.byteSize() + " bytes): truncated file?");
                }
                data = file.asSlice(start, bytes);
            }
            if (byName.put(name, new Tensor(name, dims, typeId, type, offset, data)) != null) {
                throw error("tensor " + name + " appears twice");
            }
        }
        tensors = Collections.unmodifiableMap(byName);
    }

    /** Whether {@code path} is a GGUF file: a regular file named {@code *.gguf} or starting with the magic. */
    public static boolean isGguf(Path path) throws IOException {
        if (!java.nio.file.Files.isRegularFile(path)) {
            return false;
        }
        if (path.getFileName().toString().endsWith(".gguf")) {
            return true;
        }
        try (var in = java.nio.file.Files.newInputStream(path)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 'G' && magic[1] == 'G' && magic[2] == 'U' && magic[3] == 'F';
        }
    }

    /** Maps and parses {@code path}. */
    public static GgufFile open(Path path) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment segment = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            return new GgufFile(path, arena, segment);
        } catch (RuntimeException | IOException e) {
            arena.close();
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    public int version() {
        return version;
    }

    public Map<String, Object> metadata() {
        return metadata;
    }

    public Map<String, Tensor> tensors() {
        return tensors;
    }

    /** The tensor named {@code name}, with a clear error if absent. */
    public Tensor tensor(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw error("missing tensor " + name);
        }
        return t;
    }

    /** Byte offset where tensor data starts. */
    public long dataOffset() {
        return dataOffset;
    }

    @Override
    public void close() {
        arena.close();
    }

    FormatException error(String message) {
        return new FormatException("GGUF " + path + ": " + message);
    }

    /** Sequential reader over the mapped header with bounds checks that name the problem. */
    private final class Reader {
        long pos;

        private void need(long bytes, String what) {
            if (bytes < 0 || pos + bytes > file.byteSize()) {
                throw error("truncated: " + what + " needs " + bytes + " bytes at offset " + pos + ", file has "
                        + file.byteSize());
            }
        }

        int i32() {
            need(4, "a 32-bit field");
            int v = file.get(I32, pos);
            pos += 4;
            return v;
        }

        long i64() {
            need(8, "a 64-bit field");
            long v = file.get(I64, pos);
            pos += 8;
            return v;
        }

        String string() {
            long len = i64();
            if (len < 0 || len > Integer.MAX_VALUE) {
                throw error("bad string length " + len + " at offset " + (pos - 8));
            }
            need(len, "a string");
            byte[] bytes = file.asSlice(pos, len).toArray(ValueLayout.JAVA_BYTE);
            pos += len;
            return new String(bytes, StandardCharsets.UTF_8);
        }

        Object value(int type, String key) {
            switch (type) {
                case 0 -> { need(1, key); return (long) (file.get(ValueLayout.JAVA_BYTE, pos++) & 0xFF); }
                case 1 -> { need(1, key); return (long) file.get(ValueLayout.JAVA_BYTE, pos++); }
                case 2 -> { need(2, key); long v = file.get(I16, pos) & 0xFFFF; pos += 2; return v; }
                case 3 -> { need(2, key); long v = file.get(I16, pos); pos += 2; return v; }
                case 4 -> { return i32() & 0xFFFFFFFFL; }
                case 5 -> { return (long) i32(); }
                case 6 -> { need(4, key); float v = file.get(F32, pos); pos += 4; return (double) v; }
                case 7 -> { need(1, key); return file.get(ValueLayout.JAVA_BYTE, pos++) != 0; }
                case 8 -> { return string(); }
                case 9 -> {
                    int elementType = i32();
                    long count = i64();
                    if (count < 0 || count > file.byteSize() - pos) {
                        throw error("metadata " + key + ": bad array length " + count);
                    }
                    List<Object> list = new ArrayList<>((int) count);
                    for (long i = 0; i < count; i++) {
                        list.add(value(elementType, key));
                    }
                    return Collections.unmodifiableList(list);
                }
                case 10, 11 -> { return i64(); }
                case 12 -> { need(8, key); double v = file.get(F64, pos); pos += 8; return v; }
                default -> throw error("metadata " + key + " has unknown value type " + type);
            }
        }
    }
}
