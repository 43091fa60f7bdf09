package dev.orchard.eval.ifeval;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every registered instruction, with a response that follows it and one that does not. */
class InstructionsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Set<String> covered = new HashSet<>();

    private boolean check(String id, String kwargs, String response) throws Exception {
        covered.add(id);
        return InstructionRegistry.create(id, new Kwargs(id, JSON.readTree(kwargs))).check(response);
    }

    private void follows(String id, String kwargs, String response) throws Exception {
        assertThat(check(id, kwargs, response)).as(id + " should accept: " + response).isTrue();
    }

    private void fails(String id, String kwargs, String response) throws Exception {
        assertThat(check(id, kwargs, response)).as(id + " should reject: " + response).isFalse();
    }

    @Test
    void keywords() throws Exception {
        follows("keywords:existence", "{\"keywords\": [\"apple\", \"pie\"]}", "An APPLE a day; pies too.");
        fails("keywords:existence", "{\"keywords\": [\"apple\", \"pie\"]}", "An apple a day.");
        follows("keywords:frequency", "{\"keyword\": \"tea\", \"frequency\": 2, \"relation\": \"at least\"}",
                "Tea time. More tea?");
        fails("keywords:frequency", "{\"keyword\": \"tea\", \"frequency\": 2, \"relation\": \"less than\"}",
                "Tea time. More tea?");
        follows("keywords:forbidden_words", "{\"forbidden_words\": [\"bad\"]}", "A badge is fine.");
        fails("keywords:forbidden_words", "{\"forbidden_words\": [\"bad\"]}", "That is BAD.");
        follows("keywords:letter_frequency", "{\"letter\": \"z\", \"let_frequency\": 2, \"let_relation\": \"at least\"}",
                "Zigzag.");
        fails("keywords:letter_frequency", "{\"letter\": \"z\", \"let_frequency\": 3, \"let_relation\": \"at least\"}",
                "Zigzag.");
    }

    @Test
    void language() throws Exception {
        String german = "Das ist ein kurzer Text, der eindeutig auf Deutsch geschrieben wurde und keine andere "
                + "Sprache enthält.";
        follows("language:response_language", "{\"language\": \"de\"}", german);
        fails("language:response_language", "{\"language\": \"fr\"}", german);
        // No letters at all: langdetect raises and the reference counts the instruction as followed.
        follows("language:response_language", "{\"language\": \"hi\"}", "12345 !!!");
    }

    @Test
    void lengthConstraints() throws Exception {
        follows("length_constraints:number_sentences", "{\"num_sentences\": 3, \"relation\": \"less than\"}",
                "One. Two.");
        fails("length_constraints:number_sentences", "{\"num_sentences\": 2, \"relation\": \"less than\"}",
                "One. Two.");
        follows("length_constraints:number_paragraphs", "{\"num_paragraphs\": 2}", "First part\n***\nSecond part");
        fails("length_constraints:number_paragraphs", "{\"num_paragraphs\": 2}", "First\n***\n\n***\nSecond");
        follows("length_constraints:number_words", "{\"num_words\": 3, \"relation\": \"at least\"}",
                "two-part words");
        fails("length_constraints:number_words", "{\"num_words\": 3, \"relation\": \"less than\"}", "one two three");
        String kw = "{\"num_paragraphs\": 2, \"nth_paragraph\": 2, \"first_word\": \"Then\"}";
        follows("length_constraints:nth_paragraph_first_word", kw, "First.\n\n\"Then, done.\"");
        fails("length_constraints:nth_paragraph_first_word", kw, "First.\n\nAfter that, done.");
        fails("length_constraints:nth_paragraph_first_word", kw, "First.\n\nThen.\n\nThird.");
    }

    @Test
    void detectableContent() throws Exception {
        follows("detectable_content:number_placeholders", "{\"num_placeholders\": 2}", "Dear [name], at [address].");
        fails("detectable_content:number_placeholders", "{\"num_placeholders\": 2}", "Dear [name].");
        follows("detectable_content:postscript", "{\"postscript_marker\": \"P.S.\"}", "Bye.\n\np.s. see you");
        fails("detectable_content:postscript", "{\"postscript_marker\": \"P.P.S\"}", "Bye.\nP.S. see you");
        follows("detectable_content:postscript", "{\"postscript_marker\": \"Note:\"}", "Bye.\nNOTE: later");
    }

    @Test
    void detectableFormat() throws Exception {
        follows("detectable_format:number_bullet_lists", "{\"num_bullets\": 2}", "* one\n- two\n**not a bullet**");
        fails("detectable_format:number_bullet_lists", "{\"num_bullets\": 2}", "* one");
        follows("detectable_format:constrained_response", "{}", "  My answer is maybe.  ");
        fails("detectable_format:constrained_response", "{}", "My answer is probably.");
        follows("detectable_format:number_highlighted_sections", "{\"num_highlights\": 2}", "*one* and **two**");
        fails("detectable_format:number_highlighted_sections", "{\"num_highlights\": 2}", "*one* and * *");
        follows("detectable_format:multiple_sections", "{\"section_spliter\": \"Section\", \"num_sections\": 2}",
                "Section 1\nintro\nSection 2\nbody");
        fails("detectable_format:multiple_sections", "{\"section_spliter\": \"SECTION\", \"num_sections\": 2}",
                "Section 1\nintro\nSection 2\nbody");
        follows("detectable_format:json_format", "{}", "```json\n{\"a\": 1}\n```");
        fails("detectable_format:json_format", "{}", "Here: {\"a\": 1}");
        follows("detectable_format:title", "{}", "<<My Title>>\ntext");
        fails("detectable_format:title", "{}", "<< >>\ntext");
    }

    @Test
    void combination() throws Exception {
        follows("combination:two_responses", "{}", "First answer.\n******\nSecond answer.");
        fails("combination:two_responses", "{}", "Same.\n******\nSame.");
        follows("combination:repeat_prompt", "{\"prompt_to_repeat\": \"Write a poem.\"}", " write a POEM. Roses...");
        fails("combination:repeat_prompt", "{\"prompt_to_repeat\": \"Write a poem.\"}", "Sure! Write a poem.");
    }

    @Test
    void startEnd() throws Exception {
        follows("startend:end_checker", "{\"end_phrase\": \"Any other questions?\"}", "Done. any other questions?\"");
        fails("startend:end_checker", "{\"end_phrase\": \"Any other questions?\"}", "Any other questions? Bye.");
        follows("startend:quotation", "{}", "  \"Quoted.\"  ");
        fails("startend:quotation", "{}", "\"");
    }

    @Test
    void changeCase() throws Exception {
        String kw = "{\"capital_frequency\": 3, \"capital_relation\": \"at least\"}";
        follows("change_case:capital_word_frequency", kw, "DON'T stop NOW.");
        fails("change_case:capital_word_frequency", kw, "Don't STOP now.");
        String upper = "THIS IS A LONG ENOUGH ENGLISH SENTENCE WRITTEN ENTIRELY IN CAPITAL LETTERS FOR THE TEST.";
        follows("change_case:english_capital", "{}", upper);
        fails("change_case:english_capital", "{}", upper.replace("TEST", "test"));
        String lower = "this is a long enough english sentence written entirely in lowercase letters for the test.";
        follows("change_case:english_lowercase", "{}", lower);
        fails("change_case:english_lowercase", "{}", lower.replace("english", "English"));
    }

    @Test
    void punctuation() throws Exception {
        follows("punctuation:no_comma", "{}", "No commas here; none.");
        fails("punctuation:no_comma", "{}", "One, two.");
    }

    @Test
    void everyRegisteredInstructionIsCovered() throws Exception {
        keywords();
        language();
        lengthConstraints();
        detectableContent();
        detectableFormat();
        combination();
        startEnd();
        changeCase();
        punctuation();
        assertThat(covered).containsExactlyInAnyOrderElementsOf(InstructionRegistry.ids());
        assertThat(InstructionRegistry.ids()).hasSize(25);
    }

    @Test
    void badArgumentsAreClearErrors() {
        assertThatThrownBy(() -> check("keywords:frequency", "{\"keyword\": \"x\", \"frequency\": 1}", "x"))
                .hasMessageContaining("keywords:frequency").hasMessageContaining("relation");
        assertThatThrownBy(() -> check("length_constraints:number_words",
                "{\"num_words\": 3, \"relation\": \"at most\"}", "x"))
                .hasMessageContaining("at most");
        assertThatThrownBy(() -> check("no:such", "{}", "x")).hasMessageContaining("no:such");
    }

    @Test
    void strictAndLooseScoring() throws Exception {
        IfEvalPrompt p = new IfEvalPrompt(1, "Say hi.", java.util.List.of("startend:quotation"),
                java.util.List.of(JSON.readTree("{}")));
        String response = "Sure, here it is:\n\"hi\"";
        assertThat(IfEval.score(p, response, IfEval.Mode.STRICT).followAllInstructions()).isFalse();
        assertThat(IfEval.score(p, response, IfEval.Mode.LOOSE).followAllInstructions()).isTrue();
        // A blank response follows nothing, even an instruction it would trivially satisfy.
        IfEvalPrompt noComma = new IfEvalPrompt(2, "x", java.util.List.of("punctuation:no_comma"),
                java.util.List.of(JSON.readTree("{}")));
        assertThat(IfEval.score(noComma, "  ", IfEval.Mode.LOOSE).followInstructionList()).containsExactly(false);
        assertThatThrownBy(() -> IfEval.score(java.util.List.of(p), java.util.Map.of(), IfEval.Mode.STRICT))
                .hasMessageContaining("Missing responses for input task keys: [1]");
    }
}
