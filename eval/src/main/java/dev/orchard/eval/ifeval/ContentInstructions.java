package dev.orchard.eval.ifeval;

import java.util.regex.Pattern;

/** The {@code detectable_content:*} instructions. */
final class ContentInstructions {

    private static final Pattern PLACEHOLDER = PyRegex.compile("\\[.*?\\]");

    private ContentInstructions() {
    }

    /** {@code detectable_content:number_placeholders}: at least N {@code [placeholders]}. */
    record Placeholders(int minimum) implements Instruction {
        @Override
        public boolean check(String response) {
            return PyRegex.findAll(PLACEHOLDER, response).size() >= minimum;
        }
    }

    /** {@code detectable_content:postscript}: a line that starts with the marker (P.S., P.P.S or any other). */
    record Postscript(Pattern pattern) implements Instruction {
        static Postscript of(String marker) {
            String m = PyText.strip(marker);
            String python = switch (m) {
                case "P.P.S" -> "\\s*p\\.\\s?p\\.\\s?s.*$";
                case "P.S." -> "\\s*p\\.\\s?s\\..*$";
                default -> "\\s*" + PyText.lower(m) + ".*$";
            };
            return new Postscript(PyRegex.compile(python, Pattern.MULTILINE));
        }

        @Override
        public boolean check(String response) {
            return pattern.matcher(PyText.lower(response)).find();
        }
    }
}
