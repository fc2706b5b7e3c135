package dev.parley.server.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for child processes that a test starts, kills and starts again on the same port.
 *
 * <p>Invariants: a port handed out here lies outside the kernel's ephemeral range
 * ({@code net.ipv4.ip_local_port_range}), below it or above it, so no outgoing connection of any
 * process (a pool's connection to PostgreSQL or Redis, a proxy's health check) can take it as its
 * local port while the child that owns it is down between a kill and a restart; and one JVM never
 * hands out the same port twice, so the ports of one fixture (a proxy, its nodes, a Redis) cannot
 * collide with each other before their children bind them. A port from {@code new ServerSocket(0)}
 * lies inside the ephemeral range and was taken that way once, failing a node's restart with
 * "Address already in use". The port is free when handed out (checked by binding it); two test
 * JVMs picking the same one at the same moment is left to the odds of 1 in the room's size.
 */
public final class TestPorts {

    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    /** The lowest port handed out: above the well-known services' ports this project's tests use. */
    private static final int LOWEST = 20_000;
    private static final int HIGHEST = 65_535;
    /** Less room than this on both sides of the ephemeral range: ports come from inside it. */
    private static final int ENOUGH_ROOM = 1_000;
    private static final int ATTEMPTS = 200;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private TestPorts() {
    }

    /** A free port on 127.0.0.1 outside the ephemeral range (inside it only where the range is unknown or leaves no room). */
    public static int free() throws IOException {
        int[] ephemeral = ephemeralRange();
        int below = Math.max(0, ephemeral[0] - LOWEST);
        int above = Math.max(0, HIGHEST - ephemeral[1]);
        if (below + above < ENOUGH_ROOM) {
            return anyFree();
        }
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int pick = ThreadLocalRandom.current().nextInt(below + above);
            int port = pick < below ? LOWEST + pick : ephemeral[1] + 1 + (pick - below);
            if (isFree(port) && HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IOException("no free port outside the ephemeral range " + ephemeral[0] + "-" + ephemeral[1]
                + " after " + ATTEMPTS + " tries");
    }

    /** The kernel's ephemeral range, or all ports where it cannot be read. */
    private static int[] ephemeralRange() {
        try {
            String[] range = Files.readString(EPHEMERAL_RANGE).strip().split("\\s+");
            return new int[] {Integer.parseInt(range[0]), Integer.parseInt(range[1])};
        } catch (IOException | RuntimeException notLinux) {
            return new int[] {0, HIGHEST};
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
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try (var socket = new ServerSocket(0)) {
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            }
        }
        throw new IOException("the kernel gave only ports handed out before after " + ATTEMPTS + " tries");
    }
}
