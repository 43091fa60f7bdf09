package dev.orchard.eval.ifeval;

/** The {@code change_case:*} instructions. */
final class ChangeCaseInstructions {

    private ChangeCaseInstructions() {
    }

    /** {@code change_case:capital_word_frequency}: all-caps {@code nltk.word_tokenize} tokens less than / at least N. */
    record CapitalWordFrequency(int frequency, Relation relation) implements Instruction {
        @Override
        public boolean check(String response) {
            int n = 0;
            for (String word : NltkWordTokenizer.wordTokenize(response)) {
                if (PyText.isUpper(word)) {
                    n++;
                }
            }
            return relation.holds(n, frequency);
        }
    }

    /** {@code change_case:english_capital}: all cased letters upper case and the text detected as English. */
    record EnglishCapital() implements Instruction {
        @Override
        public boolean check(String response) {
            return PyText.isUpper(response) && LanguageDetector.detect(response).map("en"::equals).orElse(true);
        }
    }

    /** {@code change_case:english_lowercase}: all cased letters lower case and the text detected as English. */
    record EnglishLowercase() implements Instruction {
        @Override
        public boolean check(String response) {
            return PyText.isLower(response) && LanguageDetector.detect(response).map("en"::equals).orElse(true);
        }
    }
}
