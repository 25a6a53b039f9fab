package io.procactor.internal.core.shm;

/**
 * What identifies a shared segment, and all a handle carries across processes: the system that
 * made it (node pid, system name, and a system id derived from the system's peer secret, so a
 * handle of another system of the same name is told apart), its type, name and length, the
 * segment file, and the random token written in the file's header (a file recreated under the
 * same path is not the same segment).
 *
 * <p>Immutable.
 */
public record SegmentId(long nodePid, String system, long systemId, SharedType type, String name, int length, String path,
                        long token) {

    /** "SharedLong [counter] of actor system [demo] (node pid 42)", for messages. */
    public String describe() {
        return type.apiName() + " [" + name + "] of actor system [" + system + "] (node pid " + nodePid + ")";
    }
}
