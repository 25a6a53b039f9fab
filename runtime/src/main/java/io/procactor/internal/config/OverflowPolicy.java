package io.procactor.internal.config;

import java.util.Locale;

/** What a full mailbox does with one more message ({@code procactor.mailbox.overflow}). */
public enum OverflowPolicy {
    /** Refuse it: an ask fails with MailboxOverflowException, a tell becomes a dead letter. */
    FAIL("fail"),
    /** Drop it (the newest), reported like FAIL. */
    DROP_NEWEST("drop-newest"),
    /** Drop the oldest queued message instead, reported like FAIL; take the new one. */
    DROP_OLDEST("drop-oldest"),
    /**
     * Make the sender wait: a local sender blocks up to block-timeout (then FAIL); messages from
     * another process stop being read from that connection until the mailbox drains, so the
     * sending process slows down instead of either side filling its heap.
     */
    BLOCK("block");

    private final String configName;

    OverflowPolicy(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    public static OverflowPolicy fromConfig(String v) {
        for (OverflowPolicy o : values()) {
            if (o.configName.equals(v.trim().toLowerCase(Locale.ROOT))) {
                return o;
            }
        }
        throw new IllegalArgumentException("unknown overflow policy [" + v + "]; allowed: fail, drop-newest, drop-oldest, block");
    }
}
