package dev.orchard.eval.ifeval;

/** The {@code language:*} instruction. */
final class LanguageInstructions {

    private LanguageInstructions() {
    }

    /**
     * {@code language:response_language}: the detected language is the requested one. Text the detector cannot
     * judge (no letters) counts as followed, as in the reference.
     */
    record ResponseLanguage(String language) implements Instruction {
        @Override
        public boolean check(String response) {
            return LanguageDetector.detect(response).map(language::equals).orElse(true);
        }
    }
}
