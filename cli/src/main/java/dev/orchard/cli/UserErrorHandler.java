package dev.orchard.cli;

import picocli.CommandLine;

/**
 * Turns exceptions into one clear line on stderr instead of a stack trace. Set ORCHARD_DEBUG=1 to see the trace.
 */
final class UserErrorHandler implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine cli, CommandLine.ParseResult parsed) {
        if ("1".equals(System.getenv("ORCHARD_DEBUG"))) {
            ex.printStackTrace();
        }
        String message = ex.getMessage() != null ? ex.getMessage() : ex.getClass().getSimpleName();
        if (ex instanceof java.nio.file.NoSuchFileException) {
            message = "no such file: " + message;
        }
        cli.getErr().println(cli.getColorScheme().errorText("orchard " + cli.getCommandName() + ": " + message));
        return 1;
    }
}
