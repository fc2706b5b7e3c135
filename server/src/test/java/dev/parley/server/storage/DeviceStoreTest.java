package dev.parley.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.server.testing.TestDatabase;
import dev.parley.wire.frames.AuthFrames.IdentityKeys;
import dev.parley.wire.frames.DeliveryFrames.DeviceEnvelope;
import dev.parley.wire.frames.DeviceFrames.DeviceEntry;
import dev.parley.wire.frames.DeviceFrames.DeviceList;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The device store's transactions: unlinking takes the removed device's queue off the queue
 * counts (its sender's quota is free again), and expired link channels are purged.
 */
@ParameterizedClass
@EnumSource(Engine.class)
class DeviceStoreTest {

    @Parameter
    Engine engine;
    private TestDatabase opened;
    private Database database;

    @BeforeEach
    void open() {
        opened = TestDatabase.open(engine, new SimpleMeterRegistry());
        database = opened.database();
    }

    @AfterEach
    void close() {
        opened.close();
    }

    private static DeviceList list(long version, int... ids) {
        List<DeviceEntry> entries = java.util.Arrays.stream(ids)
                .mapToObj(id -> new DeviceEntry(id, new byte[] {(byte) id, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                        17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31}, 1)).toList();
        return new DeviceList(version, 1, entries, new byte[64]);
    }

    @Test
    void unlinkingADeviceFreesWhatItsQueueHeldOfItsSendersQuota() {
        var identity = new IdentityKeys(new byte[32], new byte[32], new byte[64]);
        database.accounts().create(new Account("ds_bob", identity, new byte[32], 1, 1), list(1, 1)).join();
        var devices = database.devices();
        // Device 2 as a link would add it (the store runs the check it is given; here: accept).
        byte[] channel = new byte[32];
        database.devices().openLink(channel, new byte[50], 0, Long.MAX_VALUE).join();
        assertInstanceOf(DeviceStore.Approval.Approved.class,
                devices.approveLink("ds_bob", channel, list(2, 1, 2), new byte[49], 1, (current, key) -> null).join());
        var limits = new QueueLimits(100, 100, 10);
        var copies = List.of(new DeviceEnvelope(1, "AAAA"), new DeviceEnvelope(2, "BBBB"));
        var message = new OutgoingMessage("ds_bob", "ds_alice", 1, "m1", null, copies, 1, Long.MAX_VALUE);
        assertInstanceOf(AppendResult.Stored.class, database.messages().append(message, limits).join());
        var toDeviceOneOnly = new OutgoingMessage("ds_bob", "ds_alice", 1, "m2", null, List.of(new DeviceEnvelope(1, "AAAA")), 1,
                Long.MAX_VALUE);
        var mismatch = assertInstanceOf(AppendResult.MismatchedDevices.class, database.messages().append(toDeviceOneOnly, limits).join());
        assertEquals(List.of(2), mismatch.missing());
        assertInstanceOf(AppendResult.QuotaExceeded.class, database.messages().append(
                new OutgoingMessage("ds_bob", "ds_alice", 1, "m2", null, copies, 1, Long.MAX_VALUE), limits).join(),
                "8 of the 10 characters are queued");

        var published = devices.publish("ds_bob", list(3, 1), (current, key) -> null).join();
        assertEquals(List.of(2), ((DeviceStore.Publication.Published) published).removed());
        assertTrue(database.messages().pending("ds_bob", 2, 0, 10, 0L).isEmpty(), "device 2's queue went with it");
        assertInstanceOf(AppendResult.Stored.class, database.messages().append(
                new OutgoingMessage("ds_bob", "ds_alice", 1, "m2", null, List.of(new DeviceEnvelope(1, "CCCC")), 1, Long.MAX_VALUE),
                limits).join(), "4 + 4 characters: device 2's copy no longer counts");
        assertEquals(List.of(1), devices.rows("ds_bob").stream().map(DeviceRow::id).toList());
    }

    @Test
    void expiredLinkChannelsArePurged() {
        var devices = database.devices();
        byte[] old = new byte[32];
        byte[] fresh = new byte[32];
        fresh[0] = 1;
        devices.openLink(old, new byte[50], 0, 1_000).join();
        devices.openLink(fresh, new byte[50], 0, 10_000).join();
        assertEquals(1, devices.purgeExpiredLinks(5_000).join());
        assertTrue(devices.link(old).isEmpty());
        assertTrue(devices.link(fresh).isPresent());
    }
}
