package dev.orchard.cli;

import dev.orchard.data.PageExtraction;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code orchard extract}: a thin layer over {@link PageExtraction}, for trying main-text extraction on pages. */
@Command(name = "extract", mixinStandardHelpOptions = true,
        description = "Extracts the main text (with title, URL, publication date and language when the page "
                + "states them) of HTML pages into JSON Lines, one record per page: the same extractor as the "
                + "curate stage 'extract'.")
public final class ExtractCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--input", required = true, arity = "1..*", paramLabel = "PATH",
            description = ".html/.htm files (optionally .gz) or directories holding them")
    List<Path> input;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "the JSON Lines file to write")
    Path output;

    @Override
    public Integer call() throws IOException {
        PageExtraction.Summary s = PageExtraction.extract(input, output);
        spec.commandLine().getOut().printf("extract: %d page(s) to %s, %d with no main text%n", s.pages(), output,
                s.empty());
        return 0;
    }
}
