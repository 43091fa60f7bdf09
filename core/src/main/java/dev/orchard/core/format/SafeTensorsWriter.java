package dev.orchard.core.format;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a safetensors file atomically (to a temporary file beside the target, then renamed). Tensors are written in
 * the order added; the header is padded with spaces to a multiple of 8 bytes, as the reference implementation does.
 */
public final class SafeTensorsWriter {

    private record Entry(String name, String dtype, long[] shape, MemorySegment data) {
    }

    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, String> metadata;

    public SafeTensorsWriter(Map<String, String> metadata) {
        this.metadata = metadata;
    }

    /** Adds a tensor whose bytes are already little-endian in {@code data}. */
    public SafeTensorsWriter add(String name, String dtype, long[] shape, MemorySegment data) {
        int size = SafeTensors.dtypeSize(dtype);
        long elements = 1;
        for (long d : shape) {
            elements *= d;
        }
        if (size < 0 || elements * size != data.byteSize()) {
            throw new IllegalArgumentException("tensor " + name + ": " + dtype + " " + java.util.Arrays.toString(shape)
                    + " needs " + elements * Math.max(size, 0) + " bytes, got " + data.byteSize());
        }
        entries.add(new Entry(name, dtype, shape.clone(), data));
        return this;
    }

    /** Adds an F32 tensor from a heap array. */
    public SafeTensorsWriter addF32(String name, long[] shape, float[] values) {
        return add(name, "F32", shape, MemorySegment.ofArray(values.clone()));
    }

    public void write(Path target) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode header = json.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Entry e : entries) {
            ObjectNode t = header.putObject(e.name);
            t.put("dtype", e.dtype);
            ArrayNode shape = t.putArray("shape");
            for (long d : e.shape) {
                shape.add(d);
            }
            ArrayNode offsets = t.putArray("data_offsets");
            offsets.add(offset);
            offset += e.data.byteSize();
            offsets.add(offset);
        }
        byte[] headerJson = json.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        int padded = (headerJson.length + 7) / 8 * 8;
        byte[] headerBytes = new byte[padded];
        java.util.Arrays.fill(headerBytes, (byte) ' ');
        System.arraycopy(headerJson, 0, headerBytes, 0, headerJson.length);

        AtomicFiles.write(target, out -> {
            ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
            out.write(length.array());
            out.write(headerBytes);
            byte[] chunk = new byte[1 << 20];
            for (Entry e : entries) {
                long size = e.data.byteSize();
                for (long pos = 0; pos < size; pos += chunk.length) {
                    int n = (int) Math.min(chunk.length, size - pos);
                    MemorySegment.copy(e.data, ValueLayout.JAVA_BYTE, pos, chunk, 0, n);
                    out.write(chunk, 0, n);
                }
            }
        });
    }
}
