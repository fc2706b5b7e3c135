package dev.parley.bench;

import dev.parley.wire.WireFrame;
import dev.parley.wire.frames.AuthFrames;
import dev.parley.wire.frames.DeviceFrames;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Setup for multi-device scenarios: links devices to a registered account as a client does
 * (docs/PROTOCOL.md, linking): the new device opens a link channel, device 1 approves it with
 * the next signed device list, and the new device logs in with its own key once the server
 * hands it the sealed link message. The sealed request and link message are random bytes: the
 * server only relays them, and the bench needs no identity on the new device beyond its key.
 */
final class LinkedDevices {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long STEP_TIMEOUT_SECONDS = 30;

    private LinkedDevices() {
    }

    /** Links devices 2..{@code total} to {@code first}'s account; returns all of its devices, {@code first} first. */
    static List<Accounts.Device> link(HttpClient http, Target target, Accounts.Device first, int total) throws Exception {
        List<Accounts.Device> devices = new ArrayList<>(List.of(first));
        for (int next = 2; next <= total; next++) {
            devices.add(linkOne(http, target, first, devices, next));
        }
        return devices;
    }

    private static Accounts.Device linkOne(HttpClient http, Target target, Accounts.Device first, List<Accounts.Device> linked,
                                           int deviceId) throws Exception {
        BenchClient client = BenchClient.connect(http, target).get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        var sealedArrived = new CompletableFuture<DeviceFrames.LinkSealed>();
        client.onFrame((c, frame) -> {
            if (frame instanceof DeviceFrames.LinkSealed sealed) {
                sealedArrived.complete(sealed);
            }
        });
        byte[] channel = random(32);
        expect(DeviceFrames.LinkOpened.class,
                client.request(new DeviceFrames.LinkOpen("lo" + deviceId, channel, random(80))), "link_open");

        var deviceKey = new BenchDeviceKey();
        long linkedAt = System.currentTimeMillis();
        List<DeviceFrames.DeviceEntry> entries = new ArrayList<>();
        linked.forEach(device -> entries.add(device.entry()));
        entries.add(new DeviceFrames.DeviceEntry(deviceId, deviceKey.publicKey(), linkedAt));
        var list = first.identity().deviceList(deviceId, entries); // version n lists devices 1..n
        expect(DeviceFrames.LinkApproved.class,
                first.client().request(new DeviceFrames.LinkApprove("la" + deviceId, channel, list, random(200))), "link_approve");

        DeviceFrames.LinkSealed sealed = sealedArrived.get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (sealed.device() != deviceId) {
            throw new IllegalStateException("linked as device " + sealed.device() + ", expected " + deviceId);
        }
        client.onFrame((c, frame) -> { });
        expect(AuthFrames.LoggedIn.class, client.login(first.username(), deviceId, deviceKey), "login of the new device");
        return new Accounts.Device(first.username(), first.identity(), deviceId, deviceKey, linkedAt, client);
    }

    private static void expect(Class<? extends WireFrame> type, CompletableFuture<WireFrame> answer, String what) throws Exception {
        WireFrame frame = answer.get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!type.isInstance(frame)) {
            throw new IllegalStateException(what + " failed: " + frame);
        }
    }

    private static byte[] random(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
