package dev.orchard.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchard.core.format.AtomicFiles;
import dev.orchard.core.format.FormatException;
import dev.orchard.core.tokenizer.Tokenizer;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A tokenized corpus as one flat little-endian token file ({@code uint16} when the vocabulary fits, else
 * {@code int32}), memory-mapped for reading, with a JSON sidecar ({@code <file>.json}) holding the dtype, the
 * counts and what it was made from. Documents are packed back to back as {@code BOS tokens EOS}.
 */
public final class TokenFile implements AutoCloseable {

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);

    private final Arena arena;
    private final MemorySegment data;
    private final boolean wide;
    private final long size;
    private final JsonNode meta;

    private TokenFile(Arena arena, MemorySegment data, boolean wide, JsonNode meta) {
        this.arena = arena;
        this.data = data;
        this.wide = wide;
        this.size = data.byteSize() / (wide ? 4 : 2);
        this.meta = meta;
    }

    /**
     * Tokenizes {@code documents} (in parallel, order kept) and writes {@code file} and its sidecar atomically.
     * {@code source} is recorded in the sidecar so a later run can tell whether the file is still current.
     */
    public static void write(List<String> documents, Tokenizer tokenizer, Path file, String source) throws IOException {
        int bos = tokenizer.bosId().orElse(-1);
        int eos = tokenizer.eosId().orElse(-1);
        boolean wide = tokenizer.vocabSize() > 65536;
        int[][] encoded = new int[documents.size()][];
        IntStream.range(0, documents.size()).parallel().forEach(i -> encoded[i] = tokenizer.encode(documents.get(i), false, false));
        long total = 0;
        for (int[] ids : encoded) {
            total += ids.length + (bos >= 0 ? 1 : 0) + (eos >= 0 ? 1 : 0);
        }
        long count = total;
        AtomicFiles.write(file, out -> {
            ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (int[] ids : encoded) {
                if (bos >= 0) {
                    put(out, buf, bos, wide);
                }
                for (int id : ids) {
                    put(out, buf, id, wide);
                }
                if (eos >= 0) {
                    put(out, buf, eos, wide);
                }
            }
            out.write(buf.array(), 0, buf.position());
        });
        ObjectMapper json = new ObjectMapper();
        ObjectNode m = json.createObjectNode();
        m.put("dtype", wide ? "int32" : "uint16");
        m.put("tokens", count);
        m.put("documents", documents.size());
        m.put("vocab_size", tokenizer.vocabSize());
        m.put("bos_token_id", bos);
        m.put("eos_token_id", eos);
        m.put("source", source);
        AtomicFiles.writeString(sidecar(file), json.writerWithDefaultPrettyPrinter().writeValueAsString(m));
    }

    private static void put(java.io.OutputStream out, ByteBuffer buf, int id, boolean wide) throws IOException {
        if (buf.remaining() < 4) {
            out.write(buf.array(), 0, buf.position());
            buf.clear();
        }
        if (wide) {
            buf.putInt(id);
        } else {
            buf.putShort((short) id);
        }
    }

    static Path sidecar(Path file) {
        return file.resolveSibling(file.getFileName() + ".json");
    }

    /** The {@code source} recorded when {@code file} was written, or null if there is no complete token file. */
    public static String sourceOf(Path file) throws IOException {
        Path side = sidecar(file);
        if (!Files.exists(file) || !Files.exists(side)) {
            return null;
        }
        return new ObjectMapper().readTree(Files.readString(side)).path("source").asText(null);
    }

    public static TokenFile open(Path file) throws IOException {
        Path side = sidecar(file);
        if (!Files.exists(side)) {
            throw new FormatException("token file " + file + " has no sidecar " + side.getFileName());
        }
        JsonNode meta = new ObjectMapper().readTree(Files.readString(side));
        String dtype = meta.path("dtype").asText();
        if (!dtype.equals("uint16") && !dtype.equals("int32")) {
            throw new FormatException(side + ": dtype must be uint16 or int32, got '" + dtype + "'");
        }
        boolean wide = dtype.equals("int32");
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long bytes = ch.size();
            if (bytes % (wide ? 4 : 2) != 0 || bytes / (wide ? 4 : 2) != meta.path("tokens").asLong(-1)) {
                throw new FormatException("token file " + file + " has " + bytes + " bytes, the sidecar says "
                        + meta.path("tokens").asLong() + " " + dtype + " tokens");
            }
            MemorySegment seg = bytes == 0 ? MemorySegment.NULL : ch.map(FileChannel.MapMode.READ_ONLY, 0, bytes, arena);
            return new TokenFile(arena, seg, wide, meta);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** Number of tokens. */
    public long size() {
        return size;
    }

    public int get(long i) {
        return wide ? data.getAtIndex(I32, i) : Short.toUnsignedInt(data.getAtIndex(U16, i));
    }

    /** Copies tokens {@code [start, start + dst.length)} into {@code dst}. */
    public void read(long start, int[] dst) {
        for (int i = 0; i < dst.length; i++) {
            dst[i] = get(start + i);
        }
    }

    public int vocabSize() {
        return meta.path("vocab_size").asInt();
    }

    public long documents() {
        return meta.path("documents").asLong();
    }

    @Override
    public void close() {
        arena.close();
    }
}
