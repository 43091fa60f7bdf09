package dev.orchard.core.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A BPE tokenizer as Hugging Face's tokenizer.json describes one: added tokens matched first, then normalizer,
 * pre-tokenizer, BPE model; a post-processor template adds BOS/EOS; a decoder chain turns tokens back into text.
 * Byte-level BPE (GPT-2, Llama-3, Qwen2, SmolLM, Orchard) and SentencePiece-style BPE with byte fallback (Llama-2,
 * GGUF {@code llama}) both run through this class. Immutable and thread-safe.
 *
 * <p>Create one with {@link Tokenizers}; train one with {@link BpeTrainer}; write it with {@link #save(Path)}.
 */
public final class BpeTokenizer implements Tokenizer {

    /** The parts a tokenizer is made of; package-private so that only the loaders build one. */
    record Parts(BpeModel model, JsonNode normalizer, JsonNode preTokenizer, JsonNode decoder, JsonNode postProcessor,
                 List<AddedToken> addedTokens, int[] prefix, int[] suffix, int bos, int eos, int pad) {
    }

    private final Parts parts;
    private final BpeModel model;
    private final Normalizer normalizer;
    private final PreTokenizer preTokenizer;
    private final Decoder decoder;
    private final Map<Integer, AddedToken> added = new HashMap<>();
    private final Map<String, AddedToken> addedByContent = new HashMap<>();
    private final AddedTokenMatcher rawAll;
    private final AddedTokenMatcher rawPlain;
    private final AddedTokenMatcher normalizedAll;
    private final AddedTokenMatcher normalizedPlain;
    private final int vocabSize;
    private final byte[][] tokenBytes;

    BpeTokenizer(Parts parts) {
        this.parts = parts;
        this.model = parts.model();
        this.normalizer = Normalizer.fromJson(parts.normalizer());
        this.preTokenizer = PreTokenizer.fromJson(parts.preTokenizer());
        this.decoder = Decoder.fromJson(parts.decoder());
        boolean preByteLevel = preTokenizer != null && preTokenizer.byteLevel();
        if (preByteLevel != model.byteLevel()) {
            throw new IllegalStateException("model alphabet disagrees with the pre-tokenizer");
        }
        int size = model.size();
        List<AddedToken> raw = new ArrayList<>();
        List<AddedToken> rawNoSpecial = new ArrayList<>();
        List<AddedToken> norm = new ArrayList<>();
        List<AddedToken> normNoSpecial = new ArrayList<>();
        for (AddedToken t : parts.addedTokens()) {
            added.put(t.id(), t);
            addedByContent.putIfAbsent(t.content(), t);
            size = Math.max(size, t.id() + 1);
            (t.normalized() ? norm : raw).add(t);
            if (!t.special()) {
                (t.normalized() ? normNoSpecial : rawNoSpecial).add(t);
            }
        }
        this.vocabSize = size;
        this.rawAll = new AddedTokenMatcher(raw);
        this.rawPlain = new AddedTokenMatcher(rawNoSpecial);
        this.normalizedAll = new AddedTokenMatcher(norm);
        this.normalizedPlain = new AddedTokenMatcher(normNoSpecial);
        this.tokenBytes = new byte[size][];
        for (int id = 0; id < size; id++) {
            String t = tokenText(id);
            tokenBytes[id] = t == null ? new byte[0] : decoder.tokenBytes(t);
        }
    }

    Parts parts() {
        return parts;
    }

    BpeModel model() {
        return model;
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public int[] encode(String text, boolean addSpecial) {
        return encode(text, addSpecial, true);
    }

    @Override
    public int[] encode(String text, boolean addSpecial, boolean parseSpecial) {
        IntList out = new IntList(Math.max(16, text.length() / 3));
        if (addSpecial) {
            out.addAll(parts.prefix());
        }
        AddedTokenMatcher rawMatcher = parseSpecial ? rawAll : rawPlain;
        AddedTokenMatcher normMatcher = parseSpecial ? normalizedAll : normalizedPlain;
        rawMatcher.split(text, new AddedTokenMatcher.Sink() {
            @Override
            public void text(String segment, int offset) {
                String normalized = normalizer == null ? segment : normalizer.normalize(segment);
                boolean atStart = offset == 0;
                normMatcher.split(normalized, new AddedTokenMatcher.Sink() {
                    @Override
                    public void text(String part, int partOffset) {
                        encodeText(part, atStart && partOffset == 0, out);
                    }

                    @Override
                    public void token(AddedToken token) {
                        out.add(token.id());
                    }
                });
            }

            @Override
            public void token(AddedToken token) {
                out.add(token.id());
            }
        });
        if (addSpecial) {
            out.addAll(parts.suffix());
        }
        return out.toArray();
    }

    private void encodeText(String text, boolean atStart, IntList out) {
        if (preTokenizer == null) {
            model.encode(text, out);
        } else {
            preTokenizer.split(text, atStart, (piece, start) -> model.encode(piece, out));
        }
    }

    /** The token's text as the vocabulary stores it (byte-level characters or ▁), or null for an unused id. */
    public String tokenText(int id) {
        AddedToken t = added.get(id);
        return t != null ? t.content() : model.token(id);
    }

    @Override
    public byte[] tokenBytes(int id) {
        return id >= 0 && id < tokenBytes.length ? tokenBytes[id].clone() : new byte[0];
    }

    @Override
    public String decode(int[] ids, boolean skipSpecial) {
        List<String> tokens = new ArrayList<>(ids.length);
        for (int id : ids) {
            if (skipSpecial && isSpecial(id)) {
                continue;
            }
            String t = tokenText(id);
            if (t != null) {
                tokens.add(t);
            }
        }
        return new String(decoder.decode(tokens), StandardCharsets.UTF_8);
    }

    @Override
    public boolean isSpecial(int id) {
        AddedToken t = added.get(id);
        return t != null && t.special();
    }

    @Override
    public OptionalInt bosId() {
        return parts.bos() >= 0 ? OptionalInt.of(parts.bos()) : OptionalInt.empty();
    }

    @Override
    public OptionalInt eosId() {
        return parts.eos() >= 0 ? OptionalInt.of(parts.eos()) : OptionalInt.empty();
    }

    @Override
    public OptionalInt padId() {
        return parts.pad() >= 0 ? OptionalInt.of(parts.pad()) : OptionalInt.empty();
    }

    @Override
    public boolean addsBos() {
        return parts.prefix().length > 0;
    }

    /** Whether {@code encode(text, true)} appends EOS. */
    public boolean addsEos() {
        return parts.suffix().length > 0;
    }

    @Override
    public OptionalInt tokenId(String token) {
        AddedToken t = addedByContent.get(token);
        if (t != null) {
            return OptionalInt.of(t.id());
        }
        Integer id = model.id(token);
        return id != null ? OptionalInt.of(id) : OptionalInt.empty();
    }

    /** The added tokens' texts marked special (BOS, EOS, chat markers), in id order. */
    public List<String> specialTokens() {
        return parts.addedTokens().stream().filter(AddedToken::special)
                .sorted(java.util.Comparator.comparingInt(AddedToken::id)).map(AddedToken::content).toList();
    }

    /**
     * A copy with other BOS/EOS/PAD tokens and whether {@code encode(text, true)} adds BOS and EOS (what
     * tokenizer_config.json's {@code add_bos_token}/{@code add_eos_token} say). Ids of -1 mean none.
     */
    public BpeTokenizer withSpecialTokens(int bos, int eos, int pad, boolean addBos, boolean addEos) {
        if ((addBos && bos < 0) || (addEos && eos < 0)) {
            throw new IllegalArgumentException("cannot add a BOS/EOS token that the tokenizer does not have");
        }
        int[] prefix = addBos ? new int[] {bos} : new int[0];
        int[] suffix = addEos ? new int[] {eos} : new int[0];
        return new BpeTokenizer(new Parts(model, parts.normalizer(), parts.preTokenizer(), parts.decoder(),
                null, parts.addedTokens(), prefix, suffix, bos, eos, pad));
    }

    /** A copy with other BOS/EOS/PAD ids and unchanged BOS/EOS addition. */
    BpeTokenizer withIds(int bos, int eos, int pad) {
        return new BpeTokenizer(new Parts(model, parts.normalizer(), parts.preTokenizer(), parts.decoder(),
                parts.postProcessor(), parts.addedTokens(), parts.prefix(), parts.suffix(), bos, eos, pad));
    }

    /** The tokenizer.json text Hugging Face tokenizers loads to this same tokenizer. */
    public String toJson() {
        return TokenizerJsonWriter.write(this);
    }

    /** Writes tokenizer.json (through a temporary file, then renamed). */
    public void save(Path file) throws IOException {
        dev.orchard.core.format.AtomicFiles.writeString(file, toJson());
    }
}
