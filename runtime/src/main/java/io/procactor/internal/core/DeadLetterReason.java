package io.procactor.internal.core;

/**
 * Why a message became a dead letter. The reason is what dead letters are counted by
 * ({@code ActorSystem.deadLetters()} shows the {@link #key()}s) and logged with; what varies
 * (which process, which pool, the exit status) goes in a separate detail text, so that one cause
 * is one count however it is worded. Immutable.
 */
public enum DeadLetterReason {
    /** The target actor stopped, with the message in its mailbox or after it. */
    ACTOR_STOPPED("actor stopped"),
    /** No actor (nor ask, nor pool) of that name in the target's process. */
    NO_SUCH_ACTOR("no such actor"),
    /** The target's process has exited for good. */
    PROCESS_EXITED("process exited"),
    /** The system has no process of that name. */
    NO_SUCH_PROCESS("no such process"),
    /** The target's mailbox was full: the message was refused, or dropped as the oldest ({@code procactor.mailbox.overflow}). */
    MAILBOX_FULL("mailbox full"),
    /** {@code reply} was called while handling a message that had no sender. */
    NO_SENDER("reply without sender"),
    /** Accepted for another process, then not sent: its connection closed, the process went away, or encoding failed. */
    NOT_SENT("not sent"),
    /** A message to a pool's ref found no worker that takes work. */
    NO_WORKER("no live worker");

    private final String key;

    DeadLetterReason(String key) {
        this.key = key;
    }

    /** The stable text dead letters are counted and logged under; never changes for an existing reason. */
    public String key() {
        return key;
    }

    @Override
    public String toString() {
        return key;
    }
}
