package io.procactor.samples.taskorder;

import io.procactor.Actor;
import io.procactor.ActorProcess;
import io.procactor.ActorSystem;
import io.procactor.ExitStatus;
import io.procactor.Futures;
import io.procactor.Props;
import io.procactor.samples.Sample;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Parallel processes print in no particular order, yet their results can be collected in order.
 * The Python original:
 *
 * <pre>
 * def task(num):
 *   print('This is Process: ', num)
 *
 * num_process = 5
 * for i in range(num_process):
 *   process_list.append(mp.Process(target = task, args = (i,)))
 *   process_list[i].start()
 * for i in range(num_process):
 *   process_list[i].join()
 * </pre>
 *
 * Python gets its order from joining in order. Here each task also returns its result (an ask):
 * the futures arrive in whatever order the processes finish, and reading them in the order they
 * were made gives the results in task order.
 */
public final class TaskOrderSample implements Sample {
    private static final int PROCESSES = 5;

    /** Node to task: your result, please. */
    public record Result() {
    }

    @Override
    public void register(ActorSystem.Builder builder) {
        builder.register(Result.class, 1150);
    }

    /** Python's {@code task}: works, prints, and answers with its number when asked. */
    public static final class Task extends Actor {
        private final int num;

        public Task(int num) {
            this.num = num;
        }

        @Override
        protected void preStart() throws InterruptedException {
            // Work of varying length, so the processes finish in a different order on each run.
            Thread.sleep(ThreadLocalRandom.current().nextLong(50, 500));
            System.out.println("This is Process: " + num);
        }

        @Override
        protected void onReceive(Object message) {
            if (message instanceof Result) {
                reply(num); // a message waits for preStart, so this comes after the print
            } else {
                unhandled(message);
            }
        }
    }

    @Override
    public String name() {
        return "task-order";
    }

    @Override
    public String description() {
        return PROCESSES + " processes print in any order; their results are collected in task order";
    }

    @Override
    public void run(ActorSystem system, PrintStream out) throws Exception {
        List<ActorProcess> processes = new ArrayList<>();
        List<CompletableFuture<Integer>> results = new ArrayList<>();
        for (int i = 0; i < PROCESSES; i++) {
            ActorProcess p = system.spawnProcess(Props.create(Task.class, i), "task-" + i);
            processes.add(p);
            results.add(p.ref().ask(new Result(), Duration.ofSeconds(60)));
        }

        List<Integer> finishOrder = new ArrayList<>();
        for (CompletableFuture<Integer> f : Futures.asCompleted(results, Duration.ofSeconds(60))) {
            finishOrder.add(f.join());
        }
        out.println("Results as they finished: " + finishOrder);

        List<Integer> inOrder = new ArrayList<>();
        for (CompletableFuture<Integer> f : results) {
            inOrder.add(f.get(60, TimeUnit.SECONDS));
        }
        out.println("Results in order: " + inOrder);

        // Every answer is in: end the processes (gracefully) and join them. A task that stopped
        // itself right after replying could exit with its reply still in flight: delivery is at
        // most once.
        processes.forEach(ActorProcess::terminate);
        for (ActorProcess p : processes) {
            if (!p.join(Duration.ofSeconds(30))) {
                throw new IllegalStateException("process " + p.name() + " did not exit within 30 s");
            }
            ExitStatus status = p.exitStatus().orElseThrow();
            if (!status.isClean()) {
                throw new IllegalStateException("process " + p.name() + " failed: " + status);
            }
        }
    }
}
