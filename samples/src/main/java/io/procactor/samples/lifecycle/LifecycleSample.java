package io.procactor.samples.lifecycle;

import io.procactor.Actor;
import io.procactor.ActorProcess;
import io.procactor.ActorSystem;
import io.procactor.ExitStatus;
import io.procactor.Props;
import io.procactor.samples.Sample;
import java.io.PrintStream;
import java.time.Duration;

/**
 * A process's life: started, alive, terminated mid-work, joined, and how it ended. The Python
 * original (with its commented-out terminate and join put back):
 *
 * <pre>
 * def prod_func(name):
 *     print('Sub-Process {}: starting'.format(name))
 *     time.sleep(3)
 *     print('Sub-Process {}: finishing'.format(name))
 *
 * p = Process(target=prod_func, args=('First',))
 * p.start()
 * print(f'Process p is alive: {p.is_alive()}')
 * p.terminate()
 * p.join()
 * </pre>
 */
public final class LifecycleSample implements Sample {

    /**
     * Three seconds of work done in 100 ms slices, one message per slice. Between slices the actor
     * can answer questions and see a terminate: terminate is graceful, it stops an actor after its
     * current message (where Python's kills the process wherever it is).
     */
    public static final class SubProcess extends Actor {
        private static final String SLICE = "slice";
        private final String name;
        private int slicesLeft = 30;

        public SubProcess(String name) {
            this.name = name;
        }

        @Override
        protected void preStart() {
            System.out.println("Sub-Process " + name + ": starting");
            self().tell(SLICE);
        }

        @Override
        protected void onReceive(Object message) throws InterruptedException {
            if (SLICE.equals(message)) {
                Thread.sleep(100);
                if (--slicesLeft == 0) {
                    context().stop();
                } else {
                    self().tell(SLICE);
                }
            } else if ("status".equals(message)) {
                reply("working, " + slicesLeft * 100 + " ms of work left");
            } else {
                unhandled(message);
            }
        }

        @Override
        protected void postStop() {
            // Runs whether the work finished or the process was terminated.
            System.out.println("Sub-Process " + name + ": finishing"
                    + (slicesLeft > 0 ? " early, terminated with " + slicesLeft * 100 + " ms of work left" : ""));
        }
    }

    @Override
    public String name() {
        return "lifecycle";
    }

    @Override
    public String description() {
        return "start a process, check is-alive, terminate it mid-work, join, print its exit status";
    }

    @Override
    public void run(ActorSystem system, PrintStream out) throws Exception {
        ActorProcess p = system.process(Props.create(SubProcess.class, "First"), "p");
        p.start();
        out.println("Process p is alive: " + p.isAlive());

        // Messages sent before the child is up wait for it, so this answer also says it is running.
        String status = p.ref().<String>ask("status", Duration.ofSeconds(30)).get();
        out.println("Process p says: " + status);

        p.terminate();
        if (!p.join(Duration.ofSeconds(30))) {
            throw new IllegalStateException("process p did not exit within 30 s of terminate()");
        }
        out.println("Process p is alive: " + p.isAlive());
        ExitStatus exit = p.exitStatus().orElseThrow();
        out.println("Process p exit status: " + exit);
        // A graceful terminate exits with code 0; Python's SIGTERM gives -15.
        out.println("Process p exitcode: " + exit.exitCode());
    }
}
