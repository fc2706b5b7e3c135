package dev.parley.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A redis-server of the bench's own, on a free loopback port, for one cluster run: nothing
 * else uses it, so its CPU time per message is the cluster's alone, and it starts empty.
 * Nothing is persisted (no RDB snapshots, no append-only file): Redis holds nothing in Parley
 * that PostgreSQL does not (docs/design/CLUSTER.md). A missing binary fails the run.
 */
final class PrivateRedis implements AutoCloseable {

    private final ChildProcess process;

    private PrivateRedis(ChildProcess process) {
        this.process = process;
    }

    static PrivateRedis start(Path binary) {
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException("no redis-server at " + binary + " (Debian: apt-get install redis-server, or --redis-server PATH)");
        }
        Path workDir;
        try {
            workDir = Files.createTempDirectory("parley-bench-redis");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        var child = ChildProcess.start("redis", List.of(binary.toString(), "--port", "{port}", "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", workDir.toString()), workDir, PrivateRedis::answersPing);
        return new PrivateRedis(child);
    }

    /** Redis answers {@code PING} with {@code +PONG} once it serves clients. */
    private static boolean answersPing(int port) throws IOException {
        try (var socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(2000);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] answer = socket.getInputStream().readNBytes(7);
            return new String(answer, StandardCharsets.US_ASCII).startsWith("+PONG");
        }
    }

    String url() {
        return "redis://127.0.0.1:" + process.port();
    }

    ProcessStats stats() {
        return process.stats();
    }

    @Override
    public void close() {
        process.closeAndDeleteData();
    }
}
