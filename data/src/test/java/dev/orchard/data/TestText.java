package dev.orchard.data;

import java.util.List;
import java.util.SplittableRandom;

/** Generates varied, ordinary English prose that passes the quality rules, from a seed. */
final class TestText {
    private static final List<String> ADJ = List.of("old", "quiet", "bright", "small", "heavy", "gentle", "busy",
            "narrow", "distant", "warm", "careful", "curious", "patient", "ancient", "clever", "silver", "wooden",
            "crowded", "empty", "famous", "hidden", "lonely", "modern", "proud", "simple", "strange", "tired");
    private static final List<String> NOUN = List.of("farmer", "teacher", "river", "village", "garden", "doctor",
            "market", "bridge", "library", "captain", "kitchen", "window", "forest", "letter", "engine", "painter",
            "student", "harbour", "mountain", "station", "neighbour", "baker", "museum", "orchard", "lantern",
            "carpenter", "journey", "question", "meadow", "island");
    private static final List<String> VERB = List.of("visited", "painted", "repaired", "described", "watched",
            "followed", "remembered", "noticed", "carried", "opened", "explored", "measured", "admired", "crossed",
            "studied", "cleaned", "finished", "discovered", "answered", "borrowed");
    private static final List<String> PLACE = List.of("the square", "the old mill", "the northern road",
            "the harbour wall", "the school", "the edge of town", "the hill", "the long valley", "the train yard");

    private TestText() {
    }

    static String sentence(SplittableRandom r) {
        return switch (r.nextInt(5)) {
            case 0 -> cap("the " + pick(r, ADJ) + " " + pick(r, NOUN) + " " + pick(r, VERB) + " the "
                    + pick(r, NOUN) + " near " + pick(r, PLACE) + ".");
            case 1 -> cap("after the " + pick(r, NOUN) + " " + pick(r, VERB) + " a " + pick(r, ADJ) + " "
                    + pick(r, NOUN) + ", everyone went to " + pick(r, PLACE) + " with the " + pick(r, NOUN) + ".");
            case 2 -> cap("she said that the " + pick(r, NOUN) + " was " + pick(r, ADJ) + " and " + pick(r, ADJ)
                    + ".");
            case 3 -> cap("nobody knew why the " + pick(r, ADJ) + " " + pick(r, NOUN) + " had "
                    + pick(r, VERB) + " the " + pick(r, NOUN) + " before the " + pick(r, ADJ) + " winter.");
            default -> cap("in the morning a " + pick(r, NOUN) + " " + pick(r, VERB) + " the " + pick(r, ADJ) + " "
                    + pick(r, NOUN) + " of " + pick(r, PLACE) + ", and it seemed " + pick(r, ADJ) + ".");
        };
    }

    /** A document of several paragraphs, each a line of a few sentences. */
    static String document(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder();
        int paragraphs = 3 + r.nextInt(3);
        for (int p = 0; p < paragraphs; p++) {
            if (p > 0) {
                sb.append('\n');
            }
            int sentences = 3 + r.nextInt(3);
            for (int s = 0; s < sentences; s++) {
                if (s > 0) {
                    sb.append(' ');
                }
                sb.append(sentence(r));
            }
        }
        return sb.toString();
    }

    private static String pick(SplittableRandom r, List<String> xs) {
        return xs.get(r.nextInt(xs.size()));
    }

    private static String cap(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
