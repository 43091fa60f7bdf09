package dev.orchard.core.tokenizer;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A chat template: the Jinja2 text of tokenizer_config.json's {@code chat_template} (or GGUF's
 * {@code tokenizer.chat_template}), rendered with Jinjava the way transformers renders it: variables
 * {@code messages}, {@code add_generation_prompt}, {@code bos_token}, {@code eos_token}; blocks trimmed
 * ({@code trim_blocks}, {@code lstrip_blocks}); {@code raise_exception(msg)} fails the rendering.
 */
public final class ChatTemplate {

    /** Orchard's own special tokens: role markers, the end-of-turn marker, and BOS/EOS/PAD. */
    public static final String BOS = "<|bos|>";
    public static final String EOS = "<|eos|>";
    public static final String PAD = "<|pad|>";
    public static final String SYSTEM = "<|system|>";
    public static final String USER = "<|user|>";
    public static final String ASSISTANT = "<|assistant|>";
    public static final String END_OF_TURN = "<|end|>";

    private static final String ORCHARD_DEFAULT = """
            {{ bos_token }}
            {%- for message in messages %}
            {%- if message['role'] not in ['system', 'user', 'assistant'] %}
            {{- raise_exception('Orchard chat roles are system, user and assistant, not ' ~ message['role']) }}
            {%- endif %}
            {{- '<|' ~ message['role'] ~ '|>\\n' ~ message['content'] ~ '<|end|>\\n' }}
            {%- endfor %}
            {%- if add_generation_prompt %}
            {{- '<|assistant|>\\n' }}
            {%- endif %}
            """;

    private static final Jinjava JINJAVA = createEngine();

    private final String source;
    private final String bosToken;
    private final String eosToken;

    private ChatTemplate(String source, String bosToken, String eosToken) {
        this.source = Objects.requireNonNull(source, "source");
        this.bosToken = bosToken == null ? "" : bosToken;
        this.eosToken = eosToken == null ? "" : eosToken;
    }

    /** A template from its Jinja2 source, with the texts of BOS and EOS for {@code bos_token}/{@code eos_token}. */
    public static ChatTemplate of(String source, String bosToken, String eosToken) {
        return new ChatTemplate(source, bosToken, eosToken);
    }

    /**
     * Orchard's default template for its own models: {@code <|bos|>} then, per message,
     * {@code <|role|>\n content <|end|>\n}; with a generation prompt, {@code <|assistant|>\n}. Generation stops at
     * {@code <|end|>}.
     */
    public static ChatTemplate orchardDefault() {
        return new ChatTemplate(ORCHARD_DEFAULT, BOS, EOS);
    }

    /** The Jinja2 source of the template. */
    public String source() {
        return source;
    }

    public String bosToken() {
        return bosToken;
    }

    public String eosToken() {
        return eosToken;
    }

    /**
     * Renders a conversation to the prompt text (encode it with special tokens parsed, without adding BOS again
     * when the template writes {@code bos_token} itself).
     *
     * @throws IllegalArgumentException when the template raises an exception or cannot be rendered
     */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        List<Map<String, Object>> msgs = new ArrayList<>();
        for (ChatMessage m : messages) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("role", m.role());
            map.put("content", m.content());
            msgs.add(map);
        }
        Map<String, Object> context = new HashMap<>();
        context.put("messages", msgs);
        context.put("add_generation_prompt", addGenerationPrompt);
        context.put("bos_token", bosToken);
        context.put("eos_token", eosToken);
        RenderResult result;
        try {
            result = JINJAVA.renderForResult(source, context);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("chat template failed: " + rootMessage(e), e);
        }
        for (TemplateError error : result.getErrors()) {
            if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
                // raise_exception's message sits at the bottom of the cause chain; other errors explain themselves.
                String message = error.getException() != null ? rootMessage(error.getException()) : null;
                throw new IllegalArgumentException("chat template failed: "
                        + (message != null ? message : error.getMessage()));
            }
        }
        return result.getOutput();
    }

    private static String rootMessage(Throwable e) {
        while (e.getCause() != null && e.getCause() != e) {
            e = e.getCause();
        }
        return e.getMessage();
    }

    /** Called by templates as {@code raise_exception(message)}. */
    public static String raiseException(String message) {
        throw new IllegalArgumentException(message);
    }

    /** Called by templates as {@code strftime_now(format)} (Llama-3.1 writes the date into the system prompt). */
    public static String strftimeNow(String format) {
        String pattern = format.replace("%d", "dd").replace("%b", "MMM").replace("%B", "MMMM").replace("%Y", "yyyy")
                .replace("%m", "MM").replace("%y", "yy");
        return LocalDate.now().format(DateTimeFormatter.ofPattern(pattern, java.util.Locale.ROOT));
    }

    private static Jinjava createEngine() {
        JinjavaConfig config = JinjavaConfig.newBuilder().withTrimBlocks(true).withLstripBlocks(true)
                .withFailOnUnknownTokens(false).build();
        Jinjava jinjava = new Jinjava(config);
        jinjava.getGlobalContext().registerFunction(
                new ELFunctionDefinition("", "raise_exception", ChatTemplate.class, "raiseException", String.class));
        jinjava.getGlobalContext().registerFunction(
                new ELFunctionDefinition("", "strftime_now", ChatTemplate.class, "strftimeNow", String.class));
        return jinjava;
    }
}
