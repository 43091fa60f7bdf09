package dev.orchard.cli;

import dev.orchard.core.tokenizer.BpeTokenizer;
import dev.orchard.core.tokenizer.BpeTrainer;
import dev.orchard.core.tokenizer.ChatTemplate;
import dev.orchard.core.tokenizer.TextCorpora;
import dev.orchard.core.tokenizer.TextCorpus;
import dev.orchard.core.tokenizer.Tokenizers;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code orchard tokenizer encode|decode|train}: a thin layer over {@code dev.orchard.core.tokenizer}. */
@Command(name = "tokenizer", mixinStandardHelpOptions = true,
        description = "Encode and decode text with a tokenizer (tokenizer.json, Hugging Face directory or .gguf), "
                + "or train a byte-level BPE tokenizer.",
        subcommands = {TokenizerCommand.Encode.class, TokenizerCommand.Decode.class, TokenizerCommand.Train.class})
public final class TokenizerCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "encode", mixinStandardHelpOptions = true,
            description = "Reads UTF-8 text from stdin and prints its token ids on one line, separated by spaces.")
    static final class Encode implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--tokenizer", required = true, paramLabel = "PATH",
                description = "tokenizer.json, a Hugging Face model directory, or a .gguf file")
        Path tokenizer;

        @Option(names = "--add-special", description = "add BOS/EOS as the tokenizer is configured to")
        boolean addSpecial;

        @Option(names = "--no-parse-special",
                description = "encode special tokens written in the text (e.g. <|end|>) as plain text")
        boolean noParseSpecial;

        @Override
        public Integer call() throws IOException {
            BpeTokenizer t = Tokenizers.load(tokenizer);
            String text = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
            int[] ids = t.encode(text, addSpecial, !noParseSpecial);
            StringBuilder sb = new StringBuilder(ids.length * 6);
            for (int i = 0; i < ids.length; i++) {
                if (i > 0) {
                    sb.append(' ');
                }
                sb.append(ids[i]);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println(sb);
            out.flush();
            return 0;
        }
    }

    @Command(name = "decode", mixinStandardHelpOptions = true,
            description = "Reads token ids (separated by spaces or newlines) from stdin and prints their text.")
    static final class Decode implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--tokenizer", required = true, paramLabel = "PATH",
                description = "tokenizer.json, a Hugging Face model directory, or a .gguf file")
        Path tokenizer;

        @Option(names = "--skip-special", description = "leave out special tokens (BOS, EOS, chat markers)")
        boolean skipSpecial;

        @Override
        public Integer call() throws IOException {
            BpeTokenizer t = Tokenizers.load(tokenizer);
            String input = new String(System.in.readAllBytes(), StandardCharsets.UTF_8).strip();
            int[] ids = input.isEmpty() ? new int[0] : Arrays.stream(input.split("\\s+")).mapToInt(s -> {
                int id;
                try {
                    id = Integer.parseInt(s);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("\"" + s + "\" is not a token id");
                }
                if (id < 0 || id >= t.vocabSize()) {
                    throw new IllegalArgumentException("token id " + id + " is outside the vocabulary (0.."
                            + (t.vocabSize() - 1) + ")");
                }
                return id;
            }).toArray();
            PrintWriter out = spec.commandLine().getOut();
            out.print(t.decode(ids, skipSpecial));
            out.flush();
            return 0;
        }
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Trains a byte-level BPE tokenizer (all 256 bytes in the vocabulary, digits split one by "
                    + "one, no normalization) and writes tokenizer.json and tokenizer_config.json to --output.")
    static final class Train implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--input", required = true, paramLabel = "FILE",
                description = "corpus file: .jsonl (text in --field), plain text, or another format a module adds "
                        + "(repeatable)")
        List<Path> inputs;

        @Option(names = "--output", required = true, paramLabel = "DIR", description = "directory to write")
        Path output;

        @Option(names = "--vocab-size", defaultValue = "49152", description = "total vocabulary size (default: ${DEFAULT-VALUE})")
        int vocabSize;

        @Option(names = "--field", defaultValue = "text", description = "JSON field holding the text (default: ${DEFAULT-VALUE})")
        String field;

        @Option(names = "--min-frequency", defaultValue = "2",
                description = "merge only pairs seen at least this often (default: ${DEFAULT-VALUE})")
        int minFrequency;

        @Option(names = "--special-tokens", split = ",", paramLabel = "TOKEN",
                description = "special tokens, comma-separated, given ids 0.. in order (default: "
                        + "<|pad|>,<|bos|>,<|eos|>,<|system|>,<|user|>,<|assistant|>,<|end|>)")
        List<String> specialTokens;

        @Option(names = "--bos", description = "BOS token (default: <|bos|>; \"\" for none)")
        String bos;

        @Option(names = "--eos", description = "EOS token (default: <|eos|>; \"\" for none)")
        String eos;

        @Option(names = "--pad", description = "PAD token (default: <|pad|>; \"\" for none)")
        String pad;

        @Option(names = "--no-add-bos", description = "do not add BOS when encoding with special tokens")
        boolean noAddBos;

        @Option(names = "--threads", description = "threads for counting (default: all processors)")
        Integer threads;

        @Override
        public Integer call() throws IOException {
            BpeTrainer.Options options = BpeTrainer.Options.defaults(vocabSize).withMinFrequency(minFrequency);
            if (specialTokens != null || bos != null || eos != null || pad != null) {
                List<String> tokens = specialTokens != null ? specialTokens : options.specialTokens();
                options = options.withSpecialTokens(tokens, name(bos, options.bosToken(), tokens),
                        name(eos, options.eosToken(), tokens), name(pad, options.padToken(), tokens));
            }
            if (noAddBos) {
                options = new BpeTrainer.Options(options.vocabSize(), options.minFrequency(), options.specialTokens(),
                        options.bosToken(), options.eosToken(), options.padToken(), false, options.threads());
            }
            if (threads != null) {
                options = options.withThreads(threads);
            }
            List<TextCorpus> corpora = new ArrayList<>();
            for (Path p : inputs) {
                corpora.add(TextCorpora.open(p, field));
            }
            ProgressBar bar = new ProgressBar(spec.commandLine().getErr());
            long start = System.nanoTime();
            BpeTrainer.Result result = BpeTrainer.train(TextCorpora.concat(corpora), options, (phase, done, total) -> {
                if (phase.equals("counting")) {
                    bar.update(phase, done, total, "MB", 1e6);
                } else {
                    bar.update(phase, done, total, "tokens", 1);
                }
            });
            bar.finish();
            double seconds = (System.nanoTime() - start) / 1e9;
            List<String> roles = List.of(ChatTemplate.SYSTEM, ChatTemplate.USER, ChatTemplate.ASSISTANT,
                    ChatTemplate.END_OF_TURN, ChatTemplate.BOS);
            ChatTemplate template = options.specialTokens().containsAll(roles) ? ChatTemplate.orchardDefault() : null;
            Tokenizers.save(result.tokenizer(), output, template);
            PrintWriter out = spec.commandLine().getOut();
            out.printf("trained %d tokens (%d merges) from %d documents, %d pre-tokens (%d distinct) in %.1f s%n",
                    result.tokenizer().vocabSize(), result.merges(), result.documents(), result.pieces(),
                    result.distinctPieces(), seconds);
            if (result.tokenizer().vocabSize() < vocabSize) {
                out.printf("note: the corpus had no more pairs seen %d times or more; the vocabulary is smaller than %d%n",
                        minFrequency, vocabSize);
            }
            out.println("wrote " + output.resolve("tokenizer.json") + " and tokenizer_config.json");
            out.flush();
            return 0;
        }

        private static String name(String given, String otherwise, List<String> tokens) {
            if (given != null) {
                return given.isEmpty() ? null : given;
            }
            return tokens.contains(otherwise) ? otherwise : null;
        }
    }
}
