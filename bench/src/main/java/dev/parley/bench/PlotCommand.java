package dev.parley.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Draws relay latency (p50 and p99, log scale) or the server's CPU per message (log scale)
 * against offered load from {@code --json} result lines, one colour per series: per server, or
 * per server and the value of a key in the comment line before each result (such as the
 * {@code build=} of bench/run-commit-linger.sh, to draw two builds side by side). With
 * {@code --x nodes} it draws the results of {@code parley-bench cluster} against the number of
 * nodes instead: all servers' CPU per message (nodes, PostgreSQL, Redis) or latency, one series
 * per storage, placement and rate. Every run is a dot; the line goes through the median of the
 * runs at each x. Runs that were saturated (delivered under 95% of the offered rate, or a median
 * latency over a second: the queue was growing) are drawn hollow.
 */
@Command(name = "plot", mixinStandardHelpOptions = true,
        description = "Plots relay p50/p99 latency, or server CPU per message, against offered load from --json result "
                + "lines (files with one JSON object per line).")
final class PlotCommand implements Callable<Integer> {

    /** The image, and the plot area inside it: the margins (left 90, right 200, top 50, bottom 70) hold the labels and the legend. */
    private static final Dimension IMAGE = new Dimension(1000, 620);
    private static final Rectangle PLOT = new Rectangle(90, 50, 1000 - 90 - 200, 620 - 50 - 70);
    private static final Color[] COLOURS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd),
        new Color(0xff7f0e), new Color(0x8c564b), new Color(0x17becf), new Color(0x7f7f7f), new Color(0xbcbd22)};

    /** What the y axis shows. */
    enum Measure { LATENCY, CPU }

    /** What the x axis shows: the offered load of relay runs, or the node count of cluster runs. */
    enum XAxis { OFFERED, NODES }

    @Parameters(paramLabel = "RESULTS", description = "Files of JSON result lines (relay runs with --rate).")
    List<Path> inputs;

    @Option(names = "--output", required = true, description = "PNG to write.")
    Path output;

    @Option(names = "--measure", defaultValue = "latency",
            description = "latency (p50 and p99) or cpu (server CPU per message), against offered load (default ${DEFAULT-VALUE}).")
    Measure measure;

    @Option(names = "--series-key", description = "Name each series by the server and this key's value in the comment "
            + "line before each result (e.g. build, as bench/run-commit-linger.sh writes it).")
    String seriesKey;

    @Option(names = "--x", defaultValue = "offered",
            description = "offered (relay runs with --rate, against offered load) or nodes (cluster runs, against the "
                    + "number of nodes; CPU is all servers': nodes, PostgreSQL, Redis) (default ${DEFAULT-VALUE}).")
    XAxis xAxis;

    @Option(names = "--title", description = "(default: what is plotted)")
    String title;

    /** One run: {@code x} is its offered rate or its node count. */
    record Point(double x, double offered, double delivered, double p50, double p99, double cpu) {
    }

    @Override
    public Integer call() throws Exception {
        Map<String, List<Point>> series = series();
        if (series.isEmpty()) {
            System.err.println(xAxis == XAxis.NODES ? "no cluster results in " + inputs : "no relay results with --rate in " + inputs);
            return 1;
        }
        ImageIO.write(draw(series, measure), "png", output.toFile());
        System.out.println("wrote " + output);
        return 0;
    }

    /** The runs of the input files that this plot draws, by series, each series in the order of its x. */
    Map<String, List<Point>> series() throws java.io.IOException {
        Map<String, List<Point>> series = new LinkedHashMap<>();
        for (Path input : inputs) {
            String comment = "";
            for (String line : Files.readAllLines(input)) {
                if (line.startsWith("#")) {
                    comment = line;
                }
                if (!line.startsWith("{")) {
                    continue;
                }
                JsonNode result = Result.JSON.readTree(line);
                if (xAxis == XAxis.NODES) {
                    addClusterRun(series, result);
                    continue;
                }
                if (!"relay".equals(result.path("scenario").asText()) || result.path("offered_per_s").asDouble() <= 0
                        || result.path("p99_ms").asDouble() <= 0) {
                    continue;
                }
                double offered = result.path("offered_per_s").asDouble();
                series.computeIfAbsent(seriesName(result.path("target").asText(), comment), t -> new ArrayList<>()).add(new Point(
                        offered, offered, result.path("msgs_per_s").asDouble(),
                        result.path("p50_ms").asDouble(), result.path("p99_ms").asDouble(),
                        result.path("server_cpu_us_per_msg").asDouble()));
            }
        }
        series.values().forEach(points -> points.sort(Comparator.comparingDouble(Point::x)));
        return series;
    }

    /**
     * A {@code parley-bench cluster} run, in the series of its storage, placement and rate: SQLite
     * (one node) and PostgreSQL in cluster mode ({@code pg-N}); {@code pg}, one node without
     * Redis, is left out so that each line is one arrangement as nodes are added.
     */
    private static void addClusterRun(Map<String, List<Point>> series, JsonNode result) {
        boolean postgres = "postgresql".equals(result.path("storage").asText());
        if (!"cluster".equals(result.path("scenario").asText()) || result.path("p99_ms").asDouble() <= 0
                || (postgres && !result.path("redis").asBoolean())) {
            return;
        }
        double offered = result.path("offered_per_s").asDouble();
        String rate = offered > 0 ? String.format(Locale.ROOT, "%,.0f/s", offered) : "max";
        String name = (postgres ? "PG" : "SQLite") + " " + result.path("placement").asText().replace("-node", "") + " " + rate;
        double cpu = result.has("servers_cpu_us_per_msg") ? result.path("servers_cpu_us_per_msg").asDouble()
                : result.path("server_cpu_us_per_msg").asDouble();
        series.computeIfAbsent(name, n -> new ArrayList<>()).add(new Point(result.path("nodes").asDouble(), offered,
                result.path("msgs_per_s").asDouble(), result.path("p50_ms").asDouble(), result.path("p99_ms").asDouble(), cpu));
    }

    /** The series a result belongs to: its server, and with --series-key that key's value in the comment before it. */
    private String seriesName(String target, String comment) {
        if (seriesKey == null) {
            return target;
        }
        for (String word : comment.split("\\s+")) {
            if (word.startsWith(seriesKey + "=")) {
                return target + " " + word.substring(seriesKey.length() + 1);
            }
        }
        return target;
    }

    private BufferedImage draw(Map<String, List<Point>> series, Measure what) {
        boolean cpu = what == Measure.CPU;
        boolean nodes = xAxis == XAxis.NODES;
        double maxData = series.values().stream().flatMap(List::stream).mapToDouble(Point::x).max().orElse(1);
        double minX = nodes ? 0.5 : 0;
        double maxX = nodes ? maxData + 0.5 : maxData * 1.05;
        double minY = cpu ? 10 : 0.1;
        double maxY = Math.pow(10, Math.ceil(Math.log10(series.values().stream().flatMap(List::stream)
                .mapToDouble(cpu ? Point::cpu : Point::p99).max().orElse(10))));
        maxY = Math.max(maxY, cpu ? 1000 : 100);
        String unit = cpu ? "µs" : "ms";
        String against = nodes ? "by number of nodes" : "against offered load";
        String heading = title != null ? title : (cpu ? (nodes ? "All servers' CPU per message " : "Server CPU per message ")
                : "Relay latency ") + against + " (1 KiB envelopes)";
        var image = new BufferedImage(IMAGE.width, IMAGE.height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, IMAGE.width, IMAGE.height);
        int plotW = PLOT.width;
        int plotH = PLOT.height;
        var axes = new Axes(PLOT.x, PLOT.y, plotW, plotH, minX, maxX, minY, maxY);

        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        for (double y = minY; y <= maxY * 1.001; y *= 10) {
            int py = axes.y(y);
            g.setColor(new Color(0xdddddd));
            g.drawLine(PLOT.x, py, PLOT.x + plotW, py);
            g.setColor(Color.DARK_GRAY);
            g.drawString(y < 1 ? String.format(Locale.ROOT, "%.1f %s", y, unit) : String.format(Locale.ROOT, "%.0f %s", y, unit), 20, py + 5);
        }
        double step = nodes ? 1 : niceStep(maxX / 6);
        for (double x = nodes ? 1 : 0; x <= maxX; x += step) {
            int px = axes.x(x);
            g.setColor(new Color(0xeeeeee));
            g.drawLine(px, PLOT.y, px, PLOT.y + plotH);
            g.setColor(Color.DARK_GRAY);
            String label = String.format(Locale.ROOT, "%,.0f", x);
            g.drawString(label, px - g.getFontMetrics().stringWidth(label) / 2, PLOT.y + plotH + 20);
        }
        g.setColor(Color.BLACK);
        g.drawRect(PLOT.x, PLOT.y, plotW, plotH);
        g.drawString(nodes ? "nodes (PG: one PostgreSQL and one Redis for all; SQLite: one node)" : "offered load (messages/s, open loop)",
                PLOT.x + plotW / 2 - 110, IMAGE.height - 22);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(heading, PLOT.x, 30);

        int colour = 0;
        int legendY = PLOT.y + 10;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        for (var entry : series.entrySet()) {
            Color c = COLOURS[colour++ % COLOURS.length];
            drawLine(g, axes, entry.getValue(), c, true, cpu ? Point::cpu : Point::p99);
            g.setColor(c);
            g.setStroke(new BasicStroke(2.5f));
            g.drawLine(PLOT.x + plotW + 15, legendY, PLOT.x + plotW + 40, legendY);
            g.drawString(entry.getKey() + (cpu ? "" : " p99"), PLOT.x + plotW + 48, legendY + 5);
            if (!cpu) {
                drawLine(g, axes, entry.getValue(), c, false, Point::p50);
                g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
                g.drawLine(PLOT.x + plotW + 15, legendY + 20, PLOT.x + plotW + 40, legendY + 20);
                g.drawString(entry.getKey() + " p50", PLOT.x + plotW + 48, legendY + 25);
            }
            legendY += cpu ? 24 : 55;
        }
        g.setColor(Color.DARK_GRAY);
        g.setStroke(new BasicStroke(1));
        g.drawString("line: median of runs", PLOT.x + plotW + 15, legendY + 5);
        g.drawString("hollow: saturated", PLOT.x + plotW + 15, legendY + 27);
        g.drawString("(delivered < 95% of", PLOT.x + plotW + 15, legendY + 44);
        g.drawString(" offered, or p50 > 1 s)", PLOT.x + plotW + 15, legendY + 61);
        g.dispose();
        return image;
    }

    /** One series' line through the medians and its dots; {@code solid} for the main line, dashed for p50. */
    private static void drawLine(Graphics2D g, Axes axes, List<Point> points, Color colour, boolean solid,
                                 java.util.function.ToDoubleFunction<Point> value) {
        g.setColor(colour);
        g.setStroke(solid ? new BasicStroke(2.5f)
                : new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
        java.util.TreeMap<Double, List<Double>> byX = new java.util.TreeMap<>();
        for (Point p : points) {
            byX.computeIfAbsent(p.x(), r -> new ArrayList<>()).add(value.applyAsDouble(p));
        }
        int lastX = -1;
        int lastY = -1;
        for (var at : byX.entrySet()) {
            List<Double> values = at.getValue();
            values.sort(Double::compare);
            int x = axes.x(at.getKey());
            int y = axes.y(values.get(values.size() / 2));
            if (lastX >= 0) {
                g.drawLine(lastX, lastY, x, y);
            }
            lastX = x;
            lastY = y;
        }
        g.setStroke(new BasicStroke(1.5f));
        for (Point p : points) {
            int x = axes.x(p.x());
            int y = axes.y(value.applyAsDouble(p));
            if (p.delivered() < 0.95 * p.offered() || p.p50() > 1000) {
                g.drawOval(x - 4, y - 4, 8, 8);
            } else {
                g.fillOval(x - 4, y - 4, 8, 8);
            }
        }
    }

    private static double niceStep(double raw) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double factor : new double[] {1, 2, 2.5, 5, 10}) {
            if (factor * magnitude >= raw) {
                return factor * magnitude;
            }
        }
        return 10 * magnitude;
    }

    /** Linear x, logarithmic y. */
    private record Axes(int left, int top, int width, int height, double minX, double maxX, double minY, double maxY) {
        int x(double value) {
            return left + (int) Math.round((value - minX) / (maxX - minX) * width);
        }

        int y(double value) {
            double clamped = Math.max(minY, Math.min(maxY, value));
            double fraction = (Math.log10(clamped) - Math.log10(minY)) / (Math.log10(maxY) - Math.log10(minY));
            return top + height - (int) Math.round(fraction * height);
        }
    }
}
