package io.procactor.cli;

import com.typesafe.config.ConfigException;
import io.procactor.ConfigurationException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * How the {@code procactor} command reports an error on stderr, and its exit code: one line that
 * says which kind ({@code procactor: usage error: ...}, {@code procactor: configuration error: ...}
 * (one line per problem), {@code procactor: failed: ...}), with a did-you-mean for a mistyped
 * command or option; with {@code --verbose}, the stack trace follows. Called on the CLI's main
 * thread only.
 */
final class ErrorReport {
    private final PrintStream err;
    private final ProcactorCli cli;

    ErrorReport(PrintStream err, ProcactorCli cli) {
        this.err = err;
        this.cli = cli;
    }

    /** A command line picocli could not parse: exit code 2. */
    int parameterError(CommandLine.ParameterException e) {
        String see = "see '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'";
        String[] message = usageMessage(e);
        err.println("procactor: usage error: " + message[0] + (message[1].isEmpty() ? "; " + see
                : message[1] + " " + Character.toUpperCase(see.charAt(0)) + see.substring(1)));
        return ProcactorCli.USAGE;
    }

    /** What went wrong, and the did-you-mean hint or "". */
    private static String[] usageMessage(CommandLine.ParameterException e) {
        CommandSpec spec = e.getCommandLine().getCommandSpec();
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String typed = u.getUnmatched().get(0);
            if (u.isUnknownOption()) {
                return new String[] {firstLine(e.getMessage()), DidYouMean.hint(typed,
                        spec.options().stream().flatMap(o -> Arrays.stream(o.names())).toList())};
            }
            if (!spec.subcommands().isEmpty() && spec.positionalParameters().isEmpty()) {
                return new String[] {"unknown command [" + typed + "]", DidYouMean.hint(typed, spec.subcommands().keySet())};
            }
        }
        return new String[] {firstLine(e.getMessage()), ""};
    }

    /** A command that failed: exit code 2 for a usage or configuration error, else 1. */
    int executionError(Exception e) {
        Throwable cause = unwrap(e);
        if (cli.interrupted) {
            return ProcactorCli.FAILED; // the shutdown hook says the run was interrupted; the JVM exits as the signal makes it
        }
        int code;
        if (cause instanceof ProcactorCli.UsageError) {
            err.println("procactor: usage error: " + firstLine(cause.getMessage()));
            code = ProcactorCli.USAGE;
        } else if (cause instanceof ConfigurationException) {
            cause.getMessage().lines().forEach(l -> err.println("procactor: configuration error: " + l));
            code = ProcactorCli.USAGE;
        } else if (cause instanceof ConfigException) {
            err.println("procactor: configuration error: " + firstLine(cause.getMessage()));
            code = ProcactorCli.USAGE;
        } else {
            err.println("procactor: failed: " + describe(cause));
            code = ProcactorCli.FAILED;
        }
        if (cli.verbose) {
            cause.printStackTrace(err);
        }
        return code;
    }

    private static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof ExecutionException || c instanceof CompletionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        String type = t.getClass().getSimpleName();
        return message == null || message.isBlank() ? type : type + ": " + firstLine(message);
    }

    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl).stripTrailing() + " ...";
    }
}
