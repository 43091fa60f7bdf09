package dev.orchard.eval.ifeval;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Word and sentence counting as the reference's {@code instructions_util} does it. */
final class TextCounts {

    private static final Pattern WORD = PyRegex.compile("\\w+");

    private TextCounts() {
    }

    /** {@code count_words}: nltk's {@code RegexpTokenizer(r"\w+")}, i.e. runs of letters, digits and underscores. */
    static int countWords(String text) {
        Matcher m = WORD.matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** {@code count_sentences}: NLTK's English Punkt model. */
    static int countSentences(String text) {
        return PunktSentenceTokenizer.english().spans(text).size();
    }
}
