package dev.orchard.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchard.core.format.FormatException;
import dev.orchard.core.tokenizer.ChatMessage;
import dev.orchard.core.tokenizer.ChatTemplate;
import dev.orchard.core.tokenizer.Tokenizer;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fine-tuning data as token sequences with loss masks. A JSONL line is either a conversation,
 * {@code {"messages": [{"role": "user", "content": ...}, {"role": "assistant", "content": ...}, ...]}}, rendered
 * with the chat template and trained on the assistant turns only (their text and the template's end-of-turn
 * marker), or {@code {"text": ...}}, trained on every token.
 */
final class SftExamples {

    /** One example: tokens and the next-token targets, {@link Losses#IGNORE} where no loss is taken. */
    record Encoded(int[] tokens, int[] targets) {
        int counted() {
            int n = 0;
            for (int t : targets) {
                if (t != Losses.IGNORE) {
                    n++;
                }
            }
            return n;
        }
    }

    private SftExamples() {
    }

    static List<Encoded> read(Path file, Tokenizer tokenizer, ChatTemplate template, int maxTokens) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<Encoded> out = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String where = file + " line " + lineNo;
                JsonNode node;
                try {
                    node = json.readTree(line);
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new FormatException(where + ": not valid JSON: " + e.getOriginalMessage());
                }
                Encoded e;
                if (node.path("messages").isArray()) {
                    List<ChatMessage> messages = new ArrayList<>();
                    for (JsonNode m : node.get("messages")) {
                        if (!m.path("role").isTextual() || !m.path("content").isTextual()) {
                            throw new FormatException(where + ": every message needs a string role and content");
                        }
                        messages.add(new ChatMessage(m.get("role").asText(), m.get("content").asText()));
                    }
                    e = conversation(messages, tokenizer, template, where);
                } else if (node.path("text").isTextual()) {
                    e = text(node.get("text").asText(), tokenizer);
                } else {
                    throw new FormatException(where + ": expected a 'messages' array or a 'text' string");
                }
                e = truncate(e, maxTokens);
                if (e.counted() > 0) {
                    out.add(e);
                }
            }
        }
        if (out.isEmpty()) {
            throw new FormatException(file + " holds no examples with tokens to train on");
        }
        return out;
    }

    /**
     * Renders a conversation and marks the assistant turns. The template is rendered for growing prefixes of the
     * conversation; each rendering must extend the previous one, so the text splits into spans that are prompt
     * (masked) or assistant reply (trained), each encoded separately.
     */
    static Encoded conversation(List<ChatMessage> messages, Tokenizer tokenizer, ChatTemplate template, String where) {
        if (messages.stream().noneMatch(m -> m.role().equals("assistant"))) {
            throw new FormatException(where + ": the conversation has no assistant message to train on");
        }
        List<Integer> ids = new ArrayList<>();
        List<Boolean> trained = new ArrayList<>();
        String done = "";
        for (int i = 0; i < messages.size(); i++) {
            if (!messages.get(i).role().equals("assistant")) {
                continue;
            }
            String prompt = template.render(messages.subList(0, i), true);
            String full = template.render(messages.subList(0, i + 1), false);
            if (!prompt.startsWith(done) || !full.startsWith(prompt)) {
                throw new FormatException(where + ": the chat template does not render the conversation as growing "
                        + "prefixes, so the assistant turns cannot be located");
            }
            append(ids, trained, tokenizer.encode(prompt.substring(done.length()), false, true), false);
            append(ids, trained, tokenizer.encode(full.substring(prompt.length()), false, true), true);
            done = full;
        }
        int[] tokens = ids.stream().mapToInt(Integer::intValue).toArray();
        int[] targets = new int[tokens.length];
        for (int p = 0; p < tokens.length; p++) {
            // position p predicts token p + 1, trained when that token belongs to an assistant span
            targets[p] = p + 1 < tokens.length && trained.get(p + 1) ? tokens[p + 1] : Losses.IGNORE;
        }
        return new Encoded(tokens, targets);
    }

    private static void append(List<Integer> ids, List<Boolean> trained, int[] add, boolean train) {
        for (int id : add) {
            ids.add(id);
            trained.add(train);
        }
    }

    static Encoded text(String text, Tokenizer tokenizer) {
        int bos = tokenizer.bosId().orElse(-1);
        int eos = tokenizer.eosId().orElse(-1);
        int[] body = tokenizer.encode(text, false, false);
        int[] tokens = new int[body.length + (bos >= 0 ? 1 : 0) + (eos >= 0 ? 1 : 0)];
        int o = 0;
        if (bos >= 0) {
            tokens[o++] = bos;
        }
        System.arraycopy(body, 0, tokens, o, body.length);
        if (eos >= 0) {
            tokens[tokens.length - 1] = eos;
        }
        int[] targets = new int[tokens.length];
        for (int p = 0; p < tokens.length; p++) {
            targets[p] = p + 1 < tokens.length ? tokens[p + 1] : Losses.IGNORE;
        }
        return new Encoded(tokens, targets);
    }

    static Encoded truncate(Encoded e, int maxTokens) {
        if (e.tokens().length <= maxTokens) {
            return e;
        }
        int[] targets = Arrays.copyOf(e.targets(), maxTokens);
        return new Encoded(Arrays.copyOf(e.tokens(), maxTokens), targets);
    }
}
