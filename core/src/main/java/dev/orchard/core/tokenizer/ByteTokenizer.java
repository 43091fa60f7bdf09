package dev.orchard.core.tokenizer;

import java.nio.charset.StandardCharsets;
import java.io.ByteArrayOutputStream;
import java.util.OptionalInt;

/**
 * The simplest tokenizer: ids 0..255 are bytes, 256 is BOS and 257 is EOS. Used by tiny test models and
 * random benchmark models that have no tokenizer of their own.
 */
public final class ByteTokenizer implements Tokenizer {

    public static final int BOS = 256;
    public static final int EOS = 257;

    @Override
    public int vocabSize() {
        return 258;
    }

    @Override
    public int[] encode(String text, boolean addSpecial) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int offset = addSpecial ? 1 : 0;
        int[] ids = new int[bytes.length + offset];
        if (addSpecial) {
            ids[0] = BOS;
        }
        for (int i = 0; i < bytes.length; i++) {
            ids[offset + i] = bytes[i] & 0xFF;
        }
        return ids;
    }

    @Override
    public byte[] tokenBytes(int id) {
        if (id < 256) {
            return new byte[] {(byte) id};
        }
        return new byte[0];
    }

    @Override
    public String decode(int[] ids, boolean skipSpecial) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int id : ids) {
            out.writeBytes(tokenBytes(id));
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public boolean isSpecial(int id) {
        return id >= 256;
    }

    @Override
    public OptionalInt bosId() {
        return OptionalInt.of(BOS);
    }

    @Override
    public OptionalInt eosId() {
        return OptionalInt.of(EOS);
    }

    @Override
    public boolean addsBos() {
        return true;
    }
}
