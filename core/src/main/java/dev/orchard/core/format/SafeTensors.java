package dev.orchard.core.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchard.core.quant.Encoding;

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
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One safetensors file, memory-mapped: an 8-byte little-endian header length, a JSON header mapping tensor names
 * to dtype, shape and byte range, then the raw little-endian data. Tensors are slices of the mapping.
 */
public final class SafeTensors implements AutoCloseable {

    /** Bytes per element of each safetensors dtype. */
    static int dtypeSize(String dtype) {
        return switch (dtype) {
            case "F64", "I64", "U64" -> 8;
            case "F32", "I32", "U32" -> 4;
            case "F16", "BF16", "I16", "U16" -> 2;
            case "I8", "U8", "BOOL", "F8_E4M3", "F8_E5M2" -> 1;
            default -> -1;
        };
    }

    /** A tensor: dtype as safetensors spells it, shape outermost first, and its bytes. */
    public record Tensor(String name, String dtype, long[] shape, MemorySegment data) {

        public long elements() {
            long n = 1;
            for (long d : shape) {
                n = Math.multiplyExact(n, d);
            }
            return n;
        }

        /** The weight encoding of a floating-point tensor (F32, F16, BF16). */
        public Encoding encoding() {
            return switch (dtype) {
                case "F32" -> Encoding.F32;
                case "F16" -> Encoding.F16;
                case "BF16" -> Encoding.BF16;
                default -> throw new FormatException("tensor " + name + " has dtype " + dtype
                        + "; weights must be F32, F16 or BF16");
            };
        }

        /** Copies a float tensor (any of F32/F16/BF16) to a heap array; for small tensors such as norm weights. */
        public float[] toFloatArray() {
            int n = Math.toIntExact(elements());
            float[] out = new float[n];
            switch (encoding()) {
                case F32 -> MemorySegment.copy(data, ValueLayout.JAVA_FLOAT_UNALIGNED, 0, out, 0, n);
                case F16 -> {
                    for (int i = 0; i < n; i++) {
                        out[i] = Float.float16ToFloat(data.get(ValueLayout.JAVA_SHORT_UNALIGNED, 2L * i));
                    }
                }
                case BF16 -> {
                    for (int i = 0; i < n; i++) {
                        out[i] = Float.intBitsToFloat((data.get(ValueLayout.JAVA_SHORT_UNALIGNED, 2L * i) & 0xFFFF) << 16);
                    }
                }
                default -> throw new AssertionError();
            }
            return out;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER = 100L << 20;

    private final Path path;
    private final Arena arena;
    private final Map<String, String> metadata;
    private final Map<String, Tensor> tensors;

    private SafeTensors(Path path, Arena arena, MemorySegment file) {
        this.path = path;
        this.arena = arena;
        if (file.byteSize() < 8) {
            throw error("truncated: " + file.byteSize() + " bytes, shorter than the 8-byte header length");
        }
        long headerLength = file.get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
        if (headerLength <= 0 || headerLength > MAX_HEADER || 8 + headerLength > file.byteSize()) {
            throw error("bad header length " + headerLength + " (file has " + file.byteSize() + " bytes)");
        }
        byte[] headerBytes = file.asSlice(8, headerLength).toArray(ValueLayout.JAVA_BYTE);
        JsonNode header;
        try {
            header = JSON.readTree(new String(headerBytes, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw error("header is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (header == null || !header.isObject()) {
            throw error("header is not a JSON object");
        }
        long dataStart = 8 + headerLength;
        long dataSize = file.byteSize() - dataStart;
        Map<String, String> meta = new LinkedHashMap<>();
        Map<String, Tensor> byName = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            JsonNode info = e.getValue();
            if (name.equals("__metadata__")) {
                info.fields().forEachRemaining(m -> meta.put(m.getKey(), m.getValue().asText()));
                continue;
            }
            String dtype = info.path("dtype").asText(null);
            JsonNode shapeNode = info.path("shape");
            JsonNode offsets = info.path("data_offsets");
            if (dtype == null || !shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
                throw error("tensor " + name + " needs dtype, shape and two data_offsets");
            }
            int size = dtypeSize(dtype);
            if (size < 0) {
                throw error("tensor " + name + " has unknown dtype " + dtype);
            }
            long[] shape = new long[shapeNode.size()];
            long elements = 1;
            for (int i = 0; i < shape.length; i++) {
                shape[i] = shapeNode.get(i).asLong(-1);
                if (shape[i] < 0) {
                    throw error("tensor " + name + " has a negative dimension");
                }
                elements = Math.multiplyExact(elements, shape[i]);
            }
            long begin = offsets.get(0).asLong(-1);
            long end = offsets.get(1).asLong(-1);
            if (begin < 0 || end < begin || end > dataSize) {
                throw error("tensor " + name + " byte range [" + begin + ", " + end + ") lies outside the data ("
                        + dataSize + " bytes): truncated file?");
            }
            if (end - begin != elements * size) {
                throw error("tensor " + name + " of shape " + java.util.Arrays.toString(shape) + " and dtype " + dtype
                        + " needs " + elements * size + " bytes, but its range holds " + (end - begin));
            }
            byName.put(name, new Tensor(name, dtype, shape, file.asSlice(dataStart + begin, end - begin)));
        }
        this.metadata = Collections.unmodifiableMap(meta);
        this.tensors = Collections.unmodifiableMap(byName);
    }

    /** Maps and parses {@code path}. */
    public static SafeTensors open(Path path) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment segment = channel.size() == 0 ? MemorySegment.NULL.reinterpret(0)
                    : channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            return new SafeTensors(path, arena, segment);
        } catch (RuntimeException | IOException e) {
            arena.close();
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    /** The {@code __metadata__} string map (empty if absent). */
    public Map<String, String> metadata() {
        return metadata;
    }

    public Map<String, Tensor> tensors() {
        return tensors;
    }

    public List<String> names() {
        return new ArrayList<>(tensors.keySet());
    }

    @Override
    public void close() {
        arena.close();
    }

    private FormatException error(String message) {
        return new FormatException("safetensors " + path + ": " + message);
    }
}
