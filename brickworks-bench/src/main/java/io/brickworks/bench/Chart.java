package io.brickworks.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A horizontal bar chart of this library's ratio to each peer, on a log-2 axis centred on 1 (equal):
 * bars to the right are cases this library wins. Drawn with Java 2D, headless.
 */
final class Chart {

    /** One bar: its label and the ratio. */
    record Bar(String label, double ratio) {
    }

    private static final int WIDTH = 1200;
    private static final int ROW = 22;
    private static final int TOP = 60;
    private static final int BOTTOM = 50;
    private static final int LABEL_WIDTH = 560;
    private static final int AXIS_EXPONENT = 4; // the axis runs from 1/16 to 16

    private Chart() {
    }

    static void write(List<Bar> bars, String title, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int height = TOP + BOTTOM + ROW * Math.max(1, bars.size());
        BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, height);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            g.drawString(title, 10, 24);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString("ratio = this library's ops/s / peer's ops/s (log scale; right of 1 = this library is faster)", 10, 44);

            int plotLeft = LABEL_WIDTH + 10;
            int plotRight = WIDTH - 70;
            int plotBottom = height - BOTTOM;
            double centre = (plotLeft + plotRight) / 2.0;
            double perDoubling = (plotRight - plotLeft) / (2.0 * AXIS_EXPONENT);

            // grid
            for (int e = -AXIS_EXPONENT; e <= AXIS_EXPONENT; e++) {
                int x = (int) Math.round(centre + e * perDoubling);
                g.setColor(e == 0 ? Color.DARK_GRAY : new Color(225, 225, 225));
                g.setStroke(new BasicStroke(e == 0 ? 2f : 1f));
                g.drawLine(x, TOP - 6, x, plotBottom);
                g.setColor(Color.DARK_GRAY);
                String tick = e >= 0 ? String.valueOf(1 << e) : "1/" + (1 << -e);
                g.drawString(tick, x - g.getFontMetrics().stringWidth(tick) / 2, plotBottom + 16);
            }
            g.setStroke(new BasicStroke(1f));

            FontMetrics fm = g.getFontMetrics();
            for (int i = 0; i < bars.size(); i++) {
                Bar bar = bars.get(i);
                int y = TOP + i * ROW;
                String label = bar.label();
                while (fm.stringWidth(label) > LABEL_WIDTH - 10 && label.length() > 4) {
                    label = label.substring(0, label.length() - 4) + "...";
                }
                g.setColor(Color.BLACK);
                g.drawString(label, LABEL_WIDTH - fm.stringWidth(label), y + ROW - 7);
                double log = Math.log(bar.ratio()) / Math.log(2);
                double clamped = Math.max(-AXIS_EXPONENT, Math.min(AXIS_EXPONENT, log));
                int end = (int) Math.round(centre + clamped * perDoubling);
                int x0 = (int) Math.min(centre, end);
                int w = Math.max(1, (int) Math.abs(end - centre));
                g.setColor(bar.ratio() >= 1 ? new Color(46, 139, 87) : new Color(214, 96, 77));
                g.fillRect(x0, y + 4, w, ROW - 8);
                g.setColor(Color.BLACK);
                String value = String.format("%.2f", bar.ratio());
                int tx = bar.ratio() >= 1 ? end + 4 : Math.min(end, (int) centre) - fm.stringWidth(value) - 4;
                if (tx < plotLeft) {
                    tx = (int) centre + 4;
                }
                g.drawString(value, tx, y + ROW - 7);
            }
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", png.toFile());
    }
}
