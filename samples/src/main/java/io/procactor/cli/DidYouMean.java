package io.procactor.cli;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * The name a mistyped one was most likely meant to be, for "did you mean" hints on command, option
 * and sample names: the nearest by edit distance, a swap of two neighbouring letters counting as
 * one edit ({@code rnu} is {@code run}), if it is near enough. Picocli's own suggestions miss swaps
 * and offer several names at once. Stateless; thread-safe.
 */
final class DidYouMean {
    private DidYouMean() {
    }

    /**
     * The nearest of {@code names} (the first of equals), ignoring case, if within one edit per
     * three letters typed (at least one): {@code helo} is {@code hello}, {@code nope} is not {@code pipe}.
     */
    static Optional<String> closest(String typed, Collection<String> names) {
        int allowed = Math.max(1, typed.length() / 3);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String n : names) {
            int d = distance(typed.toLowerCase(Locale.ROOT), n.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = n;
                bestDistance = d;
            }
        }
        return bestDistance <= allowed ? Optional.of(best) : Optional.empty();
    }

    /** {@code "; did you mean NAME?"} or nothing. */
    static String hint(String typed, Collection<String> names) {
        return closest(typed, names).map(n -> "; did you mean " + n + "?").orElse("");
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
