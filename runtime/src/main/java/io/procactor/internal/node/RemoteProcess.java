package io.procactor.internal.node;

import io.procactor.ClusterMember;
import io.procactor.ExitStatus;
import io.procactor.internal.wire.AgentMessages;
import io.procactor.transport.Connection;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM a host agent runs for this node, as a {@link Process}, so that {@link ChildHandle},
 * {@link OutputPump} and {@link ExitClassifier} treat it as a local one: its pid is the agent's
 * word ({@code Spawned}); its stdout and stderr are fed by the agent's {@code Output} messages; it
 * exits with the agent's {@code Exited} value, exactly what the agent's {@link Process} gave;
 * {@link #destroy} and {@link #destroyForcibly} send {@code Signal}. When its host is lost (or the
 * agent's connection closes for good), {@link #lost} ends it at once with the status to report,
 * which {@link ChildHandle} takes instead of classifying an exit value nobody observed.
 *
 * <p>Threads: thread-safe. The agent connection's I/O thread feeds it; {@code onExit()} completes
 * on {@code reaper} (never on an I/O thread: what follows an exit may wait); users and the
 * handle's threads call the rest.
 */
final class RemoteProcess extends Process {
    private final long launchId;
    private final ClusterMember member;
    private final Connection agent;
    private final long pid;
    private final Stream stdout = new Stream();
    private final Stream stderr = new Stream();
    private final CompletableFuture<Process> exit = new CompletableFuture<>();
    private final CompletableFuture<Integer> exitValue = new CompletableFuture<>();
    private final Executor reaper;
    private volatile ExitStatus lostStatus;

    RemoteProcess(long launchId, ClusterMember member, Connection agent, long pid, Executor reaper) {
        this.launchId = launchId;
        this.member = member;
        this.agent = agent;
        this.pid = pid;
        this.reaper = reaper;
    }

    long launchId() {
        return launchId;
    }

    /** The agent it runs on. */
    ClusterMember member() {
        return member;
    }

    /** Set when its host was lost: the status the process ends with. */
    ExitStatus lostStatus() {
        return lostStatus;
    }

    /** The node now expects this JVM's connection (its incarnation is current): the agent may hand it its bootstrap. */
    void admit() {
        if (agent.isOpen()) {
            agent.send(new AgentMessages.Admit(launchId));
        }
    }

    void output(boolean toStderr, byte[] bytes) {
        (toStderr ? stderr : stdout).append(bytes);
    }

    /** The agent saw it exit with {@code value}. */
    synchronized void exited(int value) {
        end(value);
    }

    /**
     * Its host is lost, or the agent cannot be reached: it ends now with {@code status}. Synchronized
     * with {@link #exited}: a real exit that came first keeps its own status.
     */
    synchronized void lost(ExitStatus status) {
        if (!exitValue.isDone()) {
            lostStatus = status;
            end(128 + 9); // what the agent did (or will do) to it: killed
        }
    }

    private void end(int value) {
        if (exitValue.complete(value)) {
            stdout.close();
            stderr.close();
            try {
                reaper.execute(() -> exit.complete(this));
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                exit.complete(this);
            }
        }
    }

    @Override
    public OutputStream getOutputStream() {
        return OutputStream.nullOutputStream(); // the agent keeps the child's stdin
    }

    @Override
    public InputStream getInputStream() {
        return stdout;
    }

    @Override
    public InputStream getErrorStream() {
        return stderr;
    }

    @Override
    public int waitFor() throws InterruptedException {
        try {
            exit.get();
            return exitValue.join();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        try {
            exit.get(timeout, unit);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return true;
        }
    }

    @Override
    public int exitValue() {
        if (!exit.isDone()) {
            throw new IllegalThreadStateException("process " + pid + " on " + member + " has not exited");
        }
        return exitValue.join();
    }

    @Override
    public void destroy() {
        signal(false);
    }

    @Override
    public Process destroyForcibly() {
        signal(true);
        return this;
    }

    private void signal(boolean kill) {
        if (!exitValue.isDone() && agent.isOpen()) {
            agent.send(new AgentMessages.Signal(launchId, kill));
        }
    }

    @Override
    public boolean supportsNormalTermination() {
        return true;
    }

    @Override
    public boolean isAlive() {
        return !exit.isDone();
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public CompletableFuture<Process> onExit() {
        return exit.copy();
    }

    @Override
    public String toString() {
        return "RemoteProcess[pid " + pid + " on " + member + "]";
    }

    /** Bytes from the agent, read by an {@link OutputPump}; end of stream once the process ended. */
    private static final class Stream extends InputStream {
        private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
        private byte[] head;
        private int pos;
        private boolean closed;

        synchronized void append(byte[] bytes) {
            if (!closed && bytes.length > 0) {
                chunks.addLast(bytes);
                notifyAll();
            }
        }

        @Override
        public synchronized void close() {
            closed = true;
            notifyAll();
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (head == null || pos == head.length) {
                head = chunks.pollFirst();
                pos = 0;
                if (head != null) {
                    continue;
                }
                if (closed) {
                    return -1;
                }
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted reading a remote process's output");
                }
            }
            int n = Math.min(len, head.length - pos);
            System.arraycopy(head, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public synchronized int available() {
            return head == null ? 0 : head.length - pos;
        }
    }
}
