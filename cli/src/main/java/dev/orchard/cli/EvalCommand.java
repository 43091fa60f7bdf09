package dev.orchard.cli;

import dev.orchard.core.adapter.LoraAdapter;
import dev.orchard.core.format.AtomicFiles;
import dev.orchard.core.model.LanguageModel;
import dev.orchard.eval.EvalData;
import dev.orchard.eval.Proportion;
import dev.orchard.eval.compare.CompareRun;
import dev.orchard.eval.compare.GraderPairwiseJudge;
import dev.orchard.eval.compare.LlmPairwiseJudge;
import dev.orchard.eval.compare.PairwiseJudge;
import dev.orchard.eval.grade.GradeItem;
import dev.orchard.eval.grade.GradeRun;
import dev.orchard.eval.grade.Grader;
import dev.orchard.eval.grade.JudgeGrader;
import dev.orchard.eval.grade.RuleGrader;
import dev.orchard.eval.constraints.ConstraintEval;
import dev.orchard.eval.ifeval.IfEval;
import dev.orchard.eval.ifeval.IfEvalPrompt;
import dev.orchard.eval.ifeval.IfEvalReport;
import dev.orchard.eval.ifeval.PromptResult;
import dev.orchard.eval.judge.ChatClient;
import dev.orchard.eval.model.ModelResponder;
import dev.orchard.eval.perplexity.Perplexity;
import dev.orchard.eval.perplexity.PerplexityRun;
import dev.orchard.eval.report.ReportMerger;
import dev.orchard.eval.report.RunSummary;
import dev.orchard.eval.safety.JudgeSafetyClassifier;
import dev.orchard.eval.safety.LexicalSafetyClassifier;
import dev.orchard.eval.safety.SafetyClassifier;
import dev.orchard.eval.safety.SafetyRun;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.IntConsumer;

/**
 * {@code orchard eval}: benchmarks and graders over the eval module. Every subcommand writes {@code summary.json}
 * and a self-contained {@code report.html} into its output directory (perplexity prints its summary instead).
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate models and responses: IFEval, graders, safety, side-by-side, perplexity, reports.",
        subcommands = {EvalCommand.IfEvalCmd.class, EvalCommand.ConstraintsCmd.class, EvalCommand.GradeCmd.class, EvalCommand.SafetyCmd.class,
                EvalCommand.CompareCmd.class, EvalCommand.ReportCmd.class, EvalCommand.PerplexityCmd.class})
final class EvalCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Where responses come from: a file, or a model that answers the prompts. */
    static final class Source {
        @Option(names = "--responses", paramLabel = "FILE", description = "Existing responses (JSON Lines).")
        Path responses;

        @Option(names = "--model", paramLabel = "PATH", description = "Generate responses with this model "
                + "(Hugging Face directory or .gguf): greedy, in its chat template.")
        Path model;
    }

    /** How a model answers: adapter, chat template, length. */
    static final class Generation {
        @Option(names = "--adapter", paramLabel = "DIR", description = "LoRA adapter (PEFT layout) for --model.")
        Path adapter;

        @Option(names = "--max-new-tokens", paramLabel = "N", defaultValue = "1024",
                description = "Most tokens per generated answer (default: ${DEFAULT-VALUE}).")
        int maxNewTokens;

        @Option(names = "--no-chat-template", description = "Feed prompts as plain text even if the model has a "
                + "chat template.")
        boolean noChatTemplate;

        List<EvalData.Example> answer(Path model, List<EvalData.Example> prompts) throws IOException {
            try (LanguageModel lm = LanguageModel.load(model)) {
                ModelResponder r = ModelResponder.forModel(lm, adapter, !noChatTemplate, maxNewTokens);
                progressNote(r, prompts.size());
                return r.answerAll(prompts, progress(prompts.size()));
            }
        }
    }

    /** An OpenAI-compatible judge. */
    static final class JudgeOptions {
        @Option(names = "--judge-url", paramLabel = "URL", description = "OpenAI-compatible endpoint (server root, "
                + ".../v1, or the full .../chat/completions URL).")
        String url;

        @Option(names = "--judge-model", paramLabel = "NAME", defaultValue = "gpt-4o-mini",
                description = "Model name sent to the judge (default: ${DEFAULT-VALUE}).")
        String model;

        @Option(names = "--judge-key-env", paramLabel = "VAR", defaultValue = "OPENAI_API_KEY",
                description = "Environment variable holding the judge's API key, if it needs one (default: "
                        + "${DEFAULT-VALUE}).")
        String keyEnv;

        @Option(names = "--judge-timeout", paramLabel = "SECONDS", defaultValue = "120",
                description = "Per-request timeout (default: ${DEFAULT-VALUE}).")
        int timeoutSeconds;

        @Option(names = "--parallel", paramLabel = "N", defaultValue = "4",
                description = "Judge requests in flight at once (default: ${DEFAULT-VALUE}).")
        int parallel;

        ChatClient client() {
            if (url == null) {
                throw new IllegalArgumentException("the judge needs --judge-url");
            }
            return new ChatClient(url, System.getenv(keyEnv), model, Duration.ofSeconds(timeoutSeconds));
        }
    }

    static IntConsumer progress(int total) {
        return done -> {
            if (done == total || done % 10 == 0) {
                System.err.printf(Locale.ROOT, "\rorchard eval: %d/%d answered", done, total);
                if (done == total) {
                    System.err.println();
                }
            }
        };
    }

    static void progressNote(ModelResponder r, int n) {
        System.err.println("orchard eval: answering " + n + " prompts greedily"
                + (r.usesChatTemplate() ? " in the model's chat template" : " as plain text (no chat template)"));
    }

    static String nameOr(String name, Path fallback) {
        if (name != null) {
            return name;
        }
        Path f = fallback.getFileName();
        return f == null ? fallback.toString() : f.toString();
    }

    static void printHeadline(RunSummary s, Path out) {
        for (Map.Entry<String, Proportion> e : s.metrics().entrySet()) {
            Proportion p = e.getValue();
            System.out.printf(Locale.ROOT, "%-26s %6.2f%%  [%5.1f, %5.1f]  (%d/%d)%n", e.getKey(), 100 * p.rate(),
                    100 * p.lower(), 100 * p.upper(), p.successes(), p.total());
        }
        System.out.println("wrote " + out.resolve("summary.json") + " and " + out.resolve("report.html"));
    }

    @Command(name = "ifeval", mixinStandardHelpOptions = true,
            description = "IFEval: score responses (or a model's greedy answers) on the prompts' verifiable "
                    + "instructions, strict and loose, exactly as Google's reference scorer.")
    static final class IfEvalCmd implements Callable<Integer> {
        @Option(names = "--prompts", required = true, paramLabel = "FILE",
                description = "IFEval prompt file (key, prompt, instruction_id_list, kwargs per line).")
        Path prompts;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Source source;

        @CommandLine.Mixin
        Generation generation = new Generation();

        @Option(names = "--output", required = true, paramLabel = "DIR", description = "Where to write results.")
        Path output;

        @Option(names = "--name", paramLabel = "NAME", description = "Run name in reports (default: the model or "
                + "responses file name).")
        String name;

        @Override
        public Integer call() throws IOException {
            List<IfEvalPrompt> ps = IfEval.readPrompts(prompts);
            Map<String, String> responses;
            if (source.responses != null) {
                responses = IfEval.readResponses(source.responses);
            } else {
                try (LanguageModel lm = LanguageModel.load(source.model)) {
                    ModelResponder r = ModelResponder.forModel(lm, generation.adapter, !generation.noChatTemplate,
                            generation.maxNewTokens);
                    progressNote(r, ps.size());
                    responses = IfEval.respond(ps, r::respond, progress(ps.size()));
                }
                java.nio.file.Files.createDirectories(output);
                IfEval.writeResponses(output.resolve("responses.jsonl"), responses);
            }
            List<PromptResult> strict = IfEval.score(ps, responses, IfEval.Mode.STRICT);
            List<PromptResult> loose = IfEval.score(ps, responses, IfEval.Mode.LOOSE);
            RunSummary s = IfEvalReport.write(output, nameOr(name, source.responses != null ? source.responses
                    : source.model), strict, loose);
            printHeadline(s, output);
            return 0;
        }
    }

    @Command(name = "constraints", mixinStandardHelpOptions = true,
            description = "Story constraints (words, name, opening, ending, length, avoid): score responses, or a "
                    + "model's answers, per family and overall, prompt- and constraint-level, with 95% intervals.")
    static final class ConstraintsCmd implements Callable<Integer> {
        @Option(names = "--prompts", required = true, paramLabel = "FILE",
                description = "JSON Lines with prompt (and id, constraints) per line; lines without constraints "
                        + "are answered but not scored.")
        Path prompts;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Source source;

        @CommandLine.Mixin
        Generation generation = new Generation();

        @Option(names = "--temperature", paramLabel = "T", defaultValue = "0",
                description = "Sample answers at this temperature instead of greedily (default: ${DEFAULT-VALUE}, "
                        + "greedy).")
        double temperature;

        @Option(names = "--top-p", paramLabel = "P", defaultValue = "1.0",
                description = "Nucleus mass when sampling (default: ${DEFAULT-VALUE}).")
        double topP;

        @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
                description = "Sampling seed; prompt i uses seed + i (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--output", required = true, paramLabel = "DIR", description = "Where to write results.")
        Path output;

        @Option(names = "--name", paramLabel = "NAME", description = "Run name in reports.")
        String name;

        @Override
        public Integer call() throws IOException {
            List<ConstraintEval.Prompt> ps = ConstraintEval.readPrompts(prompts);
            List<String> responses;
            if (source.responses != null) {
                responses = ConstraintEval.readResponses(source.responses, ps);
            } else {
                if (generation.maxNewTokens == 1024) {
                    generation.maxNewTokens = 256; // stories for a small model; the context bounds it anyway
                }
                try (LanguageModel lm = LanguageModel.load(source.model)) {
                    ModelResponder r = ModelResponder.forModel(lm, generation.adapter, !generation.noChatTemplate,
                            generation.maxNewTokens);
                    progressNote(r, ps.size());
                    int[] index = {0};
                    responses = ConstraintEval.respond(ps, p -> r.respond(p, temperature == 0
                            ? dev.orchard.core.generate.SamplingConfig.greedy()
                            : new dev.orchard.core.generate.SamplingConfig(temperature, 0, topP, 0, 1, seed + index[0]++)),
                            progress(ps.size()));
                }
                java.nio.file.Files.createDirectories(output);
                ConstraintEval.writeResponses(output.resolve("responses.jsonl"), ps, responses);
            }
            RunSummary s = ConstraintEval.write(output, nameOr(name, source.responses != null ? source.responses
                    : source.model), ConstraintEval.score(ps, responses));
            printHeadline(s, output);
            return 0;
        }
    }

    @Command(name = "grade", mixinStandardHelpOptions = true,
            description = "Grade responses on instruction following, comprehensiveness, groundedness, composition "
                    + "and harmlessness (good/neutral/poor); report good and poor shares with 95%% intervals.")
    static final class GradeCmd implements Callable<Integer> {
        @Option(names = "--input", required = true, paramLabel = "FILE", description = "JSON Lines with prompt, "
                + "response (unless --model) and optional source (the document being summarized) and id.")
        Path input;

        @Option(names = "--model", paramLabel = "PATH", description = "Answer the prompts with this model first.")
        Path model;

        @CommandLine.Mixin
        Generation generation = new Generation();

        @Option(names = "--grader", defaultValue = "rules", paramLabel = "KIND",
                description = "rules (built in, offline) or judge (LLM over --judge-url). Default: ${DEFAULT-VALUE}.")
        String grader;

        @CommandLine.Mixin
        JudgeOptions judge = new JudgeOptions();

        @Option(names = "--output", required = true, paramLabel = "DIR", description = "Where to write results.")
        Path output;

        @Option(names = "--name", paramLabel = "NAME", description = "Run name in reports.")
        String name;

        @Override
        public Integer call() throws IOException {
            List<EvalData.Example> ex = EvalData.read(input, model == null);
            if (model != null) {
                ex = generation.answer(model, ex);
            }
            Grader g = switch (grader.toLowerCase(Locale.ROOT)) {
                case "rules" -> new RuleGrader();
                case "judge" -> new JudgeGrader(judge.client());
                default -> throw new IllegalArgumentException("unknown grader '" + grader + "' (rules or judge)");
            };
            List<GradeItem> items = new ArrayList<>();
            for (EvalData.Example e : ex) {
                items.add(new GradeItem(e.id(), e.prompt(), e.response(), e.source()));
            }
            int threads = g instanceof JudgeGrader ? judge.parallel : 1;
            RunSummary s = GradeRun.write(output, nameOr(name, model != null ? model : input), items,
                    g.dimensions(), GradeRun.grade(items, g, threads));
            printHeadline(s, output);
            return 0;
        }
    }

    @Command(name = "safety", mixinStandardHelpOptions = true,
            description = "Violation rate of responses to a prompt set, by a lexical classifier or an LLM judge.")
    static final class SafetyCmd implements Callable<Integer> {
        @Option(names = "--input", required = true, paramLabel = "FILE",
                description = "JSON Lines with prompt and response (unless --model).")
        Path input;

        @Option(names = "--model", paramLabel = "PATH", description = "Answer the prompts with this model first.")
        Path model;

        @CommandLine.Mixin
        Generation generation = new Generation();

        @Option(names = "--classifier", defaultValue = "lexical", paramLabel = "KIND",
                description = "lexical (built-in block list) or judge. Default: ${DEFAULT-VALUE}.")
        String classifier;

        @CommandLine.Mixin
        JudgeOptions judge = new JudgeOptions();

        @Option(names = "--output", required = true, paramLabel = "DIR", description = "Where to write results.")
        Path output;

        @Option(names = "--name", paramLabel = "NAME", description = "Run name in reports.")
        String name;

        @Override
        public Integer call() throws IOException {
            List<EvalData.Example> ex = EvalData.read(input, model == null);
            if (model != null) {
                ex = generation.answer(model, ex);
                java.nio.file.Files.createDirectories(output);
                EvalData.write(output.resolve("responses.jsonl"), ex);
            }
            SafetyClassifier c = switch (classifier.toLowerCase(Locale.ROOT)) {
                case "lexical" -> LexicalSafetyClassifier.builtIn();
                case "judge" -> new JudgeSafetyClassifier(judge.client());
                default -> throw new IllegalArgumentException("unknown classifier '" + classifier
                        + "' (lexical or judge)");
            };
            int threads = c instanceof JudgeSafetyClassifier ? judge.parallel : 1;
            RunSummary s = SafetyRun.write(output, nameOr(name, model != null ? model : input), ex,
                    SafetyRun.classify(ex, c, threads));
            printHeadline(s, output);
            return 0;
        }
    }

    @Command(name = "compare", mixinStandardHelpOptions = true,
            description = "Side by side: a judge compares model A's and model B's responses in both orders; "
                    + "win/tie/loss rates for A with 95%% intervals.")
    static final class CompareCmd implements Callable<Integer> {
        @Option(names = "--a", required = true, paramLabel = "FILE", description = "Model A's responses (JSON Lines).")
        Path a;

        @Option(names = "--b", required = true, paramLabel = "FILE", description = "Model B's responses.")
        Path b;

        @Option(names = "--name-a", paramLabel = "NAME", description = "Label for A (default: file name).")
        String nameA;

        @Option(names = "--name-b", paramLabel = "NAME", description = "Label for B (default: file name).")
        String nameB;

        @Option(names = "--judge", defaultValue = "rules", paramLabel = "KIND",
                description = "rules (compare rule-grader scores, offline) or llm (over --judge-url). "
                        + "Default: ${DEFAULT-VALUE}.")
        String judgeKind;

        @CommandLine.Mixin
        JudgeOptions judge = new JudgeOptions();

        @Option(names = "--output", required = true, paramLabel = "DIR", description = "Where to write results.")
        Path output;

        @Override
        public Integer call() throws IOException {
            String la = nameOr(nameA, a);
            String lb = nameOr(nameB, b);
            PairwiseJudge j = switch (judgeKind.toLowerCase(Locale.ROOT)) {
                case "rules" -> new GraderPairwiseJudge(new RuleGrader());
                case "llm", "judge" -> new LlmPairwiseJudge(judge.client());
                default -> throw new IllegalArgumentException("unknown judge '" + judgeKind + "' (rules or llm)");
            };
            var pairs = CompareRun.pair(EvalData.read(a, true), EvalData.read(b, true));
            int threads = j instanceof LlmPairwiseJudge ? judge.parallel : 1;
            RunSummary s = CompareRun.write(output, la + " vs " + lb, la, lb, CompareRun.judge(pairs, j, threads));
            printHeadline(s, output);
            return 0;
        }
    }

    @Command(name = "report", mixinStandardHelpOptions = true,
            description = "Merge several runs (their directories or summary.json files) into one HTML comparison.")
    static final class ReportCmd implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "RUN", description = "Run directories or summary.json files.")
        List<Path> runs;

        @Option(names = "--output", required = true, paramLabel = "DIR", description = "Where to write report.html.")
        Path output;

        @Option(names = "--title", defaultValue = "Orchard eval comparison", paramLabel = "TEXT",
                description = "Report title.")
        String title;

        @Override
        public Integer call() throws IOException {
            List<RunSummary> summaries = new ArrayList<>();
            for (Path r : runs) {
                summaries.add(RunSummary.read(r));
            }
            Path html = output.resolve("report.html");
            java.nio.file.Files.createDirectories(output);
            AtomicFiles.writeString(html, ReportMerger.html(title, summaries));
            System.out.println("wrote " + html + " comparing " + summaries.size() + " runs");
            return 0;
        }
    }

    @Command(name = "perplexity", mixinStandardHelpOptions = true,
            description = "Perplexity and bits per byte of a model on text or JSON Lines (a 'text' field per line, "
                    + "each document scored from its own start with BOS), with a sliding window. Prints a JSON "
                    + "summary on stdout.")
    static final class PerplexityCmd implements Callable<Integer> {
        @Option(names = "--model", required = true, paramLabel = "PATH",
                description = "Hugging Face model directory or .gguf file.")
        Path model;

        @Option(names = "--adapter", paramLabel = "DIR", description = "LoRA adapter (PEFT layout).")
        Path adapter;

        @Option(names = "--input", required = true, paramLabel = "FILE", description = "Text file, or .jsonl.")
        Path input;

        @Option(names = "--context", paramLabel = "N", description = "Tokens per window (default: the model's "
                + "context, at most 2048).")
        Integer context;

        @Option(names = "--stride", paramLabel = "S", description = "Window step (default: half the context).")
        Integer stride;

        @Option(names = "--dump", paramLabel = "FILE", description = "Write per-token losses (JSON Lines) here.")
        Path dump;

        @Override
        public Integer call() throws IOException {
            List<String> texts = PerplexityRun.readTexts(input);
            try (LanguageModel lm = LanguageModel.load(model)) {
                LoraAdapter lora = adapter == null ? null : lm.loadAdapter(adapter);
                int ctx = context != null ? context : Math.min(2048, lm.config().maxPositionEmbeddings());
                var options = new Perplexity.Options(ctx, stride != null ? stride : Math.max(1, ctx / 2));
                var docs = Perplexity.score(lm, lora, texts, options);
                if (dump != null) {
                    PerplexityRun.writeDump(dump, lm.tokenizer(), docs);
                }
                var summary = PerplexityRun.summary(Perplexity.Result.of(docs), options, model.toString());
                System.out.println(RunSummary.JSON.writeValueAsString(summary));
            }
            return 0;
        }
    }
}
