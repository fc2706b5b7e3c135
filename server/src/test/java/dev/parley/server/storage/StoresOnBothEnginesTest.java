package dev.parley.server.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.server.testing.TestDatabase;
import dev.parley.wire.frames.AuthFrames.IdentityKeys;
import dev.parley.wire.frames.DeliveryFrames.DeviceEnvelope;
import dev.parley.wire.frames.DeviceFrames.DeviceEntry;
import dev.parley.wire.frames.DeviceFrames.DeviceList;
import dev.parley.wire.frames.PreKeyFrames.OneTimeKey;
import dev.parley.wire.frames.PreKeyFrames.SignedCapabilities;
import dev.parley.wire.frames.PreKeyFrames.SignedKey;
import dev.parley.wire.frames.PreKeyFrames.UploadPreKeys;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each store's reads and writes on both engines, one SQL text for both: accounts (look-alike
 * and taken usernames, identity reset), device lists and links, prekeys, blob records.
 */
@ParameterizedClass
@EnumSource(Engine.class)
class StoresOnBothEnginesTest {

    @Parameter
    Engine engine;
    TestDatabase opened;
    Database database;

    @BeforeEach
    void open() {
        opened = TestDatabase.open(engine, new SimpleMeterRegistry());
        database = opened.database();
    }

    @AfterEach
    void close() {
        opened.close();
    }

    private static byte[] bytes(int length, int fill) {
        byte[] bytes = new byte[length];
        java.util.Arrays.fill(bytes, (byte) fill);
        return bytes;
    }

    private static DeviceList list(long version, int... ids) {
        return new DeviceList(version, version, java.util.Arrays.stream(ids)
                .mapToObj(id -> new DeviceEntry(id, bytes(32, id), 100 + id)).toList(), bytes(64, 9));
    }

    private static Account account(String name, int keyFill) {
        return new Account(name, new IdentityKeys(bytes(32, keyFill), bytes(32, keyFill + 1), bytes(64, keyFill + 2)),
                bytes(32, 7), 1_000, 1_000);
    }

    private static Throwable failure(Executable join) {
        try {
            join.execute();
        } catch (CompletionException e) {
            return e.getCause();
        } catch (Throwable e) {
            return e;
        }
        throw new AssertionError("expected a failure");
    }

    @Test
    void accountsAreFoundRefusedWhenTakenOrLookAlikeAndResetWithEverythingTheyHad() {
        var accounts = database.accounts();
        accounts.create(account("alice", 1), list(1, 1)).join();
        Account found = accounts.find("alice").orElseThrow();
        assertArrayEquals(bytes(32, 1), found.identity().signingKey());
        assertArrayEquals(bytes(64, 3), found.identity().binding());
        assertEquals(1_000, found.createdAt());
        assertInstanceOf(UsernameTakenException.class, failure(() -> accounts.create(account("alice", 4), list(1, 1)).join()));
        assertInstanceOf(UsernameConfusableException.class, failure(() -> accounts.create(account("a1ice", 4), list(1, 1)).join()),
                "a look-alike of an existing username is refused");
        assertEquals(List.of("alice"), accounts.usernames());

        accounts.create(account("bob", 5), list(1, 1)).join();
        assertInstanceOf(AppendResult.Stored.class, database.messages().append(new OutgoingMessage("alice", "bob", 1, "m", null,
                List.of(new DeviceEnvelope(1, "ZW52")), 1, Long.MAX_VALUE), QueueLimits.capOnly(10)).join());
        assertTrue(accounts.replaceIdentity("alice", new IdentityKeys(bytes(32, 20), bytes(32, 21), bytes(64, 22)), bytes(32, 23),
                list(1, 1), 5_000).join());
        assertFalse(accounts.replaceIdentity("nobody", found.identity(), bytes(32, 1), list(1, 1), 5_000).join());
        assertArrayEquals(bytes(32, 20), accounts.find("alice").orElseThrow().identity().signingKey());
        assertEquals(5_000, accounts.find("alice").orElseThrow().identitySince());
        assertTrue(database.messages().pending("alice", 1, 0, 10, 0L).isEmpty(), "the old identity's queue is gone");
    }

    @Test
    void deviceListsAndLinksKeepTheLargestIdEverListed() {
        var devices = database.devices();
        database.accounts().create(account("carol", 1), list(1, 1)).join();
        byte[] channel = bytes(32, 42);
        var opening = assertInstanceOf(DeviceStore.Opening.Open.class,
                devices.openLink(channel, bytes(40, 1), 0, Long.MAX_VALUE).join());
        assertTrue(opening.opened());
        assertFalse(((DeviceStore.Opening.Open) devices.openLink(channel, bytes(40, 1), 0, Long.MAX_VALUE).join()).opened(),
                "the same request re-attaches");
        var approved = assertInstanceOf(DeviceStore.Approval.Approved.class,
                devices.approveLink("carol", channel, list(2, 1, 2), bytes(80, 3), 10, (current, key) -> null).join());
        assertEquals(2, approved.device());
        LinkChannel link = devices.link(channel).orElseThrow();
        assertEquals("carol", link.username());
        assertEquals(2, link.device());
        assertArrayEquals(bytes(80, 3), link.sealed());
        assertArrayEquals(bytes(32, 2), devices.loginDevice("carol", 2).orElseThrow().key());
        assertNull(devices.loginDevice("carol", 2).orElseThrow().lastSeenDay(), "never seen yet");
        assertNull(devices.rows("carol").get(1).lastSeen(), "never seen yet");
        devices.loggedIn("carol", 2, 86_400_000L).join();
        assertTrue(devices.link(channel).isEmpty(), "the new device's first login ends its channel");
        assertEquals(86_400_000L, devices.rows("carol").get(1).lastSeen());
        assertEquals(86_400_000L, devices.loginDevice("carol", 2).orElseThrow().lastSeenDay());

        var published = assertInstanceOf(DeviceStore.Publication.Published.class,
                devices.publish("carol", list(3, 1), (current, key) -> null).join());
        assertEquals(List.of(2), published.removed());
        StoredDeviceList stored = devices.list("carol").orElseThrow();
        assertEquals(3, stored.list().version());
        assertEquals(List.of(1), stored.list().deviceIds());
        assertEquals(2, stored.maxDeviceId(), "an unlinked device's id is never given again");
        assertTrue(devices.loginDevice("carol", 2).isEmpty());
    }

    @Test
    void bundlesTakeTheOldestOneTimeKeysOnceEach() {
        database.accounts().create(account("dave", 1), list(1, 1)).join();
        var preKeys = database.preKeys();
        preKeys.store("dave", 1, new UploadPreKeys("u", new SignedKey(7, bytes(32, 1), bytes(64, 2)),
                new SignedKey(8, bytes(1568, 3), bytes(64, 4)), new SignedCapabilities(3, bytes(64, 5)),
                List.of(new OneTimeKey(12, bytes(32, 12)), new OneTimeKey(11, bytes(32, 11))),
                List.of(new SignedKey(21, bytes(1568, 21), bytes(64, 21))))).join();
        assertEquals(new PreKeyStore.Counts(2, 1), preKeys.counts("dave", 1));
        var first = preKeys.takeBundle("dave", 1).join().orElseThrow();
        assertEquals(11, first.oneTimePreKey().id());
        assertEquals(21, first.kemPreKey().id());
        assertEquals(3, first.capabilities().flags());
        assertEquals(7, first.signedPreKey().id());
        var second = preKeys.takeBundle("dave", 1).join().orElseThrow();
        assertEquals(12, second.oneTimePreKey().id());
        assertEquals(8, second.kemPreKey().id(), "the last-resort key once the one-time KEM keys are gone");
        assertNull(preKeys.takeBundle("dave", 1).join().orElseThrow().oneTimePreKey());
        assertEquals(new PreKeyStore.Counts(0, 0), preKeys.counts("dave", 1));
        assertTrue(preKeys.takeBundle("dave", 2).join().isEmpty(), "no signed prekey for device 2");
    }

    @Test
    void blobRecordsKeepTheirQuotaAndProgress() {
        var blobs = database.blobs();
        assertInstanceOf(BlobRecords.Creation.Created.class,
                blobs.create(new StoredBlob("b1", "erin", 600, 0, bytes(32, 1), false, 10, 1_000), 1_000).join());
        var refused = assertInstanceOf(BlobRecords.Creation.QuotaExceeded.class,
                blobs.create(new StoredBlob("b2", "erin", 500, 0, bytes(32, 2), false, 10, 1_000), 1_000).join());
        assertEquals(600, refused.used());
        assertTrue(blobs.advance("b1", 0, 300, 20, 50_000).join());
        assertFalse(blobs.advance("b1", 0, 300, 20, 50_000).join(), "only from where it is");
        assertTrue(blobs.advance("b1", 300, 600, 20, 50_000).join());
        StoredBlob complete = blobs.find("b1").orElseThrow();
        assertTrue(complete.complete());
        assertEquals(50_000, complete.expiresAt());
        assertArrayEquals(bytes(32, 1), complete.tokenHash());
        assertEquals(List.of(), blobs.expired(49_999, 10));
        assertEquals(List.of("b1"), blobs.expired(50_000, 10));
        assertEquals(1, blobs.delete(List.of("b1"), 50_000).join());
        assertTrue(blobs.find("b1").isEmpty());
    }
}
