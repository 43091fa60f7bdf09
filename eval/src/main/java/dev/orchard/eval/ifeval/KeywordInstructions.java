package dev.orchard.eval.ifeval;

import java.util.List;
import java.util.regex.Pattern;

/** The {@code keywords:*} instructions. */
final class KeywordInstructions {

    private KeywordInstructions() {
    }

    /** {@code keywords:existence}: every keyword (a regex, as in the reference) occurs, case-insensitively. */
    record Existence(List<Pattern> keywords) implements Instruction {
        static Existence of(List<String> keywords) {
            return new Existence(keywords.stream().map(k -> PyRegex.compile(k, Pattern.CASE_INSENSITIVE)).toList());
        }

        @Override
        public boolean check(String response) {
            return keywords.stream().allMatch(k -> k.matcher(response).find());
        }
    }

    /** {@code keywords:frequency}: the keyword occurs less than / at least N times, case-insensitively. */
    record Frequency(Pattern keyword, int frequency, Relation relation) implements Instruction {
        static Frequency of(String keyword, int frequency, Relation relation) {
            return new Frequency(PyRegex.compile(PyText.strip(keyword), Pattern.CASE_INSENSITIVE), frequency,
                    relation);
        }

        @Override
        public boolean check(String response) {
            return relation.holds(PyRegex.findAll(keyword, response).size(), frequency);
        }
    }

    /** {@code keywords:forbidden_words}: none of the words occurs as a whole word, case-insensitively. */
    record ForbiddenWords(List<Pattern> words) implements Instruction {
        static ForbiddenWords of(List<String> words) {
            return new ForbiddenWords(words.stream().distinct()
                    .map(w -> PyRegex.compile("\\b" + w + "\\b", Pattern.CASE_INSENSITIVE)).toList());
        }

        @Override
        public boolean check(String response) {
            return words.stream().noneMatch(w -> w.matcher(response).find());
        }
    }

    /** {@code keywords:letter_frequency}: the letter occurs less than / at least N times in the lowercased text. */
    record LetterFrequency(String letter, int frequency, Relation relation) implements Instruction {
        static LetterFrequency of(String letter, int frequency, Relation relation) {
            if (letter.isEmpty() || PyText.len(letter) > 1) {
                throw new IllegalArgumentException("keywords:letter_frequency needs a single letter, got '"
                        + letter + "'");
            }
            return new LetterFrequency(PyText.lower(PyText.strip(letter)), frequency, relation);
        }

        @Override
        public boolean check(String response) {
            int count = 0;
            if (PyText.len(letter) == 1) {
                int target = letter.codePointAt(0);
                String lower = PyText.lower(response);
                for (int i = 0; i < lower.length(); ) {
                    int cp = lower.codePointAt(i);
                    if (cp == target) {
                        count++;
                    }
                    i += Character.charCount(cp);
                }
            }
            return relation.holds(count, frequency);
        }
    }
}
