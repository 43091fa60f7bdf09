package dev.orchard.eval.constraints;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchard.eval.report.RunSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static dev.orchard.eval.constraints.ConstraintChecker.satisfies;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConstraintCheckerTest {

    private static final String STORY = "One sunny morning, Max the dog ran to the river. He saw a red kite in the sky. "
            + "Max was brave and jumped high. And they all laughed.";

    @Test
    void wordsNeedEveryWordAsAWholeWordInAnyCase() {
        assertThat(satisfies(STORY, Constraint.words(List.of("kite", "river", "brave")))).isTrue();
        assertThat(satisfies(STORY, Constraint.words(List.of("KITE", "Sky")))).isTrue();
        assertThat(satisfies(STORY, Constraint.words(List.of("kite", "boat")))).isFalse();
        assertThat(satisfies(STORY, Constraint.words(List.of("kites")))).isFalse(); // no stemming
        assertThat(satisfies(STORY, Constraint.words(List.of("riv")))).isFalse(); // no substrings
    }

    @Test
    void nameNeedsTheNameAsWritten() {
        assertThat(satisfies(STORY, Constraint.name("Max", "dog"))).isTrue();
        assertThat(satisfies(STORY, Constraint.name("Lily", "girl"))).isFalse();
        assertThat(satisfies("maximum fun with max", Constraint.name("Max", "dog"))).isFalse();
        assertThat(satisfies("\"Max!\" said Mom.", Constraint.name("Max", null))).isTrue();
    }

    @Test
    void openingIsAPrefixOfWholeWords() {
        assertThat(satisfies(STORY, Constraint.opening("One sunny morning"))).isTrue();
        assertThat(satisfies("  \"One   sunny morning, hi", Constraint.opening("One sunny morning"))).isTrue();
        assertThat(satisfies(STORY, Constraint.opening("one sunny morning"))).isFalse(); // case-sensitive
        assertThat(satisfies("Once upon a time, One sunny morning", Constraint.opening("One sunny morning"))).isFalse();
        assertThat(satisfies("One sunny mornings came.", Constraint.opening("One sunny morning"))).isFalse();
        assertThat(satisfies("Once upon a time, there", Constraint.opening("Once upon a time,"))).isTrue();
    }

    @Test
    void endingIsTheLastSentence() {
        assertThat(satisfies(STORY, Constraint.ending("And they all laughed."))).isTrue();
        assertThat(satisfies(STORY + "\n", Constraint.ending("And they all  laughed."))).isTrue();
        assertThat(satisfies(STORY + " The end.", Constraint.ending("And they all laughed."))).isFalse();
        assertThat(satisfies(STORY, Constraint.ending("And they all laughed!"))).isFalse();
    }

    @Test
    void lengthCountsWordsAgainstBothBounds() {
        assertThat(ConstraintChecker.wordCount(STORY)).isEqualTo(28);
        assertThat(ConstraintChecker.wordCount("Hi - there , you")).isEqualTo(3); // lone punctuation is no word
        assertThat(satisfies(STORY, Constraint.atMost(28))).isTrue();
        assertThat(satisfies(STORY, Constraint.atMost(27))).isFalse();
        assertThat(satisfies(STORY, Constraint.atLeast(28))).isTrue();
        assertThat(satisfies(STORY, Constraint.atLeast(29))).isFalse();
    }

    @Test
    void avoidFailsOnTheWordInAnyCaseButNotInsideOtherWords() {
        assertThat(satisfies(STORY, Constraint.avoid("happy"))).isTrue();
        assertThat(satisfies(STORY, Constraint.avoid("kite"))).isFalse();
        assertThat(satisfies(STORY, Constraint.avoid("Brave"))).isFalse();
        assertThat(satisfies("He was unhappy.", Constraint.avoid("happy"))).isTrue();
    }

    @Test
    void anEmptyResponseFailsEveryFamily() {
        for (Constraint c : List.of(Constraint.words(List.of("a")), Constraint.name("Max", null),
                Constraint.opening("Once"), Constraint.ending("Bye."), Constraint.atMost(50), Constraint.avoid("x"))) {
            assertThat(satisfies("  \n", c)).as(c.family().id()).isFalse();
        }
    }

    @Test
    void constraintsRoundTripThroughJsonAndBadOnesAreNamed() throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (Constraint c : List.of(Constraint.words(List.of("kite", "river")), Constraint.name("Max", "dog"),
                Constraint.opening("One day"), Constraint.ending("The end."), Constraint.atMost(60),
                Constraint.atLeast(150), Constraint.avoid("happy"))) {
            assertThat(Constraint.fromJson(c.toJson(), "x")).isEqualTo(c);
        }
        assertThatThrownBy(() -> Constraint.fromJson(json.readTree("{\"family\":\"rhyme\"}"), "f.jsonl:3"))
                .hasMessageContaining("f.jsonl:3").hasMessageContaining("unknown constraint family 'rhyme'");
        assertThatThrownBy(() -> Constraint.fromJson(json.readTree("{\"family\":\"length\"}"), "f.jsonl:4"))
                .hasMessageContaining("f.jsonl:4").hasMessageContaining("max_words");
    }

    @Test
    void derivedTasksAreSatisfiedByTheirOwnStoryAndHeldOutPhrasingsAreNew() {
        List<String> stories = List.of(STORY,
                "Once upon a time, there was a little girl named Lily. Lily loved her garden and her yellow flowers. "
                        + "One day a storm came and the wind blew hard. Lily was scared, but her mom hugged her. "
                        + "The next morning the sun was out. Lily smiled.");
        Set<Family> seen = new HashSet<>();
        for (long seed = 0; seed < 40; seed++) {
            for (ConstraintTasks.Task t : ConstraintTasks.build(stories, Phrasings.Split.TRAIN, 150, seed, "t")) {
                assertThat(t.constraints()).hasSizeBetween(1, 2);
                assertThat(ConstraintChecker.check(t.story(), t.constraints())).doesNotContain(false);
                t.constraints().forEach(c -> seen.add(c.family()));
            }
        }
        assertThat(seen).containsExactlyInAnyOrder(Family.values());
        assertThat(Phrasings.all(Phrasings.Split.TRAIN)).doesNotContainAnyElementsOf(Phrasings.all(Phrasings.Split.HELD_OUT));
        String heldOut = Phrasings.prompt(List.of(Constraint.name("Max", "dog")), Phrasings.Split.HELD_OUT, new SplittableRandom(1));
        assertThat(heldOut).contains("Max").contains("dog");
    }

    @Test
    void evaluationWritesPerFamilyAndOverallLevels(@TempDir Path dir) throws Exception {
        Path prompts = dir.resolve("prompts.jsonl");
        Files.writeString(prompts, """
                {"id": "a", "prompt": "Tell me about Max.", "constraints": [{"family": "name", "name": "Max"}, {"family": "avoid", "word": "kite"}]}
                {"id": "b", "prompt": "Short one.", "constraints": [{"family": "length", "max_words": 5}]}
                {"id": "c", "prompt": "No constraints here."}
                """);
        Path responses = dir.resolve("responses.jsonl");
        Files.writeString(responses, """
                {"id": "a", "prompt": "Tell me about Max.", "response": "Max flew a kite."}
                {"prompt": "Short one.", "response": "Tiny tale."}
                {"prompt": "No constraints here.", "response": "Anything."}
                """);
        List<ConstraintEval.Prompt> ps = ConstraintEval.readPrompts(prompts);
        List<ConstraintEval.Scored> scored = ConstraintEval.score(ps, ConstraintEval.readResponses(responses, ps));
        RunSummary s = ConstraintEval.write(dir.resolve("out"), "test", scored);
        assertThat(s.metrics().get(ConstraintEval.PROMPT_LEVEL).successes()).isEqualTo(1);
        assertThat(s.metrics().get(ConstraintEval.PROMPT_LEVEL).total()).isEqualTo(2);
        assertThat(s.metrics().get(ConstraintEval.CONSTRAINT_LEVEL).successes()).isEqualTo(2);
        assertThat(s.metrics().get(ConstraintEval.CONSTRAINT_LEVEL).total()).isEqualTo(3);
        assertThat(s.metrics().get("avoid").successes()).isZero();
        assertThat(s.details().path("per_family").path("name").path("prompt_level").path("successes").asInt()).isEqualTo(1);
        assertThat(Files.readString(dir.resolve("out/report.html"))).contains("<svg").contains("avoid");
        assertThat(RunSummary.read(dir.resolve("out")).kind()).isEqualTo("constraints");

        Files.writeString(responses, "{\"prompt\": \"Short one.\", \"response\": \"x\"}\n");
        assertThatThrownBy(() -> ConstraintEval.readResponses(responses, ps)).hasMessageContaining("no response for 2")
                .hasMessageContaining("a");
    }
}
