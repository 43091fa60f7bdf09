package dev.orchard.cli;

import dev.orchard.eval.constraints.ConstraintTasks;
import dev.orchard.eval.constraints.Phrasings;
import dev.orchard.train.Corpus;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code orchard align}: post-training (task data, SFT, reward model, rejection sampling, RLHF). */
@Command(name = "align", mixinStandardHelpOptions = true,
        description = "Post-training: build the instruction task, SFT, reward model, iTeC rejection sampling, "
                + "MDLOO RLHF.",
        subcommands = {AlignCommand.DataCmd.class})
final class AlignCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "data", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Builds instruction prompts for stories with verifiable constraints derived from real "
                    + "stories: SFT data (prompt + the story) with training phrasings, or held-out prompt files "
                    + "with held-out phrasings.",
                    "Example: orchard align data --stories ../shared/data/tinystories/train.jsonl --sft runs/align/sft.jsonl"})
    static final class DataCmd implements Callable<Integer> {
        @Option(names = "--stories", required = true, paramLabel = "FILE", description = "Stories (JSONL with text).")
        Path stories;

        @Option(names = "--sft", paramLabel = "FILE", description = "Write SFT conversations (training phrasings) here.")
        Path sft;

        @Option(names = "--prompts", paramLabel = "FILE", description = "Write prompt lines (held-out phrasings) here.")
        Path prompts;

        @Option(names = "--phrasings", paramLabel = "SPLIT", description = "train or held-out (default: train for "
                + "--sft, held-out for --prompts).")
        String phrasings;

        @Option(names = "--max-words", defaultValue = "150", description = "Skip longer stories (default: ${DEFAULT-VALUE}).")
        int maxWords;

        @Option(names = "--limit", defaultValue = "0", description = "At most this many tasks; 0: all (default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--seed", defaultValue = "13", description = "Seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Override
        public Integer call() throws Exception {
            if ((sft == null) == (prompts == null)) {
                throw new IllegalArgumentException("give exactly one of --sft FILE or --prompts FILE");
            }
            Phrasings.Split split = phrasings == null ? (sft != null ? Phrasings.Split.TRAIN : Phrasings.Split.HELD_OUT)
                    : switch (phrasings) {
                        case "train" -> Phrasings.Split.TRAIN;
                        case "held-out" -> Phrasings.Split.HELD_OUT;
                        default -> throw new IllegalArgumentException("--phrasings is train or held-out, not " + phrasings);
                    };
            List<ConstraintTasks.Task> tasks = ConstraintTasks.build(Corpus.read(stories), split, maxWords, seed,
                    sft != null ? "sft-" : "prompt-");
            if (limit > 0 && tasks.size() > limit) {
                tasks = tasks.subList(0, limit);
            }
            if (sft != null) {
                ConstraintTasks.writeSft(sft, tasks);
            } else {
                ConstraintTasks.writePrompts(prompts, tasks);
            }
            System.err.println("wrote " + tasks.size() + " tasks to " + (sft != null ? sft : prompts) + " ("
                    + split.name().toLowerCase(java.util.Locale.ROOT) + " phrasings); constraints per family: "
                    + ConstraintTasks.familyCounts(tasks));
            return 0;
        }
    }
}
