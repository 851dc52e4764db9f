package io.brickworks.console.internal;

import java.util.List;

/** The charts of the console: series sampled from the application's meters, drawn as inline SVG. */
public interface Charts extends AutoCloseable {

    /** One chart: a title, a unit and its points, oldest first ({@code NaN} where nothing happened). */
    record Series(String id, String title, String unit, double[] points) {
    }

    /** The series, each over the whole window. */
    List<Series> series();

    /** The time between two points, in seconds. */
    long stepSeconds();

    @Override
    void close();

    /** No meters: no charts. */
    static Charts none() {
        return new Charts() {
            @Override
            public List<Series> series() {
                return List.of();
            }

            @Override
            public long stepSeconds() {
                return 0;
            }

            @Override
            public void close() {
            }
        };
    }

    /** {@code s} as an SVG line chart, {@code width} by {@code height} pixels, with its scale. */
    static String svg(Series s, long stepSeconds, int width, int height) {
        double max = 0;
        int n = s.points().length;
        for (double p : s.points()) {
            if (!Double.isNaN(p)) {
                max = Math.max(max, p);
            }
        }
        double top = max <= 0 ? 1 : max * 1.1;
        StringBuilder path = new StringBuilder();
        boolean pen = false;
        for (int i = 0; i < n; i++) {
            double p = s.points()[i];
            if (Double.isNaN(p)) {
                pen = false;
                continue;
            }
            double x = n == 1 ? width : (double) i * width / (n - 1);
            double y = height - p / top * height;
            path.append(pen ? " L" : " M").append(String.format(java.util.Locale.ROOT, "%.1f %.1f", x, y));
            pen = true;
        }
        String last = "-";
        for (int i = n - 1; i >= 0; i--) {
            if (!Double.isNaN(s.points()[i])) {
                last = format(s.points()[i]);
                break;
            }
        }
        long minutes = n * stepSeconds / 60;
        return "<figure class=\"chart\" id=\"chart-" + Html.text(s.id()) + "\"><figcaption>" + Html.text(s.title())
                + " <span class=\"now\">now " + Html.text(last) + " " + Html.text(s.unit()) + "</span></figcaption>"
                + "<svg viewBox=\"0 0 " + width + " " + height + "\" width=\"" + width + "\" height=\"" + height
                + "\" role=\"img\" aria-label=\"" + Html.text(s.title()) + "\">"
                + "<rect x=\"0\" y=\"0\" width=\"" + width + "\" height=\"" + height + "\" class=\"frame\"/>"
                + "<path d=\"" + path.toString().trim() + "\" class=\"line\"/>"
                + "<text x=\"4\" y=\"12\" class=\"scale\">" + Html.text(format(top)) + "</text>"
                + "<text x=\"4\" y=\"" + (height - 4) + "\" class=\"scale\">" + (minutes > 0 ? "-" + minutes + " min" : "")
                + "</text></svg></figure>";
    }

    private static String format(double v) {
        return v >= 100 ? String.format(java.util.Locale.ROOT, "%.0f", v)
                : String.format(java.util.Locale.ROOT, "%.3g", v);
    }
}
