package dev.orchard.eval.constraints;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides whether a story satisfies a constraint. The rules are deliberately simple and stated here, because the
 * same checker labels training data, rewards policies and scores held-out prompts:
 * <ul>
 * <li>a <b>word</b> is a maximal run of letters, digits and apostrophes; WORDS and AVOID compare words without
 *     regard to case ("Kite" counts as "kite"; "kites" does not);</li>
 * <li>NAME needs the name as a whole word with its capitalisation;</li>
 * <li>OPENING: the story, leading whitespace and quotes dropped and runs of whitespace read as one space, starts
 *     with the given text (case-sensitive), followed by a non-letter or the end;</li>
 * <li>ENDING: the story, trailing whitespace dropped and whitespace runs collapsed, ends with the given sentence;</li>
 * <li>LENGTH counts whitespace-separated pieces that hold a letter or digit;</li>
 * <li>an empty (whitespace-only) story fails everything, AVOID included.</li>
 * </ul>
 */
public final class ConstraintChecker {

    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}']+");
    private static final Pattern SPACE = Pattern.compile("\\s+");
    private static final Pattern COUNTED = Pattern.compile(".*[\\p{L}\\p{N}].*");

    private ConstraintChecker() {
    }

    public static boolean satisfies(String story, Constraint c) {
        if (story == null || story.isBlank()) {
            return false;
        }
        return switch (c.family()) {
            case WORDS -> lowerWords(story).containsAll(c.words().stream().map(w -> w.toLowerCase(Locale.ROOT)).toList());
            case NAME -> words(story).contains(c.words().get(0));
            case OPENING -> {
                String s = normalize(story).replaceFirst("^[\"'“‘\\s]+", "");
                String t = normalize(c.text());
                yield s.startsWith(t) && (s.length() == t.length() || !Character.isLetter(s.charAt(t.length()))
                        || !Character.isLetter(t.charAt(t.length() - 1)));
            }
            case ENDING -> normalize(story).endsWith(normalize(c.text()));
            case LENGTH -> {
                int n = wordCount(story);
                yield (c.min() < 0 || n >= c.min()) && (c.max() < 0 || n <= c.max());
            }
            case AVOID -> !lowerWords(story).contains(c.words().get(0).toLowerCase(Locale.ROOT));
        };
    }

    /** Per constraint, in order: whether the story satisfies it. */
    public static List<Boolean> check(String story, List<Constraint> constraints) {
        List<Boolean> out = new ArrayList<>(constraints.size());
        for (Constraint c : constraints) {
            out.add(satisfies(story, c));
        }
        return out;
    }

    /** The words of a text as written (see the class comment for what a word is). */
    public static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = WORD.matcher(text);
        while (m.find()) {
            String w = m.group();
            // quotes around a word are not part of it
            w = w.replaceAll("^'+|'+$", "");
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }

    static Set<String> lowerWords(String text) {
        Set<String> out = new HashSet<>();
        for (String w : words(text)) {
            out.add(w.toLowerCase(Locale.ROOT));
        }
        return out;
    }

    /** Whitespace-separated pieces holding at least one letter or digit. */
    public static int wordCount(String text) {
        int n = 0;
        for (String piece : SPACE.split(text.strip())) {
            if (!piece.isEmpty() && COUNTED.matcher(piece).matches()) {
                n++;
            }
        }
        return n;
    }

    static String normalize(String s) {
        return SPACE.matcher(s.strip()).replaceAll(" ");
    }
}
