package io.procactor.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.procactor.ActorSystem;
import io.procactor.samples.Sample;
import io.procactor.samples.Samples;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;

/**
 * The {@code procactor} command (see {@code bin/procactor}). Exit codes: 0 success, 1 the
 * application failed, 2 usage or configuration error. Errors are one line on stderr; with
 * {@code --verbose}, their stack trace follows.
 */
@Command(name = "procactor",
        mixinStandardHelpOptions = true,
        versionProvider = ProcactorCli.Version.class,
        description = "Actors in separate OS processes: lists and runs samples and topologies.",
        subcommands = {
                ProcactorCli.SamplesCommand.class,
                ProcactorCli.SampleCommand.class,
                ProcactorCli.RunCommand.class,
                CommandLine.HelpCommand.class})
public final class ProcactorCli implements Callable<Integer> {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    /** The key of a topology file that names the sample to run. */
    static final String TOPOLOGY_SAMPLE = "procactor.topology.sample";

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print the stack trace of an error.")
    boolean verbose;

    private final PrintStream out;
    private final PrintStream err;

    ProcactorCli(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(execute(System.out, System.err, args));
    }

    /** Runs the command line and returns the exit code. */
    static int execute(PrintStream out, PrintStream err, String... args) {
        ProcactorCli cli = new ProcactorCli(out, err);
        CommandLine cmd = new CommandLine(cli);
        cmd.setOut(new java.io.PrintWriter(out, true));
        cmd.setErr(new java.io.PrintWriter(err, true));
        cmd.setParameterExceptionHandler((e, args0) -> {
            err.println("procactor: " + firstLine(e.getMessage()) + "; see '"
                    + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'");
            return USAGE;
        });
        cmd.setExecutionExceptionHandler((e, c, parseResult) -> {
            Throwable cause = unwrap(e);
            boolean usage = cause instanceof UsageError || cause instanceof ConfigException;
            err.println("procactor: " + (usage ? "" : "failed: ") + describe(cause));
            if (cli.verbose) {
                cause.printStackTrace(err);
            }
            return usage ? USAGE : FAILED;
        });
        int code = cmd.execute(args);
        out.flush();
        return code;
    }

    /** {@code procactor} alone: say how to use it. */
    @Override
    public Integer call() {
        err.println("procactor: missing command; see 'procactor --help'");
        return USAGE;
    }

    @Command(name = "samples", description = "List the samples.")
    static final class SamplesCommand implements Callable<Integer> {
        @ParentCommand
        ProcactorCli cli;

        @Override
        public Integer call() {
            int width = Samples.all().stream().mapToInt(s -> s.name().length()).max().orElse(0);
            for (Sample s : Samples.all()) {
                cli.out.println(String.format("%-" + width + "s  %s", s.name(), s.description()));
            }
            return OK;
        }
    }

    @Command(name = "sample", description = "Run one sample (see 'procactor samples').")
    static final class SampleCommand implements Callable<Integer> {
        @ParentCommand
        ProcactorCli cli;

        @Parameters(paramLabel = "NAME", description = "The sample to run.")
        String name;

        @Override
        public Integer call() throws Exception {
            Sample sample = Samples.find(name).orElseThrow(() -> new UsageError(
                    "unknown sample [" + name + "]; run 'procactor samples' to list them"));
            return cli.runSample(sample, cli.config(null));
        }
    }

    @Command(name = "run", description = "Run a topology file (HOCON). For now a topology names a sample: "
            + TOPOLOGY_SAMPLE + " = sleepers. Its other keys override the configuration, procactor.* included.")
    static final class RunCommand implements Callable<Integer> {
        @ParentCommand
        ProcactorCli cli;

        @Parameters(paramLabel = "FILE", description = "The topology file, e.g. config/topologies/sleepers.conf.")
        Path file;

        @Override
        public Integer call() throws Exception {
            if (!Files.isRegularFile(file)) {
                throw new UsageError("topology file [" + file + "] " + (Files.exists(file) ? "is not a regular file" : "does not exist"));
            }
            Config config = cli.config(ConfigFactory.parseFile(file.toFile())).resolve();
            if (!config.hasPath(TOPOLOGY_SAMPLE)) {
                throw new UsageError("topology file [" + file + "] has no key [" + TOPOLOGY_SAMPLE
                        + "]; name the sample to run, e.g. " + TOPOLOGY_SAMPLE + " = sleepers");
            }
            String name = config.getString(TOPOLOGY_SAMPLE);
            Sample sample = Samples.find(name).orElseThrow(() -> new UsageError("unknown sample [" + name + "] in ["
                    + TOPOLOGY_SAMPLE + "] of topology file [" + file + "]; run 'procactor samples' to list them"));
            return cli.runSample(sample, config);
        }
    }

    int runSample(Sample sample, Config config) throws Exception {
        ActorSystem.Builder builder = ActorSystem.builder("procactor-" + sample.name()).config(config);
        sample.register(builder);
        ActorSystem system;
        try {
            system = builder.build();
        } catch (IllegalArgumentException e) { // invalid procactor.* settings
            throw new UsageError(e.getMessage(), e);
        }
        // Ctrl-C: terminate the children gracefully (their postStop runs) rather than let them
        // halt when this JVM's pipes close.
        Thread onSignal = new Thread(system::close, "procactor-cli-shutdown");
        Runtime.getRuntime().addShutdownHook(onSignal);
        try (system) {
            sample.run(system, out);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException shuttingDown) {
                // the hook is closing the system already
            }
        }
        return OK;
    }

    /**
     * The configuration: system properties, then {@code topology} (if any), then
     * {@code $procactor.home/config/application.conf} (if present), then the class path's
     * {@code application.conf} and {@code reference.conf}.
     */
    Config config(Config topology) {
        Config config = ConfigFactory.load();
        String home = System.getProperty("procactor.home");
        if (home != null) {
            Path application = Path.of(home, "config", "application.conf");
            if (Files.isRegularFile(application)) {
                config = ConfigFactory.parseFile(application.toFile()).withFallback(config);
            }
        }
        if (topology != null) {
            config = topology.withFallback(config);
        }
        // -Dprocactor.… beats the files, as everywhere with Typesafe Config.
        return ConfigFactory.systemProperties().withFallback(config);
    }

    /** An error in what the user asked or configured: exit code 2. */
    static final class UsageError extends RuntimeException {
        UsageError(String message) {
            super(message);
        }

        UsageError(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof ExecutionException || c instanceof CompletionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    private static String describe(Throwable t) {
        if (t instanceof UsageError) {
            return firstLine(t.getMessage());
        }
        String message = t.getMessage();
        String type = t.getClass().getSimpleName();
        return message == null || message.isBlank() ? type : type + ": " + firstLine(message);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl).stripTrailing() + " ...";
    }

    /** {@code --version}: this build's version (filtered into version.properties) and the JVM. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = ProcactorCli.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {
                    "procactor " + p.getProperty("version", "(unknown version)"),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
