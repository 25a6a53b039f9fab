package io.procactor.internal.child;

import io.procactor.internal.config.Settings;
import io.procactor.internal.core.AskRef;
import io.procactor.internal.core.RefCodec;
import io.procactor.internal.core.RefImpl;
import io.procactor.internal.core.RuntimeExecutors;
import io.procactor.internal.core.SharedCodec;
import io.procactor.internal.core.shm.SegmentTable;
import io.procactor.internal.wire.ChildBootstrap;
import io.procactor.internal.wire.LambdaCodec;
import io.procactor.internal.wire.Protocol;
import io.procactor.transport.Registrations;
import io.procactor.transport.Transport;

/**
 * What a child builds before it needs its process name: its codecs, its transport (which states
 * {@code transportName} in its handshakes) and its dispatcher and scheduler (whose threads are
 * named after it). A spare builds them while idle; {@link ChildRuntime} takes them.
 *
 * <p>A class of its own, not nested in {@code ChildRuntime}: the JDK's dynamic archive leaves out a
 * lambda made while its class's nest host is not linked yet, and a rehearsal builds these first
 * (see {@link SpareWarmup}); every later child then generated that lambda at its start.
 *
 * <p>Immutable after construction; its parts are thread-safe.
 */
final class ChildWires {
    final Settings settings;
    final RefCodec refCodec = new RefCodec();
    final LambdaCodec lambdas = new LambdaCodec();
    final Transport transport;
    final RuntimeExecutors executors;

    ChildWires(ChildBootstrap boot, String transportName) {
        this.settings = Settings.fromChildProperties(boot.settings());
        this.executors = RuntimeExecutors.system(transportName, settings.effectiveDispatcherThreads());
        // the id comes from the node: hashing the peer token here took the JDK's security providers'
        // start, about 100 classes, on a cold child's main thread
        SegmentTable segments = new SegmentTable(boot.parentPid(), boot.system(), boot.sharedMemorySystemId());
        this.transport = Transport.create(settings.transport(), transportName, Protocol.registerShared(
                Protocol.registerFunctions(Protocol.register(Registrations.builder(), RefImpl.class, refCodec, AskRef.class,
                        refCodec.asks), lambdas), SharedCodec.all(segments)).build());
        lambdas.bind(transport::registrations); // the table adopted from the node says which functions are allowed
    }
}
