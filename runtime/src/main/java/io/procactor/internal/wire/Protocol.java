package io.procactor.internal.wire;

import io.procactor.ActorRef;
import io.procactor.ExitStatus;
import io.procactor.transport.Registrations;
import io.procactor.transport.WireCodec;
import java.util.List;

/**
 * The runtime's own wire messages, with their fixed registration ids (100-199). Changing an id
 * or a record's components is a wire-format change (see {@code RefCodecGoldenTest}). Messages for
 * actors ({@link Envelope}) and watch messages ({@link Routed}) travel on every connection and are
 * routed by {@code core.InboundRouter}; the rest is the control protocol between the node and a
 * child, each record's javadoc saying its direction.
 *
 * <p>Threads: every record is immutable and may be sent from any thread.
 */
public final class Protocol {
    /** The node's own process name; no child may take it. */
    public static final String NODE = "node";

    private Protocol() {
    }

    /** A message for the actor {@code target}; {@code sender} may be null. */
    public record Envelope(ActorRef target, ActorRef sender, Object body) {
    }

    /** Reply body that fails an ask: what the actor threw, as data. */
    public record Failure(String className, String message, String stackTrace, String actorPath) {
    }

    /**
     * Reply body that fails an ask because the target actor could not be created: its constructor
     * or {@code preStart} threw {@code failure}.
     */
    public record StartFailed(Failure failure) {
    }

    /** Reply body that fails an ask because the target actor does not exist (any more). */
    public record Undeliverable(String targetPath, String reason) {
    }

    /** Node to child: create an actor. */
    public record SpawnActor(String name, String className, List<Object> args) {
    }

    /**
     * Node to a spare child, on the control connection it opened under its spare label: from now on
     * it is process {@code name} (the {@link SpawnActor} of that process follows).
     */
    public record Adopt(String name) {
    }

    /** Child to node: the child is connected and listens for peers at {@code endpoint}. */
    public record ChildReady(String endpoint) {
    }

    /** Child to node: the actor the node spawned was constructed and its preStart returned. */
    public record ActorStarted(String name) {
    }

    /** Child to node: an actor stopped; {@code failure} is set when its creation failed. */
    public record ActorStopped(String name, Failure failure) {
    }

    /** Node to children: a process is up and reachable directly at {@code endpoint}. */
    public record PeerUp(String process, String endpoint) {
    }

    /** Child to node: where does {@code process} listen? Answered with PeerUp (now or when it is up) or ProcessDown. */
    public record Resolve(String process) {
    }

    /**
     * Node to children: a process has exited; fail what was waiting on it. When {@code restarting},
     * a new incarnation follows: keep sending to it (through the node until it is up).
     */
    public record ProcessDown(String process, int code, int signal, String reason, String detail, List<String> stderrTail,
                              boolean restarting) {
        public static ProcessDown of(String process, ExitStatus s, boolean restarting) {
            return new ProcessDown(process, s.code(), s.signal(), s.reason().name(), s.detail(), s.stderrTail(), restarting);
        }

        public ExitStatus status() {
            return new ExitStatus(code, signal, ExitStatus.Reason.valueOf(reason), detail, stderrTail);
        }
    }

    /** Node to child: stop every actor (postStop runs) and exit. */
    public record Terminate(String reason) {
    }

    /** Child to node: about to exit with {@code code}, for {@code reason} (an ExitStatus.Reason name). */
    public record Exiting(int code, String reason, String detail) {
    }

    /** Node to a pool worker: run each item as a message to the actor; {@code id} correlates the result. */
    public record Batch(long id, List<Object> items) {
    }

    /**
     * Pool worker to node: one result per item, in order (a reply, or a {@link Failure}), the time
     * the actor spent on the batch, and the worker's mailbox depth when it finished.
     */
    public record BatchResult(long id, List<Object> results, long serviceNanos, int queueDepth) {
    }

    /**
     * Pool worker to node: the next results of batch {@code id}, in order, when all of them do not
     * fit in one frame; the {@link BatchResult} with the same id follows with the rest.
     */
    public record BatchPart(long id, List<Object> results) {
    }

    /**
     * A message whose sender waits for an answer although it was not sent as an ask (a one-way
     * operation whose answer comes later, by tell): when it cannot be delivered, the sender gets
     * {@link #undeliverableAnswer} instead of waiting out its timeout, as an ask gets {@link Undeliverable}.
     */
    public interface AnsweredWhenUndeliverable {
        Object undeliverableAnswer(String targetPath);
    }

    /** A runtime message for the runtime of {@link #targetProcess()}, which the node relays when needed. */
    public interface Routed {
        String targetProcess();
    }

    /** {@code watcher} watches {@code target}: the target's process tells it when the target stops. */
    public record Watch(ActorRef target, ActorRef watcher) implements Routed {
        @Override
        public String targetProcess() {
            return target.processName();
        }
    }

    public record Unwatch(ActorRef target, ActorRef watcher) implements Routed {
        @Override
        public String targetProcess() {
            return target.processName();
        }
    }

    /** To the watcher's process: {@code target} stopped with this status. */
    public record WatchNotify(ActorRef target, ActorRef watcher, int code, int signal, String reason, String detail)
            implements Routed {
        public static WatchNotify of(ActorRef target, ActorRef watcher, ExitStatus s) {
            return new WatchNotify(target, watcher, s.code(), s.signal(), s.reason().name(), s.detail());
        }

        public ExitStatus status() {
            return new ExitStatus(code, signal, ExitStatus.Reason.valueOf(reason), detail, List.of());
        }

        @Override
        public String targetProcess() {
            return watcher.processName();
        }
    }

    /** Reply body that fails an ask because the target's mailbox was full. */
    public record MailboxFull(String targetPath, int capacity) {
    }

    /** Node to child, for the admin endpoint ({@code procactor ps}): report your actors and heap; answered from the I/O thread. */
    public record StatusRequest(long id) {
    }

    /**
     * Child to node: the hosted actors with their mailbox depths (same order), and the heap in
     * bytes (used, and max; max is -1 when unlimited).
     */
    public record StatusReply(long id, List<String> actors, List<Integer> mailboxDepths, long heapUsed, long heapMax) {
    }

    // ---- functions as tasks (ids 130-139) ----

    /**
     * Apply {@code fn} (one of {@code io.procactor.Task}'s function types, encoded by
     * {@link LambdaCodec}) to {@code args}: a task of a function pool, or the one call of a
     * function process. The reply is the result, or a {@link Failure}.
     */
    public record Call(Object fn, List<Object> args) {
    }

    /**
     * Registers what functions as tasks need: the codec of every lambda and method reference
     * (130; it refuses functions written in classes this process did not register) and
     * {@link Call} (131).
     */
    public static Registrations.Builder registerFunctions(Registrations.Builder b, LambdaCodec lambdas) {
        return b.registerLambdas(130, lambdas)
                .register(Call.class, 131, WireCodecs.CALL);
    }

    /**
     * Registers the runtime's wire types; {@code refCodec} writes this JVM's {@code refType} (an
     * actor's ref) and {@code askCodec} its {@code askType} (an ask's reply address), and both bind
     * arriving refs to this process.
     */
    public static <R extends ActorRef, A extends R> Registrations.Builder register(Registrations.Builder b,
            Class<R> refType, WireCodec<R> refCodec, Class<A> askType, WireCodec<A> askCodec) {
        return b.register(refType, 100, refCodec)
                .register(askType, 125, askCodec)
                .register(Envelope.class, 101, WireCodecs.ENVELOPE)
                .register(Failure.class, 102, WireCodecs.FAILURE)
                .register(Undeliverable.class, 103, WireCodecs.UNDELIVERABLE)
                .register(SpawnActor.class, 104, WireCodecs.SPAWN_ACTOR)
                .register(ChildReady.class, 105, WireCodecs.CHILD_READY)
                .register(ActorStopped.class, 106, WireCodecs.ACTOR_STOPPED)
                .register(PeerUp.class, 107, WireCodecs.PEER_UP)
                .register(ProcessDown.class, 108, WireCodecs.PROCESS_DOWN)
                .register(Terminate.class, 109, WireCodecs.TERMINATE)
                .register(Exiting.class, 110, WireCodecs.EXITING)
                .register(Batch.class, 111, WireCodecs.BATCH)
                .register(BatchResult.class, 112, WireCodecs.BATCH_RESULT)
                // 113 and 114, the heartbeat and its answer until protocol version 2 (now the transport's PING and
                // PONG frames), were free until 113 became BatchPart in version 4
                .register(BatchPart.class, 113, WireCodecs.BATCH_PART)
                .register(Watch.class, 115)
                .register(Unwatch.class, 116)
                .register(WatchNotify.class, 117)
                .register(MailboxFull.class, 118)
                .register(io.procactor.Terminated.class, 119)
                .register(ExitStatus.class, 120, WireCodecs.EXIT_STATUS)
                .register(Resolve.class, 121, WireCodecs.RESOLVE)
                .register(StatusRequest.class, 122)
                .register(StatusReply.class, 123)
                .register(ActorStarted.class, 124, WireCodecs.ACTOR_STARTED)
                .register(StartFailed.class, 126, WireCodecs.START_FAILED)
                .register(Adopt.class, 127, WireCodecs.ADOPT) // 140-149, the spare's range in issue 13, were taken by issue 12
                // node-hosted objects (issue 12): the handles, then their operations
                .register(io.procactor.ProcessQueue.class, 140)
                .register(io.procactor.PipeEnd.class, 141)
                .register(io.procactor.ProcessEvent.class, 142)
                .register(io.procactor.ProcessMap.class, 143)
                .register(ChannelMessages.QueuePut.class, 144, WireCodecs.QUEUE_PUT)
                .register(ChannelMessages.QueueTake.class, 145, WireCodecs.QUEUE_TAKE)
                .register(ChannelMessages.Control.class, 146)
                .register(ChannelMessages.PipeSend.class, 147)
                .register(ChannelMessages.PipeRecv.class, 148)
                .register(ChannelMessages.PipeClose.class, 149)
                .register(ChannelMessages.EventWait.class, 150)
                .register(ChannelMessages.MapOp.class, 151)
                .register(ChannelMessages.Refused.class, 152)
                .register(ChannelMessages.Value.class, 153)
                .register(ChannelMessages.Items.class, 154, WireCodecs.ITEMS)
                .register(ChannelMessages.PipeOpen.class, 155)
                .register(ChannelMessages.QueueAck.class, 156)
                .register(ChannelMessages.QueueJoin.class, 157)
                .register(ChannelMessages.QueueBatch.class, 158, WireCodecs.QUEUE_BATCH)
                .register(ChannelMessages.QueueGrant.class, 159)
                // queue and pipe items too big for their shared-memory ring (issue 12, ids 185-189)
                .register(ChannelMessages.Spill.class, 185)
                .register(ChannelMessages.Unspill.class, 186);
    }

    // ---- shared memory (ids 160-169) ----

    /** Makes the codec of each shared-memory type: it writes the object as its segment's handle. */
    public interface SharedCodecs {
        <T> WireCodec<T> of(Class<T> type);
    }

    /** Registers the shared-memory objects, which cross processes as handles to the same memory. */
    public static Registrations.Builder registerShared(Registrations.Builder b, SharedCodecs codecs) {
        return b.register(io.procactor.SharedInt.class, 160, codecs.of(io.procactor.SharedInt.class))
                .register(io.procactor.SharedLong.class, 161, codecs.of(io.procactor.SharedLong.class))
                .register(io.procactor.SharedDouble.class, 162, codecs.of(io.procactor.SharedDouble.class))
                .register(io.procactor.SharedIntArray.class, 163, codecs.of(io.procactor.SharedIntArray.class))
                .register(io.procactor.SharedLongArray.class, 164, codecs.of(io.procactor.SharedLongArray.class))
                .register(io.procactor.SharedDoubleArray.class, 165, codecs.of(io.procactor.SharedDoubleArray.class))
                .register(io.procactor.SharedLock.class, 166, codecs.of(io.procactor.SharedLock.class));
    }

    // ---- host agents (issue 14, ids 190-199) ----

    /** Registers the agent control protocol ({@link AgentMessages}): every node's table has it, so agents and nodes share it. */
    public static io.procactor.transport.Registrations.Builder registerAgents(io.procactor.transport.Registrations.Builder b) {
        return b.register(AgentMessages.SpawnRequest.class, 190)
                .register(AgentMessages.Spawned.class, 191)
                .register(AgentMessages.SpawnFailed.class, 192)
                .register(AgentMessages.Output.class, 193)
                .register(AgentMessages.Exited.class, 194)
                .register(AgentMessages.Signal.class, 195)
                .register(AgentMessages.Admit.class, 196);
    }
}
