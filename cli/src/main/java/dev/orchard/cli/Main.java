package dev.orchard.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code orchard} command: a thin layer over the Java API of each module. */
@Command(name = "orchard", mixinStandardHelpOptions = true, version = "orchard 0.1.0",
        description = "Orchard: a foundation-model stack for the JVM.",
        subcommands = {CommandLine.HelpCommand.class, GenerateCommand.class, ChatCommand.class, InspectCommand.class,
                BenchCommand.class, ConvertCommand.class, CurateCommand.class, EvalCommand.class,
                TokenizerCommand.class, PretrainCommand.class, FinetuneCommand.class, AlignCommand.class,
                ExtractCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(new UserErrorHandler());
        return cli;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
