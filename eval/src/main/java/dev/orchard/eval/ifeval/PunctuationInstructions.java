package dev.orchard.eval.ifeval;

/** The {@code punctuation:*} instruction. */
final class PunctuationInstructions {

    private PunctuationInstructions() {
    }

    /** {@code punctuation:no_comma}: no ASCII comma anywhere. */
    record NoComma() implements Instruction {
        @Override
        public boolean check(String response) {
            return response.indexOf(',') < 0;
        }
    }
}
