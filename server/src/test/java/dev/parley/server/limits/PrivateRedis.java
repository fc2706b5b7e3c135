package dev.parley.server.limits;

import dev.parley.server.testing.ChildServer;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A redis-server of a test's own on a free port (never the machine's shared one), that the test
 * may stop, start again on the same port, or pause (SIGSTOP: the socket stays open and nothing
 * answers). Nothing is saved to disk. A missing redis-server fails the test.
 */
final class PrivateRedis implements AutoCloseable {

    private static final String BINARY = "/usr/bin/redis-server";

    private final int port;
    private final Path folder;
    private Process process;

    private PrivateRedis(int port, Path folder) {
        this.port = port;
        this.folder = folder;
    }

    static PrivateRedis start() throws Exception {
        if (!Files.isExecutable(Path.of(BINARY))) {
            throw new AssertionError(BINARY + " is missing: these tests need a redis-server of their own");
        }
        var redis = new PrivateRedis(ChildServer.freePort(), Files.createTempDirectory("parley-redis"));
        redis.startAgain();
        return redis;
    }

    String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Starts the server (again) on its port and waits until it accepts connections. */
    void startAgain() throws Exception {
        process = new ProcessBuilder(BINARY, "--port", String.valueOf(port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--dir", folder.toString())
                .redirectErrorStream(true).redirectOutput(folder.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try (var socket = new Socket("127.0.0.1", port)) {
                socket.getOutputStream().write("PING\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                byte[] answer = socket.getInputStream().readNBytes(7);
                if (new String(answer, java.nio.charset.StandardCharsets.US_ASCII).equals("+PONG\r\n")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("redis-server did not start on port " + port + ": " + Files.readString(folder.resolve("redis.log")));
            }
            Thread.sleep(50);
        }
    }

    /** Stops the server (SIGKILL: what it held is gone). */
    void stop() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGSTOP: connections stay open, nothing is answered. */
    void pause() throws Exception {
        signal("-STOP");
    }

    /** SIGCONT after {@link #pause}. */
    void resume() throws Exception {
        signal("-CONT");
    }

    private void signal(String signal) throws Exception {
        int exit = new ProcessBuilder("kill", signal, String.valueOf(process.pid())).inheritIO().start().waitFor();
        if (exit != 0) {
            throw new AssertionError("kill " + signal + " failed");
        }
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            resume();
            stop();
        }
    }
}
