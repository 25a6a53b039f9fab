package io.procactor.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values of each figure over the measured rounds of one workload, in the order first added.
 *
 * <p>Not thread-safe: one workload thread adds.
 */
final class Rounds {
    /** A figure's name, unit and kind, declared once by a workload. */
    record Figure(String name, String unit, Kind kind) {
    }

    private final Map<Figure, List<Double>> values = new LinkedHashMap<>();

    void add(Figure figure, double value) {
        values.computeIfAbsent(figure, f -> new ArrayList<>()).add(value);
    }

    Map<Figure, List<Double>> all() {
        return values;
    }

    /** Median of {@code v} (mean of the middle two for an even count). */
    static double median(List<Double> v) {
        double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
