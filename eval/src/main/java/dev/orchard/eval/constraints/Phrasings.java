package dev.orchard.eval.constraints;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * How prompts say what they want. Every family has several natural phrasings in two disjoint sets: {@code TRAIN}
 * phrasings appear in fine-tuning data, {@code HELD_OUT} ones only in evaluation prompts, so a score on held-out
 * prompts measures whether a model follows the constraint rather than a memorised sentence.
 */
public final class Phrasings {

    /** Which set of phrasings to draw from. */
    public enum Split { TRAIN, HELD_OUT }

    private static final List<String> FRAMES_TRAIN = List.of("Write a short story.", "Tell me a story.",
            "Write a story for a child.", "Please write a little story.", "Write a simple story for kids.",
            "Could you tell me a short story?");
    private static final List<String> FRAMES_HELD_OUT = List.of("Can you make up a bedtime story?",
            "I would like a story, please.", "Make up a tale for a young reader.");

    private static final List<String> WORDS_TRAIN = List.of("Use the words %s.", "Include the words %s in the story.",
            "Make sure the story contains the words %s.", "The story should use the words %s.");
    private static final List<String> WORDS_HELD_OUT = List.of("The words %s must appear in it.",
            "Work the words %s into the story.");
    private static final List<String> WORD_TRAIN = List.of("Use the word %s.", "Include the word %s in the story.",
            "Make sure the story contains the word %s.");
    private static final List<String> WORD_HELD_OUT = List.of("The word %s must appear in it.",
            "Work the word %s into the story.");

    private static final List<String> NAME_TRAIN = List.of("It is about a %2$s named %1$s.",
            "The main character is a %2$s called %1$s.", "Write about a %2$s whose name is %1$s.",
            "The story should be about a %2$s named %1$s.");
    private static final List<String> NAME_HELD_OUT = List.of("Tell it about %1$s, a %2$s.",
            "Let the hero be a %2$s by the name of %1$s.");

    private static final List<String> OPENING_TRAIN = List.of("Begin with \"%s\".", "Start the story with \"%s\".",
            "The story must begin with the words \"%s\".", "Your first words should be \"%s\".");
    private static final List<String> OPENING_HELD_OUT = List.of("Open the story with \"%s\".",
            "Let it start: \"%s\".");

    private static final List<String> ENDING_TRAIN = List.of("End with the sentence \"%s\"",
            "The last sentence must be \"%s\"", "Finish with the sentence \"%s\"",
            "Make the final sentence \"%s\"");
    private static final List<String> ENDING_HELD_OUT = List.of("Close the story with the line \"%s\"",
            "Its very last sentence should read \"%s\"");

    private static final List<String> MAX_TRAIN = List.of("Use no more than %d words.", "Keep it to at most %d words.",
            "It must not be longer than %d words.");
    private static final List<String> MAX_HELD_OUT = List.of("It should be %d words or fewer.",
            "Stay within %d words.");
    private static final List<String> MIN_TRAIN = List.of("Write at least %d words.", "Use %d words or more.",
            "It must be at least %d words long.");
    private static final List<String> MIN_HELD_OUT = List.of("Make it no shorter than %d words.",
            "It needs a minimum of %d words.");

    private static final List<String> AVOID_TRAIN = List.of("Do not use the word \"%s\".", "Avoid the word \"%s\".",
            "Don't say \"%s\" anywhere.", "The word \"%s\" must not appear.");
    private static final List<String> AVOID_HELD_OUT = List.of("Never use the word \"%s\".",
            "Leave out the word \"%s\".");

    private Phrasings() {
    }

    /** A prompt asking for a story under {@code constraints}: a frame, then one sentence per constraint. */
    public static String prompt(List<Constraint> constraints, Split split, SplittableRandom rng) {
        boolean train = split == Split.TRAIN;
        StringBuilder b = new StringBuilder(pick(train ? FRAMES_TRAIN : FRAMES_HELD_OUT, rng));
        for (Constraint c : constraints) {
            b.append(' ').append(sentence(c, train, rng));
        }
        return b.toString();
    }

    static String sentence(Constraint c, boolean train, SplittableRandom rng) {
        return switch (c.family()) {
            case WORDS -> c.words().size() == 1
                    ? String.format(pick(train ? WORD_TRAIN : WORD_HELD_OUT, rng), quoted(c.words()))
                    : String.format(pick(train ? WORDS_TRAIN : WORDS_HELD_OUT, rng), quoted(c.words()));
            case NAME -> String.format(pick(train ? NAME_TRAIN : NAME_HELD_OUT, rng), c.words().get(0),
                    c.kind() == null ? "character" : c.kind());
            case OPENING -> String.format(pick(train ? OPENING_TRAIN : OPENING_HELD_OUT, rng), c.text());
            case ENDING -> String.format(pick(train ? ENDING_TRAIN : ENDING_HELD_OUT, rng), c.text());
            case LENGTH -> c.max() >= 0
                    ? String.format(pick(train ? MAX_TRAIN : MAX_HELD_OUT, rng), c.max())
                    : String.format(pick(train ? MIN_TRAIN : MIN_HELD_OUT, rng), c.min());
            case AVOID -> String.format(pick(train ? AVOID_TRAIN : AVOID_HELD_OUT, rng), c.words().get(0));
        };
    }

    static String quoted(List<String> words) {
        List<String> q = words.stream().map(w -> "\"" + w + "\"").toList();
        if (q.size() == 1) {
            return q.get(0);
        }
        return q.subList(0, q.size() - 1).stream().collect(Collectors.joining(", ")) + " and " + q.get(q.size() - 1);
    }

    private static String pick(List<String> options, SplittableRandom rng) {
        return options.get(rng.nextInt(options.size()));
    }

    /** Every phrasing template of a split (for tests that the two splits are disjoint). */
    static List<String> all(Split split) {
        return split == Split.TRAIN
                ? concat(FRAMES_TRAIN, WORDS_TRAIN, WORD_TRAIN, NAME_TRAIN, OPENING_TRAIN, ENDING_TRAIN, MAX_TRAIN,
                MIN_TRAIN, AVOID_TRAIN)
                : concat(FRAMES_HELD_OUT, WORDS_HELD_OUT, WORD_HELD_OUT, NAME_HELD_OUT, OPENING_HELD_OUT,
                ENDING_HELD_OUT, MAX_HELD_OUT, MIN_HELD_OUT, AVOID_HELD_OUT);
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        return java.util.Arrays.stream(lists).flatMap(List::stream).toList();
    }
}
