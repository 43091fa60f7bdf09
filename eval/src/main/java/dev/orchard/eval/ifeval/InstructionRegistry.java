package dev.orchard.eval.ifeval;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** The 25 instruction ids of the reference's {@code instructions_registry.INSTRUCTION_DICT} and their arguments. */
final class InstructionRegistry {

    private static final Map<String, Function<Kwargs, Instruction>> FACTORIES = new TreeMap<>();

    static {
        FACTORIES.put("keywords:existence", k -> KeywordInstructions.Existence.of(k.strings("keywords")));
        FACTORIES.put("keywords:frequency", k -> KeywordInstructions.Frequency.of(k.string("keyword"),
                k.nonNegativeInt("frequency"), k.relation("relation")));
        FACTORIES.put("keywords:forbidden_words",
                k -> KeywordInstructions.ForbiddenWords.of(k.strings("forbidden_words")));
        FACTORIES.put("keywords:letter_frequency", k -> KeywordInstructions.LetterFrequency.of(k.string("letter"),
                k.nonNegativeInt("let_frequency"), k.relation("let_relation")));
        FACTORIES.put("language:response_language",
                k -> new LanguageInstructions.ResponseLanguage(k.string("language")));
        FACTORIES.put("length_constraints:number_sentences", k -> new LengthInstructions.NumberOfSentences(
                k.nonNegativeInt("num_sentences"), k.relation("relation")));
        FACTORIES.put("length_constraints:number_paragraphs",
                k -> new LengthInstructions.NumberOfParagraphs(k.nonNegativeInt("num_paragraphs")));
        FACTORIES.put("length_constraints:number_words", k -> new LengthInstructions.NumberOfWords(
                k.nonNegativeInt("num_words"), k.relation("relation")));
        FACTORIES.put("length_constraints:nth_paragraph_first_word", k -> LengthInstructions.NthParagraphFirstWord.of(
                k.nonNegativeInt("num_paragraphs"), k.nonNegativeInt("nth_paragraph"), k.string("first_word")));
        FACTORIES.put("detectable_content:number_placeholders",
                k -> new ContentInstructions.Placeholders(k.nonNegativeInt("num_placeholders")));
        FACTORIES.put("detectable_content:postscript",
                k -> ContentInstructions.Postscript.of(k.string("postscript_marker")));
        FACTORIES.put("detectable_format:number_bullet_lists",
                k -> new FormatInstructions.BulletLists(k.nonNegativeInt("num_bullets")));
        FACTORIES.put("detectable_format:constrained_response", k -> new FormatInstructions.ConstrainedResponse());
        FACTORIES.put("detectable_format:number_highlighted_sections",
                k -> new FormatInstructions.HighlightedSections(k.nonNegativeInt("num_highlights")));
        FACTORIES.put("detectable_format:multiple_sections", k -> FormatInstructions.MultipleSections.of(
                k.string("section_spliter"), k.nonNegativeInt("num_sections")));
        FACTORIES.put("detectable_format:json_format", k -> new FormatInstructions.JsonFormat());
        FACTORIES.put("detectable_format:title", k -> new FormatInstructions.Title());
        FACTORIES.put("combination:two_responses", k -> new CombinationInstructions.TwoResponses());
        FACTORIES.put("combination:repeat_prompt",
                k -> new CombinationInstructions.RepeatPrompt(k.string("prompt_to_repeat")));
        FACTORIES.put("startend:end_checker", k -> new StartEndInstructions.EndChecker(k.string("end_phrase")));
        FACTORIES.put("startend:quotation", k -> new StartEndInstructions.Quotation());
        FACTORIES.put("change_case:capital_word_frequency", k -> new ChangeCaseInstructions.CapitalWordFrequency(
                k.nonNegativeInt("capital_frequency"), k.relation("capital_relation")));
        FACTORIES.put("change_case:english_capital", k -> new ChangeCaseInstructions.EnglishCapital());
        FACTORIES.put("change_case:english_lowercase", k -> new ChangeCaseInstructions.EnglishLowercase());
        FACTORIES.put("punctuation:no_comma", k -> new PunctuationInstructions.NoComma());
    }

    private InstructionRegistry() {
    }

    static Instruction create(String id, Kwargs kwargs) {
        Function<Kwargs, Instruction> f = FACTORIES.get(id);
        if (f == null) {
            throw new IllegalArgumentException("unknown IFEval instruction id '" + id + "'");
        }
        return f.apply(kwargs);
    }

    static java.util.Set<String> ids() {
        return FACTORIES.keySet();
    }
}
