package dev.orchard.core.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChatTemplateTest {

    private static final List<ChatMessage> CONVERSATION = List.of(
            ChatMessage.system("Be brief."), ChatMessage.user("Hi!"), ChatMessage.assistant("Hello."),
            ChatMessage.user("2+2?"));

    @Test
    void orchardDefault() {
        String prompt = ChatTemplate.orchardDefault().render(CONVERSATION, true);
        assertThat(prompt).isEqualTo("<|bos|><|system|>\nBe brief.<|end|>\n<|user|>\nHi!<|end|>\n"
                + "<|assistant|>\nHello.<|end|>\n<|user|>\n2+2?<|end|>\n<|assistant|>\n");
        assertThat(ChatTemplate.orchardDefault().render(List.of(ChatMessage.user("x")), false))
                .isEqualTo("<|bos|><|user|>\nx<|end|>\n");
        assertThatThrownBy(() -> ChatTemplate.orchardDefault().render(List.of(new ChatMessage("tool", "x")), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not tool");
    }

    /** ChatML as Qwen2 writes it in tokenizer_config.json (a loop, a conditional default system prompt). */
    @Test
    void chatMlTemplate() {
        String qwen = "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}"
                + "{{ '<|im_start|>system\\nYou are a helpful assistant.<|im_end|>\\n' }}{% endif %}"
                + "{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}"
                + "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
        String out = ChatTemplate.of(qwen, null, "<|im_end|>").render(List.of(ChatMessage.user("Hi")), true);
        assertThat(out).isEqualTo("<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
                + "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
    }

    /** Llama-3's template: bos_token, a set variable, string methods (strip) and trim_blocks. */
    @Test
    void llama3Template() {
        String llama3 = "{% set loop_messages = messages %}{% for message in loop_messages %}"
                + "{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'"
                + "+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}"
                + "{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}"
                + "{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}";
        String out = ChatTemplate.of(llama3, "<|begin_of_text|>", "<|eot_id|>")
                .render(List.of(ChatMessage.user("  Hi  ")), true);
        assertThat(out).isEqualTo("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n");
    }

    @Test
    void raiseExceptionFailsWithTheTemplatesMessage() {
        ChatTemplate t = ChatTemplate.of("{% if messages|length == 0 %}{{ raise_exception('need messages') }}{% endif %}ok",
                null, null);
        assertThat(t.render(List.of(ChatMessage.user("x")), false)).isEqualTo("ok");
        assertThatThrownBy(() -> t.render(List.of(), false)).hasMessageContaining("need messages");
    }

    @Test
    void readsChatTemplateAndSpecialTokensFromTokenizerConfig(@TempDir Path dir) throws Exception {
        Path gguf = VocabCases.testdata().resolve("ggml-vocab-llama-spm.gguf");
        BpeTokenizer base = Tokenizers.load(gguf);
        Tokenizers.save(base, dir, ChatTemplate.of("{{ bos_token }}{% for m in messages %}[{{ m['content'] }}]{% endfor %}", null, null));
        String config = Files.readString(dir.resolve("tokenizer_config.json"));
        assertThat(config).contains("\"bos_token\" : \"<s>\"").contains("\"add_bos_token\" : true");
        ChatTemplate t = Tokenizers.chatTemplate(dir).orElseThrow();
        assertThat(t.render(List.of(ChatMessage.user("a")), false)).isEqualTo("<s>[a]");
        BpeTokenizer loaded = Tokenizers.load(dir);
        assertThat(loaded.encode("Hello", true)).containsExactly(1, 15043);
        assertThat(loaded.bosId()).hasValue(1);
        assertThat(loaded.eosId()).hasValue(2);
        // tokenizer_config.json's add_bos_token wins over tokenizer.json's post-processor.
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"add_bos_token\": false, \"eos_token\": \"</s>\"}");
        assertThat(Tokenizers.load(dir).encode("Hello", true)).containsExactly(15043);
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"eos_token\": \"<nope>\"}");
        assertThatThrownBy(() -> Tokenizers.load(dir)).hasMessageContaining("eos_token \"<nope>\" is not in the vocabulary");
        assertThat(Tokenizers.chatTemplate(dir)).isEmpty();
        assertThat(Tokenizers.chatTemplate(gguf)).isEmpty();
    }
}
