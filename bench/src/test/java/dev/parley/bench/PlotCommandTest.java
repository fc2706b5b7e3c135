package dev.parley.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code plot}: which runs make which series, and a drawn image, against offered load and by node count. */
class PlotCommandTest {

    @TempDir
    Path dir;

    private static String cluster(String setup, String storage, boolean redis, int nodes, String placement, int offered,
                                  double cpu) {
        return "{\"scenario\":\"cluster\",\"target\":\"parley\",\"msgs_per_s\":" + Math.max(offered, 3000) + ",\"offered_per_s\":"
                + offered + ",\"p50_ms\":2.0,\"p99_ms\":20.0,\"server_cpu_us_per_msg\":1.0,\"servers_cpu_us_per_msg\":" + cpu
                + ",\"setup\":\"" + setup + "\",\"storage\":\"" + storage + "\",\"redis\":" + redis + ",\"nodes\":" + nodes
                + ",\"placement\":\"" + placement + "\"}";
    }

    /** As {@link BenchMain} runs it: enum values in any case. */
    private static CommandLine command(PlotCommand plot) {
        return new CommandLine(plot).setCaseInsensitiveEnumValuesAllowed(true);
    }

    @Test
    void byNodeCountEachArrangementIsOneLineAndPostgresWithoutRedisIsLeftOut() throws Exception {
        Path results = dir.resolve("cluster.jsonl");
        Files.write(results, List.of(
                "# a comment line",
                cluster("sqlite", "sqlite", false, 1, "same-node", 1000, 550),
                cluster("pg", "postgresql", false, 1, "same-node", 1000, 1050),
                cluster("pg-3", "postgresql", true, 3, "same-node", 1000, 1700),
                cluster("pg-1", "postgresql", true, 1, "same-node", 1000, 1160),
                cluster("pg-2", "postgresql", true, 2, "cross-node", 0, 450),
                "{\"scenario\":\"relay\",\"target\":\"parley\",\"msgs_per_s\":1000,\"offered_per_s\":1000,\"p50_ms\":1,\"p99_ms\":9,"
                        + "\"server_cpu_us_per_msg\":300}"));
        var plot = new PlotCommand();
        Path image = dir.resolve("nodes.png");
        assertEquals(0, command(plot).execute("--x", "nodes", "--measure", "cpu", "--output", image.toString(),
                results.toString()));
        var series = plot.series();
        assertEquals(List.of("SQLite same 1,000/s", "PG same 1,000/s", "PG cross max"), List.copyOf(series.keySet()));
        var postgres = series.get("PG same 1,000/s");
        assertEquals(List.of(1.0, 3.0), postgres.stream().map(PlotCommand.Point::x).toList(), "ordered by nodes, pg left out");
        assertEquals(List.of(1160.0, 1700.0), postgres.stream().map(PlotCommand.Point::cpu).toList(), "all servers' CPU");
        assertTrue(ImageIO.read(image.toFile()).getWidth() > 0);

        var offered = new PlotCommand();
        assertEquals(0, command(offered).execute("--output", dir.resolve("offered.png").toString(), results.toString()));
        assertEquals(List.of("parley"), List.copyOf(offered.series().keySet()), "against offered load: relay runs only");
    }

    @Test
    void nothingToDrawIsAnError() throws Exception {
        Path results = dir.resolve("relay-only.jsonl");
        Files.writeString(results, "{\"scenario\":\"relay\",\"offered_per_s\":1000,\"p99_ms\":9}\n");
        assertEquals(1, command(new PlotCommand()).execute("--x", "nodes", "--output", dir.resolve("x.png").toString(),
                results.toString()));
        assertTrue(Files.notExists(dir.resolve("x.png")));
    }
}
