package io.procactor.internal.core;

import io.procactor.ActorRef;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The {@link ActorRef} of an actor: a process name and an actor name, bound to the
 * {@link ProcessCore} of the JVM it lives in (rebound when it arrives in another JVM). An ask's
 * reply address is the subclass {@link AskRef}.
 *
 * <p>Threads: any. Immutable and thread-safe.
 */
public sealed class RefImpl implements ActorRef permits AskRef {
    private final ProcessCore core;
    private final String process;
    private final String name;

    public RefImpl(ProcessCore core, String process, String name) {
        this.core = core;
        this.process = process;
        this.name = name;
    }

    @Override
    public String path() {
        return "procactor://" + core.systemName() + "/" + process + "/" + name();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String processName() {
        return process;
    }

    ProcessCore core() {
        return core;
    }

    @Override
    public void tell(Object message) {
        core.send(this, message, null);
    }

    @Override
    public void tell(Object message, ActorRef sender) {
        core.send(this, message, sender);
    }

    @Override
    public <T> CompletableFuture<T> ask(Object message, Duration timeout) {
        return core.ask(this, message, timeout);
    }

    @Override
    public boolean equals(Object o) {
        // an AskRef's display name can never equal an actor's (Names forbids '$'), but do not rely on it
        return o instanceof RefImpl r && r.getClass() == getClass() && r.process.equals(process) && r.name.equals(name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(process, name);
    }

    @Override
    public String toString() {
        return "ActorRef[" + path() + "]";
    }
}
