package dev.orchard.eval.ifeval;

import java.util.List;
import java.util.regex.Pattern;

/** The {@code detectable_format:*} instructions. */
final class FormatInstructions {

    private static final Pattern STAR_BULLET = PyRegex.compile("^\\s*\\*[^\\*].*$", Pattern.MULTILINE);
    private static final Pattern DASH_BULLET = PyRegex.compile("^\\s*-.*$", Pattern.MULTILINE);
    private static final Pattern HIGHLIGHT = PyRegex.compile("\\*[^\\n\\*]*\\*");
    private static final Pattern DOUBLE_HIGHLIGHT = PyRegex.compile("\\*\\*[^\\n\\*]*\\*\\*");
    private static final Pattern TITLE = PyRegex.compile("<<[^\\n]+>>");
    private static final List<String> CONSTRAINED_OPTIONS =
            List.of("My answer is yes.", "My answer is no.", "My answer is maybe.");

    private FormatInstructions() {
    }

    /** {@code detectable_format:number_bullet_lists}: exactly N lines starting with {@code *} or {@code -}. */
    record BulletLists(int bullets) implements Instruction {
        @Override
        public boolean check(String response) {
            int n = PyRegex.findAll(STAR_BULLET, response).size() + PyRegex.findAll(DASH_BULLET, response).size();
            return n == bullets;
        }
    }

    /** {@code detectable_format:constrained_response}: contains one of the three "My answer is ..." options. */
    record ConstrainedResponse() implements Instruction {
        @Override
        public boolean check(String response) {
            String value = PyText.strip(response);
            return CONSTRAINED_OPTIONS.stream().anyMatch(value::contains);
        }
    }

    /**
     * {@code detectable_format:number_highlighted_sections}: at least N non-blank {@code *highlights*}; a
     * {@code **bold**} span counts through both of the reference's patterns.
     */
    record HighlightedSections(int minimum) implements Instruction {
        @Override
        public boolean check(String response) {
            int n = 0;
            for (String h : PyRegex.findAll(HIGHLIGHT, response)) {
                if (!PyText.strip(PyText.strip(h, "*")).isEmpty()) {
                    n++;
                }
            }
            for (String h : PyRegex.findAll(DOUBLE_HIGHLIGHT, response)) {
                if (!PyText.strip(h.substring(2, h.length() - 2)).isEmpty()) {
                    n++;
                }
            }
            return n >= minimum;
        }
    }

    /** {@code detectable_format:multiple_sections}: at least N sections marked "{splitter} {number}". */
    record MultipleSections(Pattern splitter, int minimum) implements Instruction {
        static MultipleSections of(String splitter, int minimum) {
            return new MultipleSections(PyRegex.compile("\\s?" + PyText.strip(splitter) + "\\s?\\d+\\s?"), minimum);
        }

        @Override
        public boolean check(String response) {
            return PyRegex.split(splitter, response).size() - 1 >= minimum;
        }
    }

    /** {@code detectable_format:json_format}: the whole response, less Markdown code fences, parses as JSON. */
    record JsonFormat() implements Instruction {
        @Override
        public boolean check(String response) {
            String value = PyText.strip(response);
            value = removePrefix(value, "```json");
            value = removePrefix(value, "```Json");
            value = removePrefix(value, "```JSON");
            value = removePrefix(value, "```");
            value = removeSuffix(value, "```");
            return PyJson.isValid(PyText.strip(value));
        }
    }

    /** {@code detectable_format:title}: a non-blank {@code <<title>>} on one line. */
    record Title() implements Instruction {
        @Override
        public boolean check(String response) {
            for (String t : PyRegex.findAll(TITLE, response)) {
                if (!PyText.strip(PyText.rstrip(PyText.lstrip(t, "<"), ">")).isEmpty()) {
                    return true;
                }
            }
            return false;
        }
    }

    static String removePrefix(String s, String prefix) {
        return s.startsWith(prefix) ? s.substring(prefix.length()) : s;
    }

    static String removeSuffix(String s, String suffix) {
        return s.endsWith(suffix) ? s.substring(0, s.length() - suffix.length()) : s;
    }
}
