package io.procactor.cli;

import com.typesafe.config.Config;
import io.procactor.ActorSystem;
import io.procactor.ConfigurationException;
import io.procactor.ProcactorConfig;
import io.procactor.Topology;
import io.procactor.bench.Benchmarks;
import io.procactor.samples.Sample;
import io.procactor.samples.Samples;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine;

/**
 * The {@code procactor} command (see {@code bin/procactor}). Exit codes: 0 success, 1 the
 * application failed, 2 usage or configuration error, 130 (143) interrupted by Ctrl-C (SIGTERM).
 * Errors are one line on stderr that says which ({@code procactor: usage error: ...}, {@code procactor: failed: ...}), or one line per
 * problem ({@code procactor: configuration error: ...}); with {@code --verbose}, the stack trace
 * follows (see {@link ErrorReport}). Runs on the calling thread.
 */
@Command(name = "procactor",
        mixinStandardHelpOptions = true,
        versionProvider = ProcactorCli.Version.class,
        description = "Actors in separate OS processes: runs topologies and samples, shows configuration and running nodes.",
        subcommands = {
                ProcactorCli.RunCommand.class,
                ProcactorCli.ConfigCommand.class,
                PsCommand.class,
                CleanCommand.class,
                AgentCommand.class,
                ProcactorCli.SamplesCommand.class,
                ProcactorCli.SampleCommand.class,
                ProcactorCli.BenchCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 success, 1 application failure, 2 usage or configuration error, "
                + "130 interrupted by Ctrl-C (143 by SIGTERM)."})
public final class ProcactorCli implements Callable<Integer> {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print the stack trace of an error.")
    boolean verbose;

    final PrintStream out;
    final PrintStream err;
    /** Set when a signal (Ctrl-C, SIGTERM) began closing the system: the run is interrupted, not failed. */
    volatile boolean interrupted;

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
        ErrorReport report = new ErrorReport(err, cli);
        cmd.setParameterExceptionHandler((e, args0) -> report.parameterError(e));
        cmd.setExecutionExceptionHandler((e, c, parseResult) -> report.executionError(e));
        int code = cmd.execute(args);
        out.flush();
        return code;
    }

    /** {@code procactor} alone: say how to use it. */
    @Override
    public Integer call() {
        err.println("procactor: usage error: missing command; see 'procactor --help'");
        return USAGE;
    }

    /** {@code --set key=value}, repeatable, for the commands that read configuration. */
    static final class SetOptions {
        @Option(names = "--set", paramLabel = "KEY=VALUE",
                description = "Override a configuration key for this run, e.g. --set procactor.topology.pools.workers.size=3; "
                        + "the value is HOCON (number, boolean, [list], \"string\", ${substitution}) or a plain string. "
                        + "Repeatable; stronger than the files, weaker than -D system properties and CONFIG_FORCE_ variables.")
        List<String> sets = new ArrayList<>();

        /**
         * For the commands that read no topology: a {@code --set procactor.topology...} would
         * silently do nothing there.
         */
        void rejectTopologyKeys(String command) {
            for (String kv : sets) {
                String key = kv.substring(0, Math.max(0, kv.indexOf('='))).trim();
                if (key.equals("procactor.topology") || key.startsWith("procactor.topology.")) {
                    throw new ConfigurationException("--set [" + kv + "]: 'procactor " + command + "' reads no topology, so "
                            + "nothing would use this key; topology keys apply to 'procactor run FILE' and 'procactor config FILE'");
                }
            }
        }
    }

    /** {@code --class-path PATH}, for the commands that load a topology's classes. */
    static final class ClassPathOption {
        @Option(names = "--class-path", paramLabel = "PATH",
                description = "Jars and directories holding your actor and message classes, separated by ':' (';' on Windows), "
                        + "as for java -cp. They load in this JVM and in every child; the topology file's class-path = [...] adds more.")
        String classPath;

        /**
         * Runs {@code body} with a loader over the entries as the context class loader: where the
         * configuration, the topology and the actor system look for user classes, and from which the
         * children's class path is found.
         */
        <T> T around(Callable<T> body) throws Exception {
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(userClasses(classPath, previous != null ? previous : ProcactorCli.class.getClassLoader()));
            try {
                return body.call();
            } finally {
                thread.setContextClassLoader(previous);
            }
        }

        /** A loader over {@code --class-path}'s entries, or {@code parent} without it. Never closed: the JVM exits after the run. */
        static ClassLoader userClasses(String classPath, ClassLoader parent) {
            if (classPath == null) {
                return parent;
            }
            List<java.net.URL> urls = new ArrayList<>();
            for (String entry : classPath.split(java.util.regex.Pattern.quote(java.io.File.pathSeparator), -1)) {
                if (entry.isBlank()) {
                    throw new UsageError("--class-path [" + classPath + "] has an empty entry; give jars and directories "
                            + "separated by '" + java.io.File.pathSeparator + "'");
                }
                Path p = Path.of(entry.trim()).toAbsolutePath().normalize();
                if (!Files.exists(p)) {
                    throw new UsageError("--class-path entry [" + entry + "] does not exist (looked for " + p + ")");
                }
                try {
                    urls.add(p.toUri().toURL());
                } catch (java.net.MalformedURLException e) {
                    throw new UsageError("--class-path entry [" + entry + "] is not a path: " + e.getMessage(), e);
                }
            }
            return new java.net.URLClassLoader("procactor-class-path", urls.toArray(java.net.URL[]::new), parent);
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true, versionProvider = ProcactorCli.Version.class,
            description = {"Run a topology file (HOCON): its processes and pools, start message and end condition, "
                    + "or the sample it names (procactor.topology.sample = NAME).",
                    "Its other keys apply to this run, procactor.* settings included. See docs/topologies.md."})
    static final class RunCommand implements Callable<Integer> {
        @ParentCommand
        ProcactorCli cli;

        @Parameters(paramLabel = "FILE", description = "The topology file, e.g. config/topologies/pipeline.conf.")
        Path file;

        @CommandLine.Mixin
        SetOptions set = new SetOptions();

        @CommandLine.Mixin
        ClassPathOption classPath = new ClassPathOption();

        @Override
        public Integer call() throws Exception {
            requireFile(file);
            return classPath.around(this::run);
        }

        private Integer run() throws Exception {
            Config config = cli.load(file, set.sets);
            if (!Topology.isDefined(config)) {
                throw new UsageError("topology file [" + file + "] has no procactor.topology; declare processes and pools "
                        + "(see docs/topologies.md) or name a sample, e.g. procactor.topology.sample = sleepers");
            }
            Topology topology = checkAll(config, true); // everything checked; nothing started yet
            if (topology.sample().isPresent()) {
                String name = topology.sample().get();
                Sample sample = Samples.find(name).orElseThrow(() -> new UsageError("unknown sample [" + name
                        + "] in [procactor.topology.sample] of topology file [" + file + "]" + sampleHint(name)));
                return cli.runSample(sample, config);
            }
            String name = topology.name().orElse(systemName(file));
            Thread.currentThread().setContextClassLoader(topology.classLoader()); // with the topology's own class-path
            ActorSystem system = ActorSystem.builder(name).config(config).build();
            return cli.closingOnSignal(system, () -> {
                Topology.Result r = topology.run(system, cli.out);
                cli.out.println(String.format(Locale.ROOT, "topology [%s] done (%s) after %.2f s", name, ending(r.ending()),
                        r.elapsed().toNanos() / 1e9));
                return OK;
            });
        }

        private static String ending(Topology.Ending e) {
            return switch (e) {
                case MESSAGE -> "done message received";
                case DURATION -> "its duration elapsed";
                case EXITED -> "every process exited";
                case CLOSED -> "the actor system was closed";
            };
        }

        /** {@code pipeline.conf} names the system {@code pipeline}. */
        private static String systemName(Path file) {
            String n = file.getFileName().toString().replaceFirst("\\.conf$", "").replaceAll("[^A-Za-z0-9_.-]", "-");
            return n.isEmpty() || !Character.isLetterOrDigit(n.charAt(0)) ? "topology" : n;
        }
    }

    @Command(name = "config", mixinStandardHelpOptions = true, versionProvider = ProcactorCli.Version.class,
            description = {"Print the effective procactor configuration (one key per line, each with where its value was "
                    + "set; passwords, secrets and tokens masked), then check it: settings and the topology, if any.",
                    "Without FILE: the installation's configuration (config/application.conf, system properties, "
                            + "environment, reference.conf)."})
    static final class ConfigCommand implements Callable<Integer> {
        @ParentCommand
        ProcactorCli cli;

        @Parameters(paramLabel = "FILE", arity = "0..1", description = "A topology file whose configuration to show.")
        Path file;

        @CommandLine.Mixin
        SetOptions set = new SetOptions();

        @Option(names = "--no-origins", description = "Leave out where each value was set.")
        boolean noOrigins;

        @CommandLine.Mixin
        ClassPathOption classPath = new ClassPathOption();

        @Override
        public Integer call() throws Exception {
            if (file != null) {
                requireFile(file);
            }
            return classPath.around(this::show);
        }

        private Integer show() {
            Config config = cli.load(file, set.sets);
            cli.out.println("# effective configuration" + (file == null ? "" : " of " + file)
                    + " (strongest first: system properties, CONFIG_FORCE_ environment variables, --set, topology file, "
                    + "config/application.conf, application.conf, reference.conf)");
            cli.out.print(ProcactorConfig.render(config, !noOrigins));
            cli.out.flush();
            checkAll(config, false);
            return OK;
        }
    }

    @Command(name = "samples", mixinStandardHelpOptions = true, versionProvider = ProcactorCli.Version.class, description = "List the samples.")
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

    @Command(name = "sample", mixinStandardHelpOptions = true, versionProvider = ProcactorCli.Version.class, description = "Run one sample (see 'procactor samples').")
    static final class SampleCommand implements Callable<Integer> {
        @ParentCommand
        ProcactorCli cli;

        @Parameters(paramLabel = "NAME", description = "The sample to run.")
        String name;

        @CommandLine.Mixin
        SetOptions set = new SetOptions();

        @Override
        public Integer call() throws Exception {
            Sample sample = Samples.find(name).orElseThrow(() -> new UsageError("unknown sample [" + name + "]" + sampleHint(name)));
            set.rejectTopologyKeys("sample");
            return cli.runSample(sample, cli.load(null, set.sets));
        }
    }

    @Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = ProcactorCli.Version.class,
            description = "Run the benchmarks: one RESULT line per figure (median, min-max over rounds, ratios to a blocking and "
                    + "a busy-polling socket floor measured in the same run); see docs/benchmarks.md.")
    static final class BenchCommand implements Callable<Integer> {
        @ParentCommand
        ProcactorCli cli;

        @Parameters(paramLabel = "WHICH", arity = "0..1", defaultValue = "all",
                description = "floors, tell, ask, reqreply, spawn, memory, idle, pool (families); messaging (tell to memory); "
                        + "all (the standard set: messaging, idle, pool); channels, shm (against Python); tls; memory200 (slow); jmh (default: ${DEFAULT-VALUE}).")
        String which;

        @Override
        public Integer call() throws Exception {
            try {
                new Benchmarks(cli.out).run(which);
            } catch (Benchmarks.UnknownBenchmarkException e) {
                throw new UsageError(e.getMessage());
            }
            return OK;
        }
    }

    /** {@code "; run 'procactor samples' ..."}, with the sample {@code name} was probably meant to be. */
    static String sampleHint(String name) {
        List<String> names = Samples.all().stream().map(Sample::name).toList();
        return DidYouMean.closest(name, names).map(n -> "; did you mean " + n + "? Run").orElse("; run")
                + " 'procactor samples' to list them";
    }

    /**
     * Checks the settings and, if there is one, the topology of {@code config}, and reports the
     * problems of both in one exception: the topology's first with {@code topologyFirst}.
     *
     * @return the topology, or null if there is none
     */
    static Topology checkAll(Config config, boolean topologyFirst) {
        Topology[] topology = {null};
        Runnable loadTopology = () -> topology[0] = Topology.isDefined(config) ? Topology.load(config) : null;
        Runnable validateSettings = () -> ProcactorConfig.validate(config);
        List<ConfigurationException> problems = new ArrayList<>();
        for (Runnable check : topologyFirst ? List.of(loadTopology, validateSettings) : List.of(validateSettings, loadTopology)) {
            try {
                check.run();
            } catch (ConfigurationException e) {
                problems.add(e);
            }
        }
        if (problems.size() == 1) {
            throw problems.get(0);
        }
        if (!problems.isEmpty()) {
            ConfigurationException all = new ConfigurationException(problems.get(0).getMessage() + "\n" + problems.get(1).getMessage(),
                    problems.get(0));
            all.addSuppressed(problems.get(1));
            throw all;
        }
        return topology[0];
    }

    int runSample(Sample sample, Config config) throws Exception {
        ActorSystem.Builder builder = ActorSystem.builder("procactor-" + sample.name()).config(config);
        sample.register(builder);
        ActorSystem system = builder.build(); // ConfigurationException: exit code 2
        return closingOnSignal(system, () -> {
            sample.run(system, out);
            return OK;
        });
    }

    /**
     * Runs {@code body} and closes {@code system}. Ctrl-C (or SIGTERM) meanwhile terminates the
     * children gracefully (their postStop runs) rather than letting them halt when this JVM's pipes
     * close, and prints one line saying so: what fails in the body because the system is closing is
     * the interruption, not a failure, and is not reported. The JVM then exits as a signal makes it:
     * 130 after Ctrl-C, 143 after SIGTERM.
     */
    int closingOnSignal(ActorSystem system, Callable<Integer> body) throws Exception {
        Thread onSignal = new Thread(() -> {
            interrupted = true;
            long live = system.processes().stream().filter(io.procactor.ActorProcess::isAlive).count();
            system.close();
            out.println("procactor: interrupted; stopped " + live + (live == 1 ? " process" : " processes"));
            out.flush();
        }, "procactor-cli-shutdown");
        Runtime.getRuntime().addShutdownHook(onSignal);
        try (system) {
            return body.call();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException shuttingDown) {
                // the hook is closing the system already
            }
        }
    }

    /**
     * The configuration, strongest first: system properties, CONFIG_FORCE_ environment variables,
     * {@code --set} options, the topology file (if any), {@code $procactor.home/config/application.conf}
     * (if present), the class path's {@code application.conf} and {@code reference.conf}; resolved
     * together (see {@link ProcactorConfig}).
     */
    Config load(Path topologyFile, List<String> sets) {
        return ProcactorConfig.load(sets, topologyFile, applicationFile());
    }

    /** {@code $procactor.home/config/application.conf}, if there is one. */
    static Path applicationFile() {
        String home = System.getProperty("procactor.home");
        if (home == null) {
            return null;
        }
        Path application = Path.of(home, "config", "application.conf");
        return Files.isRegularFile(application) ? application : null;
    }

    private static void requireFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UsageError("topology file [" + file + "] " + (Files.exists(file) ? "is not a regular file" : "does not exist"));
        }
    }

    /** An error in what the user asked: exit code 2. */
    static final class UsageError extends RuntimeException {
        UsageError(String message) {
            super(message);
        }

        UsageError(String message, Throwable cause) {
            super(message, cause);
        }
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
