package io.procactor.bench;

import io.procactor.ActorProcess;
import io.procactor.ActorSystem;
import io.procactor.Props;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the workloads of one {@link Benchmarks#run} share: the output, the {@link Scale}, the two
 * floors (measured once per run, on first need: a family whose figures are compared with them
 * calls {@link #floors()} first, so that their lines come first) and one {@link ActorSystem}
 * (created on first need, closed with the run). A workload declares figures, measures warm-up and measured rounds
 * with {@link #measure}, and every figure is printed as one {@code RESULT} line:
 *
 * <pre>RESULT &lt;name&gt; &lt;median&gt; &lt;unit&gt; min=&lt;..&gt; max=&lt;..&gt; rounds=&lt;n&gt; vs_block_floor=&lt;x&gt; vs_spin_floor=&lt;y&gt;</pre>
 *
 * <p>A latency's ratio is over the same percentile of the floor's round trip (how many raw round
 * trips it costs); a throughput's is over the floor's round trips per second; other figures
 * print {@code -}.
 *
 * <p>Not thread-safe: one thread runs the benchmarks.
 */
final class Bench implements AutoCloseable {
    /** Generous limit for anything a benchmark waits for. */
    static final Duration LONG = Duration.ofMinutes(5);

    final Scale scale;
    private final PrintStream out;
    private final long startNanos = System.nanoTime();
    private boolean headerPrinted;
    private List<Floor> floors;
    private ActorSystem system;
    private boolean archiveWritten;

    Bench(PrintStream out, Scale scale) {
        this.out = out;
        this.scale = scale;
    }

    /** The output; the first use prints the machine line. */
    PrintStream out() {
        if (!headerPrinted) {
            headerPrinted = true;
            out.printf("# machine: %d cpus, %s %s, java %s (%s), load average %s%n", Runtime.getRuntime().availableProcessors(),
                    System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"),
                    System.getProperty("java.vm.name"), ProcStats.loadAverage());
        }
        return out;
    }

    /** A comment line saying what the next figures measure, with the seconds since the run began. */
    void section(String text) {
        out().printf(Locale.ROOT, "# [%.1f s] %s%n", (System.nanoTime() - startNanos) / 1e9, text);
    }

    /** The run's actor system, created on first use. */
    ActorSystem system() {
        if (system == null) {
            system = ActorSystem.create("bench");
        }
        return system;
    }

    /**
     * The run's actor system, after one child of it has started and exited: the first child of a
     * class path writes the class-data sharing archive as it exits (where sharing applies: a class
     * path of jars, no other node writing it), and children started before that run without it (on
     * a fresh machine, idle RSS 72-80 against 52-60 MiB). For the families that measure children as
     * a deployment has them once that archive exists.
     */
    ActorSystem systemWithArchive() throws Exception {
        ActorSystem s = system();
        if (!archiveWritten) {
            ActorProcess first = s.spawnProcess(Props.create(Sink.class), "archive-writer");
            try {
                first.ready().get(LONG.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception | Error e) {
                try {
                    stop(List.of(first));
                } catch (Exception | Error stopping) {
                    e.addSuppressed(stopping);
                }
                throw e;
            }
            stop(List.of(first));
            archiveWritten = true;
        }
        return s;
    }

    /** The blocking and the busy-polling floor, measured (and reported) on first use. */
    List<Floor> floors() throws Exception {
        if (floors == null) {
            Rounds block = new Rounds();
            Rounds spin = new Rounds();
            Floor b = FloorBench.measure(this, FloorMain.Mode.BLOCK, block);
            Floor s = FloorBench.measure(this, FloorMain.Mode.SPIN, spin);
            floors = List.of(b, s);
            report(block);
            report(spin);
        }
        return floors;
    }

    /** One round of a workload; records its figures' values in {@code into}. */
    interface Round {
        void run(Rounds into) throws Exception;
    }

    /** Runs {@code round} for the scale's warm-up rounds (values dropped), then its measured rounds, and reports them. */
    void measure(Round round) throws Exception {
        for (int i = 0; i < scale.warmups(); i++) {
            round.run(new Rounds());
        }
        Rounds measured = new Rounds();
        for (int i = 0; i < scale.rounds(); i++) {
            round.run(measured);
        }
        report(measured);
    }

    /** Prints one {@code RESULT} line per figure of {@code rounds}. */
    void report(Rounds rounds) throws Exception {
        for (Map.Entry<Rounds.Figure, List<Double>> e : rounds.all().entrySet()) {
            result(e.getKey(), e.getValue());
        }
    }

    /** Prints the {@code RESULT} line of {@code figure}; measures the floors first if it needs them and they are not yet. */
    void result(Rounds.Figure figure, List<Double> values) throws Exception {
        if (figure.kind() != Kind.OTHER) {
            floors();
        }
        double median = Rounds.median(values);
        double min = values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "RESULT %s %s %s min=%s max=%s rounds=%d",
                figure.name(), number(median), figure.unit(), number(min), number(max), values.size()));
        for (String floor : List.of("block", "spin")) {
            Floor f = floors == null ? null : floors.stream().filter(x -> x.name().equals(floor)).findFirst().orElse(null);
            double ratio = f == null ? Double.NaN : f.ratio(figure.kind(), median);
            line.append(" vs_").append(floor).append("_floor=")
                    .append(Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.2f", ratio));
        }
        out().println(line);
    }

    /** Integers for large values, three significant digits for small ones; never a grouping comma. */
    static String number(double v) {
        double a = Math.abs(v);
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return a >= 100 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    /** Terminates {@code processes} and waits until each has exited. */
    static void stop(List<ActorProcess> processes) throws InterruptedException {
        processes.forEach(ActorProcess::terminate);
        for (ActorProcess p : processes) {
            if (!p.join(LONG)) {
                throw new IllegalStateException("process " + p.name() + " did not exit within " + LONG);
            }
        }
    }

    /** Closes the run's actor system, if one was created. */
    @Override
    public void close() {
        if (headerPrinted) {
            section("done");
        }
        if (system != null) {
            system.close();
            system = null;
        }
    }
}
