package dev.orchard.core.tokenizer;

import com.fasterxml.jackson.core.JsonProcessingException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A byte-level BPE tokenizer of any vocabulary size whose merges are enumerated, not learned, for random-weight
 * models: every text encodes and decodes losslessly, and the files it is written into (tokenizer.json, GGUF
 * {@code tokenizer.ggml.*}) are accepted by other tools, but its token boundaries mean nothing.
 *
 * <p>Layout: BOS and EOS at the ids the model's config names; {@code <|pad|>} and Orchard's chat markers in the
 * lowest free ids when there is room for them beside the 256 byte tokens; the byte tokens in byte order in the next
 * free ids; then merged tokens up to the vocabulary size: lower-case words (letters in English frequency order,
 * shortest first), each also with a leading space, each made by appending one letter to a shorter token. The
 * pre-tokenizer and decoder are those of {@link BpeTrainer}'s tokenizers.
 */
final class SyntheticTokenizer {

    private static final String LETTERS = "etaoinshrdlcumwfgypbvkjxqz";
    private static final List<String> OPTIONAL_SPECIALS = List.of(ChatTemplate.PAD, ChatTemplate.SYSTEM,
            ChatTemplate.USER, ChatTemplate.ASSISTANT, ChatTemplate.END_OF_TURN);

    private SyntheticTokenizer() {
    }

    static BpeTokenizer create(int vocabSize, int bos, int eos) {
        int required = 256 + (bos >= 0 ? 1 : 0) + (eos >= 0 && eos != bos ? 1 : 0);
        if (vocabSize < required) {
            throw new IllegalArgumentException("a byte-level tokenizer needs at least " + required
                    + " tokens (256 bytes and BOS/EOS), not " + vocabSize);
        }
        for (int id : new int[] {bos, eos}) {
            if (id >= vocabSize) {
                throw new IllegalArgumentException("special token id " + id + " is outside a vocabulary of " + vocabSize);
            }
        }
        String[] vocab = new String[vocabSize];
        List<AddedToken> added = new ArrayList<>();
        if (bos >= 0) {
            vocab[bos] = ChatTemplate.BOS;
            added.add(AddedToken.special(bos, ChatTemplate.BOS));
        }
        if (eos >= 0 && eos != bos) {
            vocab[eos] = ChatTemplate.EOS;
            added.add(AddedToken.special(eos, ChatTemplate.EOS));
        }
        int next = 0;
        int pad = -1;
        if (vocabSize >= required + OPTIONAL_SPECIALS.size()) {
            for (String s : OPTIONAL_SPECIALS) {
                next = free(vocab, next);
                vocab[next] = s;
                added.add(AddedToken.special(next, s));
                if (s.equals(ChatTemplate.PAD)) {
                    pad = next;
                }
            }
        }
        Map<String, Integer> ids = new HashMap<>(vocabSize * 2);
        for (int b = 0; b < 256; b++) {
            next = free(vocab, next);
            vocab[next] = String.valueOf(ByteLevel.charOf(b));
            ids.put(vocab[next], next);
        }
        PairMap merges = new PairMap(vocabSize);
        String space = String.valueOf(ByteLevel.charOf(' '));
        int rank = 0;
        List<String> words = new ArrayList<>(List.of(""));
        while (true) {
            List<String> longer = new ArrayList<>(words.size() * LETTERS.length());
            for (String w : words) {
                for (int k = 0; k < LETTERS.length(); k++) {
                    longer.add(w + LETTERS.charAt(k));
                }
            }
            // Level n: " w" for words of length n, then words of length n + 1: both extend a token of level n - 1.
            List<String> level = new ArrayList<>();
            for (String w : longer) {
                level.add(space + w);
            }
            for (String w : longer) {
                for (int k = 0; k < LETTERS.length(); k++) {
                    level.add(w + LETTERS.charAt(k));
                }
            }
            for (String token : level) {
                next = free(vocab, next);
                if (next >= vocabSize) {
                    return build(vocab, merges, added, bos, eos, pad);
                }
                int cut = token.length() - 1;
                merges.putIfAbsent(ids.get(token.substring(0, cut)), ids.get(token.substring(cut)), rank++, next);
                vocab[next] = token;
                ids.put(token, next);
            }
            words = longer;
        }
    }

    private static int free(String[] vocab, int from) {
        int i = from;
        while (i < vocab.length && vocab[i] != null) {
            i++;
        }
        return i;
    }

    private static BpeTokenizer build(String[] vocab, PairMap merges, List<AddedToken> added, int bos, int eos,
                                      int pad) {
        BpeModel model = new BpeModel(vocab, merges, true, false, -1, false, false);
        try {
            String pre = BpeTrainer.PRE_TOKENIZER_JSON.formatted(Json.MAPPER.writeValueAsString(Regexes.QWEN2));
            return new BpeTokenizer(new BpeTokenizer.Parts(model, null, Json.MAPPER.readTree(pre),
                    Json.MAPPER.readTree(BpeTrainer.DECODER_JSON), null, added,
                    bos >= 0 ? new int[] {bos} : new int[0], new int[0], bos, eos, pad));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
