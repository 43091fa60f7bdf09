package dev.orchard.eval.ifeval;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code nltk.word_tokenize}: Punkt sentences, each split by NLTK's improved Treebank tokenizer
 * ({@code NLTKWordTokenizer}: quotes, punctuation, brackets, dashes and clitics padded with spaces, then a
 * whitespace split). IFEval's capital_word_frequency counts the all-caps tokens of this.
 */
final class NltkWordTokenizer {

    private record Rule(Pattern pattern, Function<Matcher, String> replacement) {
        String apply(String text) {
            return PyRegex.sub(pattern, text, replacement);
        }
    }

    private static Rule rule(String python, Function<Matcher, String> replacement) {
        return new Rule(PyRegex.compile(python), replacement);
    }

    private static String g(Matcher m, int group) {
        return PyRegex.group(m, group);
    }

    private static final Function<Matcher, String> PAD = m -> " " + m.group() + " ";
    private static final Function<Matcher, String> PAD_1 = m -> " " + g(m, 1) + " ";
    private static final Function<Matcher, String> SPLIT_1_2 = m -> " " + g(m, 1) + " " + g(m, 2) + " ";
    private static final Function<Matcher, String> KEEP_1_PAD_2 = m -> g(m, 1) + " " + g(m, 2) + " ";

    private static final List<Rule> STARTING_QUOTES = List.of(
            rule("([«“‘„]|[`]+)", PAD_1),
            rule("^\\\"", m -> "``"),
            rule("(``)", PAD_1),
            rule("([ \\(\\[{<])(\\\"|\\'{2})", m -> g(m, 1) + " `` "),
            rule("(?i)(?<!\\w)(\\')(?!(?:re|ve|ll|m|t|s|d|n)\\b)(?=\\w)", m -> g(m, 1) + " "));

    private static final List<Rule> PUNCTUATION = List.of(
            rule("([^\\.])(\\.)([\\]\\)}>\"\\'»”’ ]*)\\s*$", m -> g(m, 1) + " " + g(m, 2) + " " + g(m, 3) + " "),
            rule("([:,])([^\\d])", m -> " " + g(m, 1) + " " + g(m, 2)),
            rule("([:,])$", PAD_1),
            rule("\\.{2,}", PAD),
            rule("[;@#$%&]", PAD),
            rule("[\\u2012-\\u2015]", PAD),
            rule("([^\\.])(\\.)([\\]\\)}>\"\\']*)\\s*$", m -> g(m, 1) + " " + g(m, 2) + g(m, 3) + " "),
            rule("[?!]", PAD),
            rule("([^'])' ", m -> g(m, 1) + " ' "),
            rule("[*]", PAD));

    private static final Rule PARENS_BRACKETS = rule("[\\]\\[\\(\\)\\{\\}\\<\\>]", PAD);
    private static final Rule DOUBLE_DASHES = rule("--", m -> " -- ");

    private static final List<Rule> ENDING_QUOTES = List.of(
            rule("([»”’])", PAD_1),
            rule("''", m -> " '' "),
            rule("\"", m -> " '' "),
            rule("\\s+", m -> " "),
            rule("([^' ])('[sS]|'[mM]|'[dD]|') ", KEEP_1_PAD_2),
            rule("([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) ", KEEP_1_PAD_2));

    private static final List<Rule> CONTRACTIONS = List.of(
            rule("(?i)\\b(can)(?#X)(not)\\b", SPLIT_1_2),
            rule("(?i)\\b(d)(?#X)('ye)\\b", SPLIT_1_2),
            rule("(?i)\\b(gim)(?#X)(me)\\b", SPLIT_1_2),
            rule("(?i)\\b(gon)(?#X)(na)\\b", SPLIT_1_2),
            rule("(?i)\\b(got)(?#X)(ta)\\b", SPLIT_1_2),
            rule("(?i)\\b(lem)(?#X)(me)\\b", SPLIT_1_2),
            rule("(?i)\\b(more)(?#X)('n)\\b", SPLIT_1_2),
            rule("(?i)\\b(wan)(?#X)(na)(?=\\s)", SPLIT_1_2),
            rule("(?i) ('t)(?#X)(is)\\b", SPLIT_1_2),
            rule("(?i) ('t)(?#X)(was)\\b", SPLIT_1_2));

    private NltkWordTokenizer() {
    }

    /** {@code nltk.word_tokenize(text)} (English, sentences split first). */
    static List<String> wordTokenize(String text) {
        List<String> tokens = new ArrayList<>();
        for (String sentence : PunktSentenceTokenizer.english().tokenize(text)) {
            tokens.addAll(tokenize(sentence));
        }
        return tokens;
    }

    /** {@code NLTKWordTokenizer().tokenize(text)} for one sentence. */
    static List<String> tokenize(String text) {
        for (Rule r : STARTING_QUOTES) {
            text = r.apply(text);
        }
        for (Rule r : PUNCTUATION) {
            text = r.apply(text);
        }
        text = PARENS_BRACKETS.apply(text);
        text = DOUBLE_DASHES.apply(text);
        text = " " + text + " ";
        for (Rule r : ENDING_QUOTES) {
            text = r.apply(text);
        }
        for (Rule r : CONTRACTIONS) {
            text = r.apply(text);
        }
        return PyText.split(text);
    }
}
