package dev.parley.server.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for child processes that a test starts, kills and starts again on the same port.
 *
 * <p>Invariant: a port handed out here lies below the kernel's ephemeral range
 * ({@code net.ipv4.ip_local_port_range}), so no outgoing connection of any process (a pool's
 * connection to PostgreSQL or Redis, a proxy's health check) can take it as its local port while
 * the child that owns it is down between a kill and a restart. A port from {@code new
 * ServerSocket(0)} lies inside that range and was taken that way once, failing a node's restart
 * with "Address already in use". The port is free when handed out (checked by binding it); two
 * test JVMs picking the same one at the same moment is left to the odds of 1 in the range's size.
 */
public final class TestPorts {

    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    /** The lowest port handed out: above the well-known services' ports this project's tests use. */
    private static final int LOWEST = 20_000;
    private static final int ATTEMPTS = 200;

    private TestPorts() {
    }

    /** A free port on 127.0.0.1 outside the ephemeral range (inside it only where the range is unknown or leaves no room). */
    public static int free() throws IOException {
        int highest = firstEphemeral() - 1;
        if (highest - LOWEST < 1_000) {
            return anyFree();
        }
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, highest + 1);
            if (isFree(port)) {
                return port;
            }
        }
        throw new IOException("no free port between " + LOWEST + " and " + highest + " after " + ATTEMPTS + " tries");
    }

    private static int firstEphemeral() {
        try {
            String[] range = Files.readString(EPHEMERAL_RANGE).strip().split("\\s+");
            return Integer.parseInt(range[0]);
        } catch (IOException | RuntimeException notLinux) {
            return 0;
        }
    }

    private static boolean isFree(int port) {
        try (var socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    private static int anyFree() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
