package dev.orchard.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchard.core.tokenizer.BpeTokenizer;
import dev.orchard.core.tokenizer.Tokenizers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAI's cl100k_base as an Orchard tokenizer, built from the ranks file inside the jtokkit jar: tiktoken merges
 * the adjacent pair whose concatenation has the lowest rank, which is BPE with one merge per split of each token,
 * ranked by the token's rank; the pre-tokenizer regex is the one Llama-3 later adopted; a piece that is itself a
 * token is taken whole (ignore_merges). This lets the benchmark compare speed on the same vocabulary, and the test
 * compare ids with jtokkit, an independent implementation.
 */
public final class Cl100k {

    private static final String RESOURCE = "/com/knuddels/jtokkit/cl100k_base.tiktoken";
    private static final String REGEX = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    private Cl100k() {
    }

    public static BpeTokenizer load() throws IOException {
        List<byte[]> tokens = new ArrayList<>();
        try (InputStream in = Cl100k.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("jtokkit's " + RESOURCE + " is not on the class path");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            String line;
            while ((line = reader.readLine()) != null) {
                String[] parts = line.split(" ");
                int rank = Integer.parseInt(parts[1]);
                if (rank != tokens.size()) {
                    throw new IOException("ranks are not dense at " + rank);
                }
                tokens.add(Base64.getDecoder().decode(parts[0]));
            }
        }
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        ObjectNode pre = root.putObject("pre_tokenizer");
        pre.put("type", "Sequence");
        ArrayNode steps = pre.putArray("pretokenizers");
        ObjectNode split = steps.addObject();
        split.put("type", "Split");
        split.putObject("pattern").put("Regex", REGEX);
        split.put("behavior", "Isolated");
        split.put("invert", false);
        steps.addObject().put("type", "ByteLevel").put("add_prefix_space", false).put("use_regex", false);
        root.putObject("decoder").put("type", "ByteLevel");
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.put("ignore_merges", true);
        ObjectNode vocab = model.putObject("vocab");
        Map<String, Integer> ids = new HashMap<>();
        List<String> names = new ArrayList<>();
        for (int rank = 0; rank < tokens.size(); rank++) {
            String name = byteLevel(tokens.get(rank));
            vocab.put(name, rank);
            ids.put(name, rank);
            names.add(name);
        }
        ArrayNode merges = model.putArray("merges");
        for (int rank = 0; rank < tokens.size(); rank++) {
            String name = names.get(rank);
            for (int k = 1; k < name.length(); k++) {
                String a = name.substring(0, k);
                String b = name.substring(k);
                if (ids.containsKey(a) && ids.containsKey(b)) {
                    merges.add(a + " " + b);
                }
            }
        }
        return Tokenizers.fromTokenizerJsonString(mapper.writeValueAsString(root));
    }

    /** GPT-2's byte alphabet (bytes_to_unicode). */
    static String byteLevel(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length);
        for (byte x : bytes) {
            int b = x & 0xFF;
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            sb.append(printable ? (char) b : (char) (256 + shifted(b)));
        }
        return sb.toString();
    }

    private static int shifted(int b) {
        int n = 0;
        for (int c = 0; c < b; c++) {
            boolean printable = (c >= '!' && c <= '~') || (c >= 0xA1 && c <= 0xAC) || (c >= 0xAE && c <= 0xFF);
            if (!printable) {
                n++;
            }
        }
        return n;
    }
}
