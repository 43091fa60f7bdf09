package dev.orchard.cli;

import picocli.CommandLine;

/**
 * {@code orchard curate} as a main class of its own, for the shaded application jar:
 * {@code spark-submit --class dev.orchard.cli.CurateMain orchard-curate.jar --input ... --output ...}. It takes the
 * same options and subcommands as {@code orchard curate}; the session uses the master spark-submit gives it.
 */
public final class CurateMain {
    private CurateMain() {
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new CurateCommand());
        cli.setExecutionExceptionHandler(new UserErrorHandler());
        return cli;
    }

    public static void main(String[] args) {
        int exit = commandLine().execute(args);
        // Success returns normally rather than exiting: under spark-submit on YARN (cluster mode) the application
        // master runs this method in a thread and reads a System.exit as the application ending early.
        if (exit != 0) {
            System.exit(exit);
        }
    }
}
