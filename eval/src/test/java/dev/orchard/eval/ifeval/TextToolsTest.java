package dev.orchard.eval.ifeval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Python-compatibility helpers, Punkt and the NLTK word tokenizer, against the references' own documented cases. */
class TextToolsTest {

    @Test
    void pythonWhitespaceIncludesNoBreakSpaceUnlikeJavaStrip() {
        String s = "\u00A0\u202F hello \u2007\u001C";
        assertThat(PyText.strip(s)).isEqualTo("hello");
        assertThat(PyText.split("a\u00A0b\u3000c")).containsExactly("a", "b", "c");
        assertThat(PyText.split("a,,b", ",")).containsExactly("a", "", "b");
    }

    @Test
    void isUpperAndIsLowerNeedACasedCharacter() {
        assertThat(PyText.isUpper("HELLO, WORLD 42!")).isTrue();
        assertThat(PyText.isUpper("Hello")).isFalse();
        assertThat(PyText.isUpper("123 !")).isFalse();
        assertThat(PyText.isLower("hello, world")).isTrue();
        assertThat(PyText.isLower("hello World")).isFalse();
        assertThat(PyText.isLower("...")).isFalse();
    }

    @Test
    void regexTranslationFollowsPythonWordAndBoundaryRules() {
        // Python's \w takes superscript two (category No); Java's Unicode \w does not.
        assertThat(PyRegex.findAll(PyRegex.compile("\\w+"), "x² y")).containsExactly("x²", "y");
        // '.' stops only at \n in Python.
        assertThat(PyRegex.findAll(PyRegex.compile("a.b"), "a\rb a\nb")).containsExactly("a\rb");
        assertThat(PyRegex.compile("\\bcat\\b", java.util.regex.Pattern.CASE_INSENSITIVE).matcher("a CAT!").find())
                .isTrue();
        assertThat(PyRegex.compile("\\bcat\\b").matcher("concatenate").find()).isFalse();
        assertThat(PyRegex.translate("(?i)\\b(can)(?#X)(not)\\b")).doesNotContain("(?#");
        assertThat(PyRegex.compile("[]a]").matcher("]").matches()).isTrue();
    }

    @Test
    void jsonValidityMatchesPythonJsonLoads() {
        assertThat(PyJson.isValid("{\"a\": [1, 2.5e3, true, null]}")).isTrue();
        assertThat(PyJson.isValid("  \"just a string\" ")).isTrue();
        assertThat(PyJson.isValid("NaN")).isTrue();
        assertThat(PyJson.isValid("-Infinity")).isTrue();
        assertThat(PyJson.isValid("")).isFalse();
        assertThat(PyJson.isValid("{'a': 1}")).isFalse();
        assertThat(PyJson.isValid("{\"a\": 1,}")).isFalse();
        assertThat(PyJson.isValid("[1] [2]")).isFalse();
        assertThat(PyJson.isValid("01")).isFalse();
        assertThat(PyJson.isValid("1.")).isFalse();
        assertThat(PyJson.isValid("\"tab\there\"")).isFalse();
        assertThat(PyJson.isValid("\"\\x41\"")).isFalse();
    }

    @Test
    void jsonDumpsEscapesLikePython() {
        StringBuilder b = new StringBuilder();
        PyJson.appendString(b, "é\"\n\u007f😀");
        assertThat(b.toString()).isEqualTo("\"\\u00e9\\\"\\n\\u007f\\ud83d\\ude00\"");
    }

    /** instructions_util_test.py: test_word_count. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "word1, word2, word3, word4.|4",
            "Bard can you tell me which is the best optimization method for the transition from an hydro-thermal "
                    + "system to an hydro-renewables system|24",
            "Hyphenated-word has two word counts.|6"})
    void countsWordsAsTheReference(String text, int expected) {
        assertThat(TextCounts.countWords(text)).isEqualTo(expected);
    }

    /** instructions_util_test.py: test_count_sentences. */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "xx,x. xx,x! xx/x. x{x}x? x.;5",
            "xx,x! xxxx. x(x)x?;3",
            "xxxx. xx,x! xx|x. x&x x?;4",
            "xx-x]xx,x! x{x}xx,x.;2"})
    void countsSentencesAsTheReference(String text, int expected) {
        assertThat(TextCounts.countSentences(text)).isEqualTo(expected);
    }

    /** The Punkt module's doctest: abbreviations, initials and lower-case sentence starts. */
    @Test
    void punktKeepsAbbreviationsAndInitialsInsideSentences() {
        String text = "Punkt knows that the periods in Mr. Smith and Johann S. Bach\n"
                + "do not mark sentence boundaries.  And sometimes sentences\n"
                + "can start with non-capitalized words.  i is a good variable\nname.";
        assertThat(PunktSentenceTokenizer.english().tokenize(text)).containsExactly(
                "Punkt knows that the periods in Mr. Smith and Johann S. Bach\ndo not mark sentence boundaries.",
                "And sometimes sentences\ncan start with non-capitalized words.",
                "i is a good variable\nname.");
    }

    /** The Punkt module's doctest: closing punctuation is realigned onto the sentence it ends. */
    @Test
    void punktRealignsClosingPunctuation() {
        String text = "(How does it deal with this parenthesis?)  \"It should be part of the\n"
                + "previous sentence.\" \"(And the same with this one.)\" ('And this one!')\n"
                + "\"('(And (this)) '?)\" [(and this. )]";
        assertThat(PunktSentenceTokenizer.english().tokenize(text)).containsExactly(
                "(How does it deal with this parenthesis?)",
                "\"It should be part of the\nprevious sentence.\"",
                "\"(And the same with this one.)\"",
                "('And this one!')",
                "\"('(And (this)) '?)\"",
                "[(and this. )]");
    }

    @Test
    void punktUsesOrthographicEvidenceAfterInitials() {
        // "o." is an initial; "Let" was seen in lower case in training, so the break stands.
        assertThat(TextCounts.countSentences("It is in o. Let us go.")).isEqualTo(2);
        // "Bach" never appears in lower case: an initial before it is not a sentence end.
        assertThat(TextCounts.countSentences("It is by J. Bach. It is good.")).isEqualTo(2);
        // Numbered lists: "1." before a lower-case word is not a break.
        assertThat(TextCounts.countSentences("Take 1. the first one.")).isEqualTo(1);
        assertThat(TextCounts.countSentences("")).isZero();
    }

    /** NLTK's documented example for word_tokenize (sentences first, then the Treebank rules). */
    @Test
    void wordTokenizeMatchesNltk() {
        String s = "Good muffins cost $3.88 (roughly 3,36 euros)\nin New York.  Please buy me\ntwo of them.\nThanks.";
        assertThat(NltkWordTokenizer.wordTokenize(s)).containsExactly("Good", "muffins", "cost", "$", "3.88", "(",
                "roughly", "3,36", "euros", ")", "in", "New", "York", ".", "Please", "buy", "me", "two", "of", "them",
                ".", "Thanks", ".");
        assertThat(NltkWordTokenizer.tokenize("They'll say \"I can't\" -- DON'T cannot.")).containsExactly(
                "They", "'ll", "say", "``", "I", "ca", "n't", "''", "--", "DO", "N'T", "can", "not", ".");
    }

    @Test
    void looseVariantsFollowTheReferenceOrder() {
        List<String> v = IfEval.looseVariants("*Title*\nbody *x*\nlast");
        assertThat(v).containsExactly("*Title*\nbody *x*\nlast", "Title\nbody x\nlast", "body *x*\nlast",
                "*Title*\nbody *x*", "body *x*", "body x\nlast", "Title\nbody x", "body x");
        assertThat(IfEval.looseVariants("one line")).containsExactly("one line", "one line", "", "", "", "", "", "");
    }
}
