package dev.nexus.host.evolution;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/** Draws median error against feedback count, one panel per scenario, with Java2D. */
final class ErrorPlot {

    private static final Color[] COLOURS = {
        new Color(150, 150, 150), new Color(214, 96, 77), new Color(33, 102, 172), new Color(90, 174, 97)
    };
    private static final int PANEL_WIDTH = 420;
    private static final int PANEL_HEIGHT = 300;
    private static final double MAX_ERROR = 0.45;

    private ErrorPlot() {}

    static void render(Map<String, Map<String, double[]>> curves, double epsilon, Path file) throws IOException {
        int columns = Math.min(4, Math.max(1, curves.size()));
        int rows = (curves.size() + columns - 1) / columns;
        BufferedImage image =
                new BufferedImage(columns * PANEL_WIDTH, rows * PANEL_HEIGHT + 40, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        int index = 0;
        List<String> names = List.of();
        for (Map.Entry<String, Map<String, double[]>> scenario : curves.entrySet()) {
            int x0 = (index % columns) * PANEL_WIDTH;
            int y0 = (index / columns) * PANEL_HEIGHT;
            panel(g, x0, y0, scenario.getKey(), scenario.getValue(), epsilon);
            names = List.copyOf(scenario.getValue().keySet());
            index++;
        }
        legend(g, names, rows * PANEL_HEIGHT + 12);
        g.dispose();
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ImageIO.write(image, "png", file.toFile());
    }

    private static void panel(
            Graphics2D g, int x0, int y0, String title, Map<String, double[]> series, double epsilon) {
        int left = x0 + 48;
        int right = x0 + PANEL_WIDTH - 12;
        int top = y0 + 28;
        int bottom = y0 + PANEL_HEIGHT - 36;
        int budget = series.values().iterator().next().length - 1;
        g.setColor(Color.BLACK);
        int size = 12;
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, size));
        while (size > 8 && g.getFontMetrics().stringWidth(title) > PANEL_WIDTH - 16) {
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, --size));
        }
        g.drawString(title, x0 + 8, y0 + 16);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        g.setColor(new Color(225, 225, 225));
        for (double e = 0; e <= MAX_ERROR + 1e-9; e += 0.05) {
            int y = yOf(e, top, bottom);
            g.drawLine(left, y, right, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(java.util.Locale.ROOT, "%.2f", e), x0 + 14, y + 4);
            g.setColor(new Color(225, 225, 225));
        }
        g.setColor(Color.DARK_GRAY);
        for (int t = 0; t <= budget; t += 50) {
            int x = xOf(t, budget, left, right);
            g.drawLine(x, bottom, x, bottom + 4);
            g.drawString(Integer.toString(t), x - 8, bottom + 16);
        }
        g.drawString("feedback events", (left + right) / 2 - 40, bottom + 30);
        g.drawRect(left, top, right - left, bottom - top);
        g.setColor(new Color(120, 120, 120));
        g.setStroke(new BasicStroke(1, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {5, 4}, 0));
        int target = yOf(epsilon, top, bottom);
        g.drawLine(left, target, right, target);
        int colour = 0;
        for (double[] curve : series.values()) {
            g.setColor(COLOURS[colour++ % COLOURS.length]);
            g.setStroke(new BasicStroke(2));
            Path2D path = new Path2D.Double();
            for (int t = 0; t < curve.length; t++) {
                double x = xOf(t, budget, left, right);
                double y = yOf(Math.min(curve[t], MAX_ERROR), top, bottom);
                if (t == 0) {
                    path.moveTo(x, y);
                } else {
                    path.lineTo(x, y);
                }
            }
            g.draw(path);
        }
        g.setStroke(new BasicStroke(1));
    }

    private static void legend(Graphics2D g, List<String> names, int y) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int x = 20;
        for (int i = 0; i < names.size(); i++) {
            g.setColor(COLOURS[i % COLOURS.length]);
            g.fillRect(x, y, 24, 4);
            g.setColor(Color.BLACK);
            g.drawString(names.get(i), x + 30, y + 6);
            x += 40 + g.getFontMetrics().stringWidth(names.get(i));
        }
        g.setColor(new Color(120, 120, 120));
        g.drawString(
                "dashed: 0.10 RMS; curves: median over runs of the importance-weighted RMS error of the recommendation",
                x + 10,
                y + 6);
    }

    private static int xOf(int t, int budget, int left, int right) {
        return left + (int) Math.round((right - left) * (double) t / budget);
    }

    private static int yOf(double error, int top, int bottom) {
        return bottom - (int) Math.round((bottom - top) * error / MAX_ERROR);
    }
}
