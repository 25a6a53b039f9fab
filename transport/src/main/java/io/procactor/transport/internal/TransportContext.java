package io.procactor.transport.internal;

import io.procactor.transport.Registrations;
import io.procactor.transport.Registrations.TableEntry;
import io.procactor.transport.TransportSettings;
import java.util.List;

/**
 * What the pipeline stages of one transport share: who we are, the settings and the current
 * codec. The codec changes at most when a client adopts a server's registration table, before any
 * message moves. Thread-safe.
 */
public final class TransportContext {
    private final String localName;
    private final long localPid;
    private final TransportSettings settings;
    private final ClassLoader loader;
    private volatile KryoCodec codec;

    public TransportContext(String localName, long localPid, Registrations registrations, TransportSettings settings,
                            ClassLoader loader) {
        this.localName = localName;
        this.localPid = localPid;
        this.settings = settings;
        this.loader = loader;
        this.codec = new KryoCodec(registrations, settings.maxFrameSize(), settings.decodeLimits());
    }

    public String localName() {
        return localName;
    }

    public long localPid() {
        return localPid;
    }

    public TransportSettings settings() {
        return settings;
    }

    public KryoCodec codec() {
        return codec;
    }

    /** Merges a server's table into ours; a no-op when it adds nothing. */
    public synchronized void adopt(List<TableEntry> table) {
        Registrations merged = codec.registrations().adopt(table, loader);
        if (merged != codec.registrations()) {
            codec = new KryoCodec(merged, settings.maxFrameSize(), settings.decodeLimits());
        }
    }
}
