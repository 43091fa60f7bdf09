package dev.orchard.eval.constraints;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchard.core.format.AtomicFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the instruction task from real stories: for each story, one or two constraints the story itself
 * satisfies (derived from it), phrased as a prompt. Paired with the story this is SFT data; from stories the model
 * never saw, with held-out phrasings, it is an evaluation set whose every prompt is known to be satisfiable.
 *
 * <p>Derivation: WORDS picks two or three content words of the story; NAME a character introduced as
 * "a girl named Lily" (or a capitalised name used at least twice mid-sentence); OPENING the story's first three to
 * five words; ENDING its last sentence (when it is short); LENGTH a bound 5 to 25 words beyond the story's length,
 * rounded to ten, in either direction; AVOID a common story word the story does not use. Every derived constraint
 * is checked against the story with {@link ConstraintChecker}; one that fails is dropped.
 */
public final class ConstraintTasks {

    /** One task: a prompt, its constraints, and the story it was derived from. */
    public record Task(String id, String prompt, List<Constraint> constraints, String story) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Pattern NAMED = Pattern.compile(
            "\\b(?:a|an)\\s+(?:[a-z]+\\s+){0,2}?(girl|boy|dog|cat|bird|bunny|rabbit|bear|fox|mouse|frog|duck|fish|lion|"
                    + "puppy|kitten|owl|squirrel|monkey|elephant|pig|cow|horse|man|woman|lady|king|queen|princess|"
                    + "prince|robot|dragon|turtle|car|truck|boat|tree|bug|ant|bee|butterfly)\\s+(?:named|called)\\s+"
                    + "([A-Z][a-z]+)\\b");
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?][\"”']?)\\s+");
    private static final Set<String> STOP = Set.of("the", "and", "was", "were", "that", "with", "they", "them", "their",
            "there", "then", "this", "have", "had", "has", "said", "very", "from", "what", "when", "your", "will",
            "would", "could", "should", "into", "onto", "upon", "once", "time", "also", "just", "like", "some", "more",
            "much", "many", "because", "about", "after", "before", "while", "where", "which", "who", "his", "her",
            "she", "him", "he", "you", "are", "for", "not", "but", "all", "out", "one", "day", "did", "didn't", "don't",
            "can't", "it's", "i'm", "let's", "that's", "want", "wanted", "went", "saw", "got", "get", "too", "lot",
            "really", "every", "know", "knew", "come", "came", "make", "made", "little", "other", "back", "over",
            "again", "even", "still", "here", "each", "than", "been", "being", "felt", "feel", "look", "looked",
            "something", "anything", "nothing", "everyone", "everything", "things", "thing", "these", "those",
            "away", "down", "around", "mommy", "daddy");
    /** Words common in TinyStories, candidates for "do not use the word". */
    private static final List<String> AVOIDABLE = List.of("happy", "big", "sad", "ball", "park", "tree", "dog", "cat",
            "mom", "toy", "friend", "smile", "fun", "play", "sun", "little", "good", "nice", "best", "laughed", "home",
            "bird", "red", "scared", "help", "together", "house", "loved", "flower", "water");

    private ConstraintTasks() {
    }

    /**
     * One task per story (stories with more than {@code maxWords} words are skipped, so prompt and story fit a
     * small model's context), constraints drawn from the seed and the story's index.
     */
    public static List<Task> build(List<String> stories, Phrasings.Split split, int maxWords, long seed, String idPrefix) {
        List<Task> out = new ArrayList<>();
        for (int i = 0; i < stories.size(); i++) {
            String story = stories.get(i).strip();
            if (ConstraintChecker.wordCount(story) > maxWords || story.isEmpty()) {
                continue;
            }
            SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
            List<Constraint> cs = derive(story, rng);
            if (cs.isEmpty()) {
                continue;
            }
            out.add(new Task(idPrefix + i, Phrasings.prompt(cs, split, rng), cs, story));
        }
        return out;
    }

    /** One or two constraints (of different families) that {@code story} satisfies. */
    static List<Constraint> derive(String story, SplittableRandom rng) {
        Map<Family, Constraint> candidates = new LinkedHashMap<>();
        for (Family f : Family.values()) {
            candidate(f, story, rng).filter(c -> ConstraintChecker.satisfies(story, c))
                    .ifPresent(c -> candidates.put(f, c));
        }
        List<Family> families = new ArrayList<>(candidates.keySet());
        int n = Math.min(families.size(), rng.nextDouble() < 0.4 ? 1 : 2);
        List<Constraint> out = new ArrayList<>();
        EnumSet<Family> used = EnumSet.noneOf(Family.class);
        while (out.size() < n) {
            Family f = families.get(rng.nextInt(families.size()));
            if (used.add(f)) {
                out.add(candidates.get(f));
            }
        }
        return out;
    }

    static Optional<Constraint> candidate(Family f, String story, SplittableRandom rng) {
        return switch (f) {
            case WORDS -> contentWords(story, rng);
            case NAME -> name(story);
            case OPENING -> {
                List<String> pieces = List.of(ConstraintChecker.normalize(story).split(" "));
                int k = 3 + rng.nextInt(3);
                if (pieces.size() < k + 5) {
                    yield Optional.empty();
                }
                String text = String.join(" ", pieces.subList(0, k)).replaceAll("[,;:]$", "");
                yield Optional.of(Constraint.opening(text));
            }
            case ENDING -> {
                String[] sentences = SENTENCE_END.split(ConstraintChecker.normalize(story));
                String last = sentences[sentences.length - 1];
                int w = ConstraintChecker.wordCount(last);
                yield sentences.length >= 3 && w >= 3 && w <= 12 && !last.contains("\"")
                        ? Optional.of(Constraint.ending(last)) : Optional.empty();
            }
            case LENGTH -> {
                int w = ConstraintChecker.wordCount(story);
                int margin = 5 + rng.nextInt(21);
                if (rng.nextBoolean()) {
                    yield Optional.of(Constraint.atMost((int) Math.ceil((w + margin) / 10.0) * 10));
                }
                int min = (w - margin) / 10 * 10;
                yield min >= 30 ? Optional.of(Constraint.atLeast(min)) : Optional.of(Constraint.atMost(
                        (int) Math.ceil((w + margin) / 10.0) * 10));
            }
            case AVOID -> {
                Set<String> present = ConstraintChecker.lowerWords(story);
                List<String> absent = AVOIDABLE.stream().filter(w -> !present.contains(w)).toList();
                yield absent.isEmpty() ? Optional.empty() : Optional.of(Constraint.avoid(absent.get(rng.nextInt(absent.size()))));
            }
        };
    }

    private static Optional<Constraint> contentWords(String story, SplittableRandom rng) {
        Map<String, Integer> counts = new HashMap<>();
        for (String w : ConstraintChecker.words(story)) {
            if (w.length() >= 4 && w.chars().allMatch(Character::isLowerCase)
                    && !STOP.contains(w) && !w.endsWith("ly")) {
                counts.merge(w, 1, Integer::sum);
            }
        }
        List<String> pool = new ArrayList<>(counts.keySet());
        pool.sort(null); // a deterministic order before the seeded draw
        if (pool.size() < 3) {
            return Optional.empty();
        }
        int k = 2 + rng.nextInt(2);
        List<String> chosen = new ArrayList<>();
        while (chosen.size() < k) {
            String w = pool.get(rng.nextInt(pool.size()));
            if (!chosen.contains(w)) {
                chosen.add(w);
            }
        }
        return Optional.of(Constraint.words(chosen));
    }

    private static Optional<Constraint> name(String story) {
        Matcher m = NAMED.matcher(story);
        if (m.find()) {
            return Optional.of(Constraint.name(m.group(2), m.group(1)));
        }
        return Optional.empty();
    }

    /** Writes tasks as prompt lines ({@code id}, {@code prompt}, {@code constraints}) for evaluation. */
    public static void writePrompts(Path file, List<Task> tasks) throws IOException {
        StringBuilder b = new StringBuilder();
        for (Task t : tasks) {
            b.append(JSON.writeValueAsString(promptLine(t))).append('\n');
        }
        AtomicFiles.writeString(file, b.toString());
    }

    /**
     * Writes tasks as chat SFT data: {@code messages} (the prompt as the user turn, the story as the assistant's),
     * plus {@code id}, {@code prompt} and {@code constraints} so the file also serves as a prompt file.
     */
    public static void writeSft(Path file, List<Task> tasks) throws IOException {
        StringBuilder b = new StringBuilder();
        for (Task t : tasks) {
            ObjectNode n = promptLine(t);
            ArrayNode messages = n.putArray("messages");
            messages.addObject().put("role", "user").put("content", t.prompt());
            messages.addObject().put("role", "assistant").put("content", t.story());
            b.append(JSON.writeValueAsString(n)).append('\n');
        }
        AtomicFiles.writeString(file, b.toString());
    }

    static ObjectNode promptLine(Task t) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", t.id());
        n.put("prompt", t.prompt());
        ArrayNode cs = n.putArray("constraints");
        t.constraints().forEach(c -> cs.add(c.toJson()));
        return n;
    }

    /** Counts of constraints per family in {@code tasks} (for the data summary). */
    public static Map<String, Integer> familyCounts(List<Task> tasks) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (Family f : Family.values()) {
            m.put(f.id().toLowerCase(Locale.ROOT), 0);
        }
        for (Task t : tasks) {
            t.constraints().forEach(c -> m.merge(c.family().id(), 1, Integer::sum));
        }
        return m;
    }
}
