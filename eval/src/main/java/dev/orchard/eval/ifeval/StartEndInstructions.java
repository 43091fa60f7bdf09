package dev.orchard.eval.ifeval;

/** The {@code startend:*} instructions. */
final class StartEndInstructions {

    private StartEndInstructions() {
    }

    /** {@code startend:end_checker}: ends with the phrase, ignoring case, outer space and outer double quotes. */
    record EndChecker(String phrase) implements Instruction {
        @Override
        public boolean check(String response) {
            String value = PyText.lower(PyText.strip(PyText.strip(response), "\""));
            return value.endsWith(PyText.lower(PyText.strip(phrase)));
        }
    }

    /** {@code startend:quotation}: the stripped response is wrapped in double quotes. */
    record Quotation() implements Instruction {
        @Override
        public boolean check(String response) {
            String value = PyText.strip(response);
            return PyText.len(value) > 1 && value.charAt(0) == '"' && value.charAt(value.length() - 1) == '"';
        }
    }
}
