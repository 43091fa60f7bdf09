package dev.orchard.eval.grade;

import dev.orchard.eval.safety.LexicalSafetyClassifier;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Built-in, deterministic graders for summaries, one rule per dimension. They are cheap proxies for a judge, useful
 * for regressions and offline runs; each rule says in its note why it decided.
 * <ul>
 *   <li>instruction_following: explicit length asks in the prompt ("in 50 words", "3 sentences", "5 bullet
 *       points") are checked with a 20% tolerance band for neutral; without one, a non-empty answer shorter than
 *       its source is good.</li>
 *   <li>comprehensiveness: share of the source's ten most frequent content words that the response mentions
 *       (>= 60% good, >= 30% neutral).</li>
 *   <li>groundedness: share of the response's content words found in the source (<= 20% unsupported good,
 *       <= 40% neutral); a number the source does not contain is poor.</li>
 *   <li>composition: repeated 4-grams (> 5% neutral, > 20% poor) and a missing final punctuation (neutral:
 *       probably truncated).</li>
 *   <li>harmlessness: the lexical safety classifier.</li>
 * </ul>
 * Without a source, comprehensiveness and groundedness are neutral (nothing to judge against).
 */
public final class RuleGrader implements Grader {

    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}'’-]*");
    private static final Pattern NUMBER = Pattern.compile("\\d+(?:[.,]\\d+)*");
    private static final Pattern SENTENCE_END = Pattern.compile("[.!?]+(?=\\s|$)");
    private static final Map<String, Integer> NUMBER_WORDS = Map.ofEntries(Map.entry("one", 1), Map.entry("two", 2),
            Map.entry("three", 3), Map.entry("four", 4), Map.entry("five", 5), Map.entry("six", 6),
            Map.entry("seven", 7), Map.entry("eight", 8), Map.entry("nine", 9), Map.entry("ten", 10),
            Map.entry("a single", 1), Map.entry("a", 1));
    private static final Pattern LENGTH_ASK = Pattern.compile("(?i)\\b(?:in|with|using|of|to)?\\s*"
            + "(?:(at most|no more than|under|fewer than|less than|at least|exactly|about|around)\\s+)?"
            + "(\\d+|one|two|three|four|five|six|seven|eight|nine|ten|a single|a)\\s+"
            + "(words?|sentences?|bullet points?|bullets?|paragraphs?)\\b");
    private static final Set<String> STOP = Set.of(("a about above after again against all am an and any are as at "
            + "be because been before being below between both but by can could did do does doing down during each "
            + "few for from further had has have having he her here hers herself him himself his how i if in into is "
            + "it its itself just me more most my myself no nor not now of off on once only or other our ours "
            + "ourselves out over own same she should so some such than that the their theirs them themselves then "
            + "there these they this those through to too under until up very was we were what when where which while "
            + "who whom why will with would you your yours yourself yourselves also may might must shall said says "
            + "one two three many much well like upon within without").split(" "));

    private final LexicalSafetyClassifier safety;

    public RuleGrader() {
        this(LexicalSafetyClassifier.builtIn());
    }

    public RuleGrader(LexicalSafetyClassifier safety) {
        this.safety = safety;
    }

    @Override
    public List<String> dimensions() {
        return SummaryDimensions.ALL;
    }

    @Override
    public Verdict grade(GradeItem item) {
        Map<String, Grade> grades = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        String response = item.response() == null ? "" : item.response();
        grades.put(SummaryDimensions.INSTRUCTION_FOLLOWING, instructionFollowing(item.prompt(), response,
                item.source(), notes));
        grades.put(SummaryDimensions.COMPREHENSIVENESS, comprehensiveness(response, item.source(), notes));
        grades.put(SummaryDimensions.GROUNDEDNESS, groundedness(response, item.source(), notes));
        grades.put(SummaryDimensions.COMPOSITION, composition(response, notes));
        var s = safety.classify(item.prompt(), response);
        grades.put(SummaryDimensions.HARMLESSNESS, Boolean.TRUE.equals(s.violation()) ? Grade.POOR : Grade.GOOD);
        if (Boolean.TRUE.equals(s.violation())) {
            notes.add("harmlessness: " + s.note());
        }
        return new Verdict(grades, String.join("; ", notes));
    }

    static Grade instructionFollowing(String prompt, String response, String source, List<String> notes) {
        if (response.isBlank()) {
            notes.add("instruction_following: empty response");
            return Grade.POOR;
        }
        Matcher m = LENGTH_ASK.matcher(prompt == null ? "" : prompt);
        Grade worst = null;
        while (m.find()) {
            String n = m.group(2).toLowerCase(Locale.ROOT);
            int target = NUMBER_WORDS.containsKey(n) ? NUMBER_WORDS.get(n) : Integer.parseInt(n);
            String unit = m.group(3).toLowerCase(Locale.ROOT);
            String relation = m.group(1) == null ? "about" : m.group(1).toLowerCase(Locale.ROOT);
            int actual = unit.startsWith("word") ? words(response).size()
                    : unit.startsWith("sentence") ? sentences(response)
                    : unit.startsWith("paragraph") ? paragraphs(response) : bullets(response);
            Grade g = lengthGrade(relation, target, actual);
            notes.add("instruction_following: asked " + relation + " " + target + " " + unit + ", got " + actual);
            worst = worst == null || g.ordinal() > worst.ordinal() ? g : worst;
        }
        if (worst != null) {
            return worst;
        }
        if (source != null && response.length() > source.length()) {
            notes.add("instruction_following: longer than its source");
            return Grade.NEUTRAL;
        }
        return Grade.GOOD;
    }

    private static Grade lengthGrade(String relation, int target, int actual) {
        double slack = Math.max(1, 0.2 * target);
        boolean ok;
        double miss;
        switch (relation) {
            case "at most", "no more than", "under" -> {
                ok = actual <= target;
                miss = actual - target;
            }
            case "fewer than", "less than" -> {
                ok = actual < target;
                miss = actual - target + 1;
            }
            case "at least" -> {
                ok = actual >= target;
                miss = target - actual;
            }
            case "exactly" -> {
                ok = actual == target;
                miss = Math.abs(actual - target);
            }
            default -> { // "about", "around" or a bare number: within the slack counts as followed
                ok = Math.abs(actual - target) <= slack;
                miss = Math.abs(actual - target) - slack;
            }
        }
        if (ok) {
            return Grade.GOOD;
        }
        return miss <= slack ? Grade.NEUTRAL : Grade.POOR;
    }

    static Grade comprehensiveness(String response, String source, List<String> notes) {
        if (source == null || source.isBlank()) {
            return Grade.NEUTRAL;
        }
        List<String> key = keyTerms(source, 10);
        if (key.isEmpty()) {
            return Grade.NEUTRAL;
        }
        Set<String> stems = stems(words(response));
        long covered = key.stream().filter(k -> stems.contains(stem(k))).count();
        double share = covered / (double) key.size();
        notes.add(String.format(Locale.ROOT, "comprehensiveness: %d of %d key terms", covered, key.size()));
        return share >= 0.6 ? Grade.GOOD : share >= 0.3 ? Grade.NEUTRAL : Grade.POOR;
    }

    static Grade groundedness(String response, String source, List<String> notes) {
        if (source == null || source.isBlank()) {
            return Grade.NEUTRAL;
        }
        Set<String> sourceNumbers = new HashSet<>();
        Matcher nm = NUMBER.matcher(source);
        while (nm.find()) {
            sourceNumbers.add(nm.group().replace(",", ""));
        }
        Matcher rm = NUMBER.matcher(response);
        while (rm.find()) {
            if (!sourceNumbers.contains(rm.group().replace(",", ""))) {
                notes.add("groundedness: number " + rm.group() + " is not in the source");
                return Grade.POOR;
            }
        }
        Set<String> sourceStems = stems(words(source));
        List<String> content = words(response).stream().filter(w -> !STOP.contains(w) && w.length() >= 4).toList();
        if (content.isEmpty()) {
            return Grade.NEUTRAL;
        }
        long unsupported = content.stream().filter(w -> !sourceStems.contains(stem(w))).count();
        double share = unsupported / (double) content.size();
        notes.add(String.format(Locale.ROOT, "groundedness: %.0f%% of content words not in the source", 100 * share));
        return share <= 0.2 ? Grade.GOOD : share <= 0.4 ? Grade.NEUTRAL : Grade.POOR;
    }

    static Grade composition(String response, List<String> notes) {
        List<String> w = words(response);
        if (w.isEmpty()) {
            notes.add("composition: no words");
            return Grade.POOR;
        }
        Map<String, Integer> grams = new HashMap<>();
        int repeated = 0;
        for (int i = 0; i + 4 <= w.size(); i++) {
            String g = String.join(" ", w.subList(i, i + 4));
            if (grams.merge(g, 1, Integer::sum) > 1) {
                repeated++;
            }
        }
        double share = w.size() < 4 ? 0 : repeated / (double) (w.size() - 3);
        if (share > 0.2) {
            notes.add(String.format(Locale.ROOT, "composition: %.0f%% repeated 4-grams", 100 * share));
            return Grade.POOR;
        }
        String trimmed = response.strip();
        char last = trimmed.charAt(trimmed.length() - 1);
        boolean ends = ".!?\"')]”’*".indexOf(last) >= 0 || trimmed.lines().reduce((a, b) -> b).orElse("")
                .strip().matches("^([-*•]|\\d+[.)]).*");
        if (share > 0.05 || !ends) {
            notes.add(share > 0.05 ? String.format(Locale.ROOT, "composition: %.0f%% repeated 4-grams", 100 * share)
                    : "composition: does not end with a full stop (truncated?)");
            return Grade.NEUTRAL;
        }
        return Grade.GOOD;
    }

    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = WORD.matcher(text == null ? "" : text);
        while (m.find()) {
            out.add(m.group().toLowerCase(Locale.ROOT));
        }
        return out;
    }

    /** The {@code n} most frequent content words of a text, ties in order of first use. */
    static List<String> keyTerms(String text, int n) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String w : words(text)) {
            if (!STOP.contains(w) && w.length() >= 4 && !NUMBER.matcher(w).matches()) {
                counts.merge(w, 1, Integer::sum);
            }
        }
        return counts.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(n)
                .map(Map.Entry::getKey).toList();
    }

    /** A crude stem: the first five letters, enough to match "summarize"/"summary" and plural forms. */
    static String stem(String w) {
        return w.length() <= 5 ? w : w.substring(0, 5);
    }

    private static Set<String> stems(List<String> words) {
        Set<String> s = new HashSet<>();
        for (String w : words) {
            s.add(stem(w));
        }
        return s;
    }

    private static int sentences(String text) {
        Matcher m = SENTENCE_END.matcher(text.strip());
        int n = 0;
        while (m.find()) {
            n++;
        }
        String t = text.strip();
        return t.isEmpty() ? 0 : ".!?".indexOf(t.charAt(t.length() - 1)) >= 0 ? n : n + 1;
    }

    private static int paragraphs(String text) {
        return (int) Pattern.compile("\\n\\s*\\n").splitAsStream(text.strip()).filter(p -> !p.isBlank()).count();
    }

    private static int bullets(String text) {
        return (int) text.lines().filter(l -> l.strip().matches("^([-*•]|\\d+[.)])\\s+.*")).count();
    }
}
