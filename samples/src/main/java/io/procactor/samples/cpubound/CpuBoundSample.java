package io.procactor.samples.cpubound;

import io.procactor.Actor;
import io.procactor.ActorProcess;
import io.procactor.ActorSystem;
import io.procactor.Pool;
import io.procactor.PoolOptions;
import io.procactor.Props;
import io.procactor.samples.Sample;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The same CPU-bound function run three ways: sequentially, on a thread pool and on a process
 * pool, each printing the pid and thread that ran each call and the time it took. The Python
 * original:
 *
 * <pre>
 * def cpu_bound(num):
 *     print(f"{os.getpid()} process | {threading.get_ident()} thread")
 *     numbers = range(1, num)
 *     total = 1
 *     for i in numbers:
 *         for j in numbers:
 *             for k in numbers:
 *                 total *= i * j * k
 *     return total
 *
 * results = list(ProcessPoolExecutor(max_workers=10).map(cpu_bound, [50, 63, 32]))
 * </pre>
 *
 * <p>Python needs processes here because its GIL lets only one thread run Python code at a time.
 * The JVM has no such lock: the thread pool is as parallel as the process pool, and cheaper, since
 * it starts no JVMs. Processes pay off in Java for isolation (a crash, a leak or a native library
 * takes one worker down, not the node), not for CPU parallelism.
 */
public final class CpuBoundSample implements Sample {
    /**
     * The product is kept modulo this prime, in {@code long} arithmetic. Python's {@code total} is a
     * big integer of millions of bits (62! to the power 11532 for num 63), and building the three
     * takes it 45 s; a {@code BigInteger} would do the same in Java. Modular arithmetic keeps the
     * loops but not the huge numbers: both factors of each step are below the prime, under 2^30,
     * so their product stays under 2^60 and never overflows.
     */
    static final long PRIME = 1_000_000_007L;

    private final List<Integer> nums;

    /**
     * Ten times the original's numbers, [500, 630, 320]: modular long arithmetic is so much
     * cheaper than big integers that the original sizes would finish in a millisecond.
     */
    public CpuBoundSample() {
        this(List.of(500, 630, 320));
    }

    public CpuBoundSample(List<Integer> nums) {
        this.nums = List.copyOf(nums);
    }

    /** What one call returns: its result, and who computed it. */
    public record Computed(int num, long total, long pid, long threadId) {
        String who() {
            return pid + " process | " + threadId + " thread";
        }
    }

    @Override
    public void register(ActorSystem.Builder builder) {
        builder.register(Computed.class, 1000);
    }

    /** The function itself, the same in every process and thread. */
    static Computed cpuBound(int num, long pid) {
        long total = 1;
        for (long i = 1; i < num; i++) {
            for (long j = 1; j < num; j++) {
                for (long k = 1; k < num; k++) {
                    total = total * (i * j * k % PRIME) % PRIME;
                }
            }
        }
        return new Computed(num, total, pid, Thread.currentThread().getId());
    }

    /** A process-pool worker: one call per message. */
    public static final class CpuBound extends Actor {
        @Override
        protected void onReceive(Object message) {
            if (message instanceof Integer num) {
                reply(cpuBound(num, context().pid()));
            } else {
                unhandled(message);
            }
        }
    }

    @Override
    public String name() {
        return "cpu-bound";
    }

    @Override
    public String description() {
        return "a CPU-bound function on " + nums + ": sequentially, on 3 threads and on 3 processes, timed";
    }

    @Override
    public void run(ActorSystem system, PrintStream out) throws Exception {
        long nodePid = system.pid();

        out.println("Sequential:");
        long start = System.nanoTime();
        List<Computed> sequential = new ArrayList<>();
        for (int num : nums) {
            sequential.add(cpuBound(num, nodePid));
        }
        report(out, sequential, start, "");

        out.println("Thread pool (" + nums.size() + " threads):");
        ExecutorService threads = Executors.newFixedThreadPool(nums.size());
        try {
            start = System.nanoTime();
            List<Callable<Computed>> calls = nums.stream().<Callable<Computed>>map(num -> () -> cpuBound(num, nodePid)).toList();
            List<Computed> threaded = new ArrayList<>();
            for (Future<Computed> f : threads.invokeAll(calls)) { // Python's executor.map: results in input order
                threaded.add(f.get());
            }
            report(out, threaded, start, "");
            requireSameTotals(threaded, sequential);
        } finally {
            threads.shutdown();
            threads.awaitTermination(10, TimeUnit.SECONDS);
        }

        out.println("Process pool (" + nums.size() + " processes):");
        start = System.nanoTime();
        try (Pool pool = system.pool(Props.create(CpuBound.class), PoolOptions.size(nums.size()).name("cpu-bound"))) {
            // Split the process pool's time into JVM start-up and computing: Python forks in
            // milliseconds, a JVM needs a second or so (on a busy machine, more).
            for (ActorProcess worker : pool.workers()) {
                worker.ready().get(60, TimeUnit.SECONDS);
            }
            double startup = (System.nanoTime() - start) / 1e9;
            long computeStart = System.nanoTime();
            List<Computed> pooled = pool.map(nums, Duration.ofMinutes(2));
            report(out, pooled, computeStart, String.format(Locale.ROOT, " (plus %.2f s to start the worker JVMs)", startup));
            requireSameTotals(pooled, sequential);
        }
    }

    private static void requireSameTotals(List<Computed> results, List<Computed> sequential) {
        if (!results.stream().map(Computed::total).toList().equals(sequential.stream().map(Computed::total).toList())) {
            throw new IllegalStateException("computed " + results + ", but sequentially " + sequential);
        }
    }

    private static void report(PrintStream out, List<Computed> results, long startNanos, String note) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        results.forEach(c -> out.println(c.who()));
        out.println(results.stream().map(c -> String.valueOf(c.total())).collect(Collectors.joining(", ", "[", "]")));
        out.println(String.format(Locale.ROOT, "Finished in %.2f second(s)%s", seconds, note));
    }
}
