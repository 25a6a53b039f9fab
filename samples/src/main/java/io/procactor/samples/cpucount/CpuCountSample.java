package io.procactor.samples.cpucount;

import io.procactor.Actor;
import io.procactor.ActorProcess;
import io.procactor.ActorSystem;
import io.procactor.ExitStatus;
import io.procactor.Props;
import io.procactor.samples.Sample;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One process per core, each saying which index it got. The Python original:
 *
 * <pre>
 * def task(num):
 *     print('This is cpu core: ', num)
 *
 * cpu_count = mp.cpu_count()
 * print("cpu_count: ", cpu_count)
 * for i in range(cpu_count):
 *     process_list.append(mp.Process(target=task, args=(i,)))
 *     process_list[i].start()
 * for i in range(cpu_count):
 *     process_list[i].join()
 * </pre>
 *
 * <p>As in Python, the index is only a number: the OS schedules each process on whichever core is
 * free; nothing pins process i to core i.
 */
public final class CpuCountSample implements Sample {

    /** Python's {@code target=task}: prints its index as soon as it starts, then stops, so its JVM exits. */
    public static final class Task extends Actor {
        private final int num;

        public Task(int num) {
            this.num = num;
        }

        @Override
        protected void preStart() {
            System.out.println("This is cpu core: " + num);
            context().stop();
        }

        @Override
        protected void onReceive(Object message) {
            unhandled(message);
        }
    }

    @Override
    public String name() {
        return "cpu-count";
    }

    @Override
    public String description() {
        return "one process per core (availableProcessors, Python's cpu_count), each printing its index";
    }

    @Override
    public void run(ActorSystem system, PrintStream out) throws Exception {
        // Python's cpu_count(); in a container the JVM counts the cores the container may use.
        int cpuCount = Runtime.getRuntime().availableProcessors();
        out.println("cpu_count: " + cpuCount);
        List<ActorProcess> processList = new ArrayList<>();
        for (int i = 0; i < cpuCount; i++) {
            processList.add(system.spawnProcess(Props.create(Task.class, i), "core-" + i));
        }
        for (ActorProcess p : processList) {
            if (!p.join(Duration.ofSeconds(60))) {
                throw new IllegalStateException("process " + p.name() + " did not finish within 60 s");
            }
            ExitStatus status = p.exitStatus().orElseThrow();
            if (!status.isClean()) {
                throw new IllegalStateException("process " + p.name() + " failed: " + status);
            }
        }
    }
}
