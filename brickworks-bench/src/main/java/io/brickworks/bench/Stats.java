package io.brickworks.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The small statistics of the paired passes. */
final class Stats {

    private Stats() {
    }

    /** The median of {@code values} (not empty). */
    static double median(List<Double> values) {
        return quantile(values, 2, 1);
    }

    /** The {@code k}-th of {@code n} quantiles of {@code values} (not empty), e.g. 1 of 4 for the lower quartile. */
    static double quantile(List<Double> values, int n, int k) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int size = sorted.size();
        if (n == 2 && size % 2 == 0) {
            return (sorted.get(size / 2 - 1) + sorted.get(size / 2)) / 2;
        }
        return sorted.get(Math.min(size - 1, k * size / n));
    }

    /** The geometric mean of {@code values} (positive). */
    static double geomean(List<Double> values) {
        return Math.exp(values.stream().mapToDouble(Math::log).average().orElse(Double.NaN));
    }
}
