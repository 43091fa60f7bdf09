package dev.orchard.eval.ifeval;

import java.util.List;
import java.util.regex.Pattern;

/** The {@code length_constraints:*} instructions. */
final class LengthInstructions {

    private static final Pattern PARAGRAPH_DIVIDER = PyRegex.compile("\\s?\\*\\*\\*\\s?");
    private static final Pattern BLANK_LINE = PyRegex.compile("\\n\\n");

    private LengthInstructions() {
    }

    /** {@code length_constraints:number_sentences}: Punkt sentence count less than / at least N. */
    record NumberOfSentences(int threshold, Relation relation) implements Instruction {
        @Override
        public boolean check(String response) {
            return relation.holds(TextCounts.countSentences(response), threshold);
        }
    }

    /**
     * {@code length_constraints:number_paragraphs}: exactly N paragraphs separated by {@code ***}; an empty piece is
     * allowed only at either end.
     */
    record NumberOfParagraphs(int paragraphs) implements Instruction {
        @Override
        public boolean check(String response) {
            List<String> pieces = PyRegex.split(PARAGRAPH_DIVIDER, response);
            int count = pieces.size();
            for (int i = 0; i < pieces.size(); i++) {
                if (PyText.strip(pieces.get(i)).isEmpty()) {
                    if (i == 0 || i == pieces.size() - 1) {
                        count--;
                    } else {
                        return false;
                    }
                }
            }
            return count == paragraphs;
        }
    }

    /** {@code length_constraints:number_words}: word count less than / at least N. */
    record NumberOfWords(int threshold, Relation relation) implements Instruction {
        @Override
        public boolean check(String response) {
            return relation.holds(TextCounts.countWords(response), threshold);
        }
    }

    /**
     * {@code length_constraints:nth_paragraph_first_word}: exactly N paragraphs separated by blank lines, and the
     * n-th starts with the word (compared lowercase, up to the first punctuation mark).
     */
    record NthParagraphFirstWord(int paragraphs, int nth, String firstWord) implements Instruction {
        private static final String PUNCTUATION = ".,?!'\"";

        static NthParagraphFirstWord of(int paragraphs, int nth, String firstWord) {
            if (nth <= 0 || nth > paragraphs) {
                throw new IllegalArgumentException("length_constraints:nth_paragraph_first_word: nth_paragraph "
                        + nth + " must be between 1 and num_paragraphs " + paragraphs);
            }
            return new NthParagraphFirstWord(paragraphs, nth, PyText.lower(firstWord));
        }

        @Override
        public boolean check(String response) {
            List<String> pieces = PyRegex.split(BLANK_LINE, response);
            int count = pieces.size();
            for (String p : pieces) {
                if (PyText.strip(p).isEmpty()) {
                    count--;
                }
            }
            if (nth > count) {
                return false;
            }
            String paragraph = PyText.strip(pieces.get(nth - 1));
            if (paragraph.isEmpty()) {
                return false;
            }
            String word = PyText.strip(PyText.split(paragraph).getFirst());
            word = PyText.lstrip(word, "'");
            word = PyText.lstrip(word, "\"");
            StringBuilder first = new StringBuilder();
            for (int i = 0; i < word.length(); ) {
                int cp = word.codePointAt(i);
                if (PUNCTUATION.indexOf(cp) >= 0) {
                    break;
                }
                first.append(PyText.lower(Character.toString(cp)));
                i += Character.charCount(cp);
            }
            return count == paragraphs && first.toString().equals(firstWord);
        }
    }
}
