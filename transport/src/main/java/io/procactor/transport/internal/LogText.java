package io.procactor.transport.internal;

/**
 * Makes text a peer supplied safe to put in a log line: control characters (newlines included),
 * Unicode line separators and bidirectional overrides become <code>&#92;uXXXX</code> escapes, so a peer
 * cannot forge log lines or hide text; long text is cut, so a peer cannot fill the log. Stateless.
 */
public final class LogText {
    /** How many characters of peer text a log line keeps by default. */
    public static final int DEFAULT_MAX = 64;

    private LogText() {
    }

    /** {@code text} escaped and cut to {@link #DEFAULT_MAX} characters. */
    public static String escape(String text) {
        return escape(text, DEFAULT_MAX);
    }

    /** {@code text} escaped and cut to {@code max} characters (before escaping), saying how much was cut. */
    public static String escape(String text, int max) {
        if (text == null) {
            return "null";
        }
        int keep = Math.min(text.length(), max);
        if (keep < text.length() && Character.isHighSurrogate(text.charAt(keep - 1))) {
            keep--; // do not split a surrogate pair
        }
        StringBuilder b = null;
        for (int i = 0; i < keep; i++) {
            char c = text.charAt(i);
            if (needsEscape(c)) {
                if (b == null) {
                    b = new StringBuilder(keep + 16).append(text, 0, i);
                }
                b.append(String.format("\\u%04x", (int) c));
            } else if (b != null) {
                b.append(c);
            }
        }
        String kept = b != null ? b.toString() : text.substring(0, keep);
        return keep < text.length() ? kept + "...(" + (text.length() - keep) + " more chars)" : kept;
    }

    private static boolean needsEscape(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f)       // C0, DEL, C1 controls
                || c == '\\'                                  // so an escape in the text cannot pass for ours
                || c == 0x2028 || c == 0x2029                 // line and paragraph separators
                || (c >= 0x202a && c <= 0x202e)               // bidirectional embeddings and overrides
                || (c >= 0x2066 && c <= 0x2069)               // bidirectional isolates
                || c == 0x200e || c == 0x200f || c == 0x061c  // direction marks
                || c == 0xfeff;                               // zero-width no-break space
    }
}
