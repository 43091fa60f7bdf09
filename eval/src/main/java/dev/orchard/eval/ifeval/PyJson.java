package dev.orchard.eval.ifeval;

/**
 * The two pieces of Python's {@code json} module the IFEval reference depends on: {@code json.loads} as a yes/no
 * question (the json_format checker) and {@code json.dumps} with its default {@code ensure_ascii=True} output
 * (the result files), so that our files are byte-for-byte what the reference writes.
 */
final class PyJson {

    private PyJson() {
    }

    /**
     * Whether {@code json.loads(s)} would succeed: one JSON value (Python also accepts NaN, Infinity and -Infinity)
     * between optional JSON whitespace, strings free of raw control characters, nothing after the value.
     */
    static boolean isValid(String s) {
        Parser p = new Parser(s);
        try {
            p.ws();
            p.value();
            p.ws();
            return p.pos == s.length();
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private static final class Parser {
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        void ws() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                    return;
                }
                pos++;
            }
        }

        private IllegalStateException fail() {
            return new IllegalStateException("invalid JSON at " + pos);
        }

        private char peek() {
            if (pos >= s.length()) {
                throw fail();
            }
            return s.charAt(pos);
        }

        void value() {
            char c = peek();
            switch (c) {
                case '"' -> string();
                case '{' -> object();
                case '[' -> array();
                case 'n' -> literal("null");
                case 't' -> literal("true");
                case 'f' -> literal("false");
                case 'N' -> literal("NaN");
                case 'I' -> literal("Infinity");
                default -> {
                    if (c == '-' && s.startsWith("-Infinity", pos)) {
                        pos += "-Infinity".length();
                    } else {
                        number();
                    }
                }
            }
        }

        private void literal(String word) {
            if (!s.startsWith(word, pos)) {
                throw fail();
            }
            pos += word.length();
        }

        private void object() {
            pos++; // '{'
            ws();
            if (peek() == '}') {
                pos++;
                return;
            }
            while (true) {
                if (peek() != '"') {
                    throw fail();
                }
                string();
                ws();
                if (peek() != ':') {
                    throw fail();
                }
                pos++;
                ws();
                value();
                ws();
                char c = peek();
                pos++;
                if (c == '}') {
                    return;
                }
                if (c != ',') {
                    throw fail();
                }
                ws();
            }
        }

        private void array() {
            pos++; // '['
            ws();
            if (peek() == ']') {
                pos++;
                return;
            }
            while (true) {
                value();
                ws();
                char c = peek();
                pos++;
                if (c == ']') {
                    return;
                }
                if (c != ',') {
                    throw fail();
                }
                ws();
            }
        }

        private void string() {
            pos++; // opening quote
            while (true) {
                char c = peek();
                pos++;
                if (c == '"') {
                    return;
                }
                if (c < 0x20) {
                    throw fail(); // strict mode: raw control characters are not allowed
                }
                if (c == '\\') {
                    char e = peek();
                    pos++;
                    switch (e) {
                        case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> { }
                        case 'u' -> {
                            for (int k = 0; k < 4; k++) {
                                if (!isHex(peek())) {
                                    throw fail();
                                }
                                pos++;
                            }
                        }
                        default -> throw fail();
                    }
                }
            }
        }

        /** {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?} with ASCII digits only. */
        private void number() {
            if (pos < s.length() && s.charAt(pos) == '-') {
                pos++;
            }
            if (pos >= s.length() || !isDigit(s.charAt(pos))) {
                throw fail();
            }
            if (s.charAt(pos) == '0') {
                pos++;
            } else {
                digits();
            }
            if (pos + 1 < s.length() && s.charAt(pos) == '.' && isDigit(s.charAt(pos + 1))) {
                pos++;
                digits();
            }
            if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
                int save = pos;
                pos++;
                if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
                    pos++;
                }
                if (pos < s.length() && isDigit(s.charAt(pos))) {
                    digits();
                } else {
                    pos = save; // the exponent is not part of the number; what follows is "extra data"
                }
            }
        }

        private void digits() {
            while (pos < s.length() && isDigit(s.charAt(pos))) {
                pos++;
            }
        }

        private static boolean isHex(char c) {
            return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }
    }

    /** {@code json.dumps(s)} for a string: ASCII only, {@code \\uXXXX} in lowercase hex for everything else. */
    static void appendString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c >= 0x20 && c <= 0x7E) {
                        out.append(c);
                    } else {
                        out.append(String.format("\\u%04x", (int) c));
                    }
                }
            }
        }
        out.append('"');
    }
}
