/**
 * INTERNAL API. Runs in every JVM: the runtime's wire records (Protocol) with their fixed
 * registration ids, hand-written codecs, the bootstrap a child reads on stdin and the marker of
 * its log lines. Depends on no other internal package; changing a record here is a wire-format
 * change (see the golden-bytes tests).
 */
package io.procactor.internal.wire;
