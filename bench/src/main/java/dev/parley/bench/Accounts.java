package dev.parley.bench;

import dev.parley.wire.frames.AuthFrames;
import dev.parley.wire.frames.DeviceFrames;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Setup shared by the scenarios: unique usernames per run, and registering many devices with
 * a bounded number of handshakes in flight. Setup is not measured.
 */
final class Accounts {

    /** Registrations in flight at once during setup. */
    static final int SETUP_CONCURRENCY = 64;
    private static final long SETUP_TIMEOUT_SECONDS = 30;

    private Accounts() {
    }

    /** A prefix that makes this run's usernames unique on a server that outlives the run. */
    static String runPrefix() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz";
        var random = new SecureRandom();
        var prefix = new StringBuilder("b");
        for (int i = 0; i < 5; i++) {
            prefix.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return prefix.toString();
    }

    /** A logged-in device: device {@code device} of account {@code username}, linked at {@code linkedAt}. */
    record Device(String username, BenchIdentity identity, int device, BenchDeviceKey deviceKey, long linkedAt,
                  BenchClient client) {
        /** This device's entry in its account's signed device list. */
        DeviceFrames.DeviceEntry entry() {
            return new DeviceFrames.DeviceEntry(device, deviceKey.publicKey(), linkedAt);
        }
    }

    /** What a bulk registration produced: the devices that registered, and how many did not. */
    record Registration(List<Device> devices, long failures, String firstFailure) {
        /** The devices, or an exception if any registration failed (for scenarios that need all of them). */
        List<Device> all() {
            if (failures > 0) {
                throw new IllegalStateException(failures + " registrations failed, first: " + firstFailure);
            }
            return devices;
        }
    }

    /** Connects and registers one device per name, each with its own identity, spread over {@code https}. */
    static Registration register(List<HttpClient> https, Target target, List<String> names) {
        var permits = new Semaphore(SETUP_CONCURRENCY);
        List<CompletableFuture<Device>> pending = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            HttpClient http = https.get(i % https.size());
            acquire(permits);
            var identity = new BenchIdentity();
            var deviceKey = new BenchDeviceKey();
            long linkedAt = System.currentTimeMillis();
            CompletableFuture<Device> device = BenchClient.connect(http, target)
                    .thenCompose(client -> client.register(name, identity, deviceKey, linkedAt).thenApply(answer -> {
                        if (!(answer instanceof AuthFrames.Registered registered)) {
                            client.abort();
                            throw new IllegalStateException("register " + name + " failed: " + answer);
                        }
                        return new Device(name, identity, registered.device(), deviceKey, linkedAt, client);
                    }))
                    .orTimeout(SETUP_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .whenComplete((ok, failure) -> permits.release());
            pending.add(device);
        }
        List<Device> devices = new ArrayList<>(names.size());
        long failures = 0;
        String firstFailure = null;
        for (var device : pending) {
            try {
                devices.add(device.join());
            } catch (RuntimeException e) {
                failures++;
                if (firstFailure == null) {
                    firstFailure = String.valueOf(e.getCause() != null ? e.getCause() : e);
                }
            }
        }
        return new Registration(devices, failures, firstFailure);
    }

    /** One HttpClient per loopback source address 127.0.0.1 .. 127.0.0.n, each good for ~28,000 sockets (the ephemeral port range). */
    static List<HttpClient> clientsOnSourceAddresses(int count, java.util.concurrent.Executor executor) {
        List<HttpClient> clients = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            try {
                clients.add(HttpClient.newBuilder().executor(executor)
                        .localAddress(java.net.InetAddress.getByName("127.0.0." + (1 + i))).build());
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        return clients;
    }

    static void acquire(Semaphore permits) {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
