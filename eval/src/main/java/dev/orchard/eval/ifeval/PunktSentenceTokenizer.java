package dev.orchard.eval.ifeval;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Punkt sentence tokenizer (Kiss and Strunk 2006) as NLTK 3.9 applies a trained model: candidate sentence ends
 * are found with the period-context regex, each is decided from the word before and the token after it (first pass:
 * abbreviations, ellipses, plain breaks; second pass: collocation, orthographic and sentence-starter heuristics),
 * and closing punctuation is realigned onto the sentence it ends. IFEval counts sentences with this over NLTK's
 * English model.
 */
final class PunktSentenceTokenizer {

    private static final String NON_WORD = "(?:[)\\\";}\\]\\*:@\\'\\({\\[?!])";
    private static final String MULTI_CHAR = "(?:\\-{2,}|\\.{2,}|(?:\\.\\s){2,}\\.)";
    private static final String WORD_START = "[^\\(\\\"\\`{\\[:;&\\#\\*@\\)}\\]\\-,]";

    private static final Pattern WORD_TOKENIZER = PyRegex.compile("(" + MULTI_CHAR + "|(?=" + WORD_START
            + ")\\S+?(?=\\s|$|" + NON_WORD + "|" + MULTI_CHAR + "|,(?=$|\\s|" + NON_WORD + "|" + MULTI_CHAR + "))"
            + "|\\S)");
    private static final Pattern PERIOD_CONTEXT = PyRegex.compile(
            "[\\.\\?!](?=(?<afterTok>" + NON_WORD + "|\\s+(?<nextTok>\\S+)))");
    private static final Pattern BOUNDARY_REALIGNMENT = PyRegex.compile(
            "[\"\\')\\]}]+?(?:\\s+|(?=--)|$)", Pattern.MULTILINE);

    private static final Pattern RE_ELLIPSIS = PyRegex.compile("\\.\\.+$");
    private static final Pattern RE_NUMERIC = PyRegex.compile("^-?[\\.,]?\\d[\\d,\\.-]*\\.?$");
    private static final Pattern RE_INITIAL = PyRegex.compile("[^\\W\\d]\\.$");
    private static final String NUMBER = "##number##";
    private static final String PUNCTUATION = ";:,.!?";

    private final PunktParameters params;

    PunktSentenceTokenizer(PunktParameters params) {
        this.params = params;
    }

    static PunktSentenceTokenizer english() {
        return Holder.ENGLISH;
    }

    private static final class Holder {
        static final PunktSentenceTokenizer ENGLISH = new PunktSentenceTokenizer(PunktParameters.english());
    }

    /** {@code tokenizer.tokenize(text)}: the sentences, closing punctuation realigned. */
    List<String> tokenize(String text) {
        List<String> out = new ArrayList<>();
        for (int[] span : spans(text)) {
            out.add(text.substring(span[0], span[1]));
        }
        return out;
    }

    List<int[]> spans(String text) {
        return realignBoundaries(text, slicesFromText(text));
    }

    // ---------------------------------------------------------------- tokens

    /** A word token with the annotations of the two passes. */
    private static final class Token {
        final String tok;
        final String type;
        final boolean periodFinal;
        boolean sentbreak;
        boolean abbr;
        boolean ellipsis;

        Token(String tok) {
            this.tok = tok;
            String lower = PyText.lower(tok);
            this.type = RE_NUMERIC.matcher(lower).find() ? NUMBER : lower;
            this.periodFinal = tok.endsWith(".");
        }

        String typeNoPeriod() {
            if (type.length() > 1 && type.endsWith(".")) {
                return type.substring(0, type.length() - 1);
            }
            return type;
        }

        String typeNoSentperiod() {
            return sentbreak ? typeNoPeriod() : type;
        }

        boolean firstUpper() {
            return Character.isUpperCase(tok.codePointAt(0));
        }

        boolean firstLower() {
            return Character.isLowerCase(tok.codePointAt(0));
        }

        boolean isEllipsis() {
            return RE_ELLIPSIS.matcher(tok).lookingAt();
        }

        boolean isInitial() {
            return RE_INITIAL.matcher(tok).lookingAt();
        }
    }

    /** {@code _tokenize_words}: the punkt word regex over each non-blank line. */
    private static List<Token> tokenizeWords(String text) {
        List<Token> tokens = new ArrayList<>();
        for (String line : PyText.split(text, "\n")) {
            if (PyText.strip(line).isEmpty()) {
                continue;
            }
            Matcher m = WORD_TOKENIZER.matcher(line);
            while (m.find()) {
                tokens.add(new Token(m.group(1)));
            }
        }
        return tokens;
    }

    // ---------------------------------------------------------------- annotation

    private void firstPass(Token t) {
        String tok = t.tok;
        if (tok.equals(".") || tok.equals("?") || tok.equals("!")) {
            t.sentbreak = true;
        } else if (t.isEllipsis()) {
            t.ellipsis = true;
        } else if (t.periodFinal && !tok.endsWith("..")) {
            String stem = PyText.lower(tok.substring(0, tok.length() - 1));
            String lastPart = stem.substring(stem.lastIndexOf('-') + 1);
            if (params.abbrevTypes().contains(stem) || params.abbrevTypes().contains(lastPart)) {
                t.abbr = true;
            } else {
                t.sentbreak = true;
            }
        }
    }

    private void secondPass(Token t1, Token t2) {
        if (!t1.periodFinal) {
            return;
        }
        String typ = t1.typeNoPeriod();
        String nextTyp = t2.typeNoSentperiod();
        boolean isInitial = t1.isInitial();

        // Collocation heuristic: a known "word. word" pair is not a break.
        if (params.isCollocation(typ, nextTyp)) {
            t1.sentbreak = false;
            t1.abbr = true;
            return;
        }
        // Abbreviations and ellipses also break when the next word looks like a sentence start.
        if ((t1.abbr || t1.ellipsis) && !isInitial) {
            Boolean starter = orthoHeuristic(t2);
            if (Boolean.TRUE.equals(starter)) {
                t1.sentbreak = true;
                return;
            }
            if (t2.firstUpper() && params.sentStarters().contains(nextTyp)) {
                t1.sentbreak = true;
                return;
            }
        }
        // Initials and ordinals are not breaks when the next word does not look like a sentence start.
        if (isInitial || typ.equals(NUMBER)) {
            Boolean starter = orthoHeuristic(t2);
            if (Boolean.FALSE.equals(starter)) {
                t1.sentbreak = false;
                t1.abbr = true;
                return;
            }
            if (starter == null && isInitial && t2.firstUpper()
                    && (params.ortho(nextTyp) & PunktParameters.ORTHO_LC) == 0) {
                t1.sentbreak = false;
                t1.abbr = true;
            }
        }
    }

    /** True: starts a sentence; false: does not; null: unknown. */
    private Boolean orthoHeuristic(Token t) {
        if (t.tok.length() == 1 && PUNCTUATION.indexOf(t.tok.charAt(0)) >= 0) {
            return false;
        }
        int ortho = params.ortho(t.typeNoSentperiod());
        if (t.firstUpper() && (ortho & PunktParameters.ORTHO_LC) != 0 && (ortho & PunktParameters.ORTHO_MID_UC) == 0) {
            return true;
        }
        if (t.firstLower() && ((ortho & PunktParameters.ORTHO_UC) != 0
                || (ortho & PunktParameters.ORTHO_BEG_LC) == 0)) {
            return false;
        }
        return null;
    }

    /** {@code text_contains_sentbreak}: a break on any token but the last. */
    private boolean containsSentbreak(String text) {
        List<Token> tokens = tokenizeWords(text);
        for (Token t : tokens) {
            firstPass(t);
        }
        for (int i = 0; i + 1 < tokens.size(); i++) {
            secondPass(tokens.get(i), tokens.get(i + 1));
        }
        for (int i = 0; i + 1 < tokens.size(); i++) {
            if (tokens.get(i).sentbreak) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- slicing

    private record EndContext(int end, int nextTokStart, String context) {
    }

    /**
     * {@code _match_potential_end_contexts}: candidate ends found right to left, each with the word before it, so
     * that a run such as "!!!" is decided once, at its last character.
     */
    private static List<EndContext> potentialEndContexts(String text) {
        List<MatchResult> all = new ArrayList<>();
        Matcher m = PERIOD_CONTEXT.matcher(text);
        while (m.find()) {
            all.add(new MatchResult(m.start(), m.end(), m.group("afterTok"),
                    m.group("nextTok") == null ? -1 : m.start("nextTok")));
        }
        List<EndContext> out = new ArrayList<>();
        int beforeStart = 0;
        for (int k = all.size() - 1; k >= 0; k--) {
            MatchResult r = all.get(k);
            if (!out.isEmpty() && r.end > beforeStart) {
                continue;
            }
            // text[:start].rsplit(maxsplit=1): the last whitespace-separated word, and where the rest ends.
            String head = PyText.rstrip(text.substring(0, r.start));
            int ws = head.length();
            while (ws > 0 && !PyText.isSpace(head.codePointBefore(ws))) {
                ws -= Character.charCount(head.codePointBefore(ws));
            }
            String beforeWord = head.substring(ws);
            // Only leading whitespace before the word gives a one-element split: beforeStart is 0 either way.
            beforeStart = PyText.rstrip(head.substring(0, ws)).length();
            out.add(new EndContext(r.end, r.nextTokStart, beforeWord + text.substring(r.start, r.end) + r.afterTok));
        }
        return out.reversed();
    }

    private record MatchResult(int start, int end, String afterTok, int nextTokStart) {
    }

    private List<int[]> slicesFromText(String text) {
        List<int[]> slices = new ArrayList<>();
        int lastBreak = 0;
        for (EndContext c : potentialEndContexts(text)) {
            if (containsSentbreak(c.context())) {
                slices.add(new int[] {lastBreak, c.end()});
                lastBreak = c.nextTokStart() >= 0 ? c.nextTokStart() : c.end();
            }
        }
        slices.add(new int[] {lastBreak, PyText.rstrip(text).length()});
        return slices;
    }

    /** {@code _realign_boundaries}: moves closing quotes and brackets after a break into the sentence before. */
    private static List<int[]> realignBoundaries(String text, List<int[]> slices) {
        List<int[]> out = new ArrayList<>();
        int realign = 0;
        for (int i = 0; i < slices.size(); i++) {
            int start = slices.get(i)[0] + realign;
            int stop = slices.get(i)[1];
            if (i + 1 == slices.size()) {
                if (nonEmpty(text, start, stop)) {
                    out.add(new int[] {start, stop});
                }
                continue;
            }
            int[] next = slices.get(i + 1);
            String nextText = slice(text, next[0], next[1]);
            Matcher m = BOUNDARY_REALIGNMENT.matcher(nextText);
            if (m.lookingAt()) {
                out.add(new int[] {start, next[0] + PyText.rstrip(m.group()).length()});
                realign = m.end();
            } else {
                realign = 0;
                if (nonEmpty(text, start, stop)) {
                    out.add(new int[] {start, stop});
                }
            }
        }
        return out;
    }

    /** Python's {@code text[start:stop]} for non-negative bounds: clamped, empty when start >= stop. */
    private static String slice(String text, int start, int stop) {
        int s = Math.min(start, text.length());
        int e = Math.min(stop, text.length());
        return s >= e ? "" : text.substring(s, e);
    }

    private static boolean nonEmpty(String text, int start, int stop) {
        return !slice(text, start, stop).isEmpty();
    }
}
