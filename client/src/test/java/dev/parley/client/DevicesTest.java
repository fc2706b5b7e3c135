package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.client.store.ClientStore;
import dev.parley.client.store.HistoryStore;
import dev.parley.client.store.HomeLock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** Several devices of one account (LINKED-DEVICES.md) through a real server, with the SDK. */
class DevicesTest extends ServerTest {

    /** Links a new device in {@code home} to the account of {@code existing}, approved there. */
    static ParleyClient link(ParleyClient existing, Path home, String name, boolean history, ParleyListener events)
            throws Exception {
        ParleyClient fresh = ParleyClient.open(home, ParleyClient.Options.defaults().withListener(events).withDeviceName(name));
        CompletableFuture<String> code = new CompletableFuture<>();
        CompletableFuture<Integer> linking = CompletableFuture.supplyAsync(() -> {
            try {
                return fresh.link(address, name, offer -> code.complete(offer.code()));
            } catch (ClientException e) {
                code.completeExceptionally(e);
                throw new CompletionException(e);
            }
        });
        PendingLink pending = existing.peekLink(code.get(20, TimeUnit.SECONDS));
        assertEquals(name, pending.name());
        int device = existing.approveLink(pending, history);
        assertEquals(device, linking.get(30, TimeUnit.SECONDS));
        return fresh;
    }

    static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 40 s: " + what);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void aLinkedDeviceBringsHistoryAndBothDevicesTalkWithAContact() throws Exception {
        var alice1Events = new RecordingListener();
        var alice2Events = new RecordingListener();
        var bobEvents = new RecordingListener();
        try (ParleyClient alice1 = ParleyClient.open(dir.resolve("alice1"), alice1Events);
                ParleyClient bob = ParleyClient.open(dir.resolve("bob"), bobEvents)) {
            alice1.register(address, "dv_alice");
            bob.register(address, "dv_bob");
            String before = alice1.send("dv_bob", "before linking");
            assertEquals(List.of("before linking"), bobEvents.texts(1));

            try (ParleyClient alice2 = link(alice1, dir.resolve("alice2"), "Phone", true, alice2Events)) {
                assertEquals("2:Phone", alice1Events.devicesLinked.poll(20, TimeUnit.SECONDS), "the old device hears of it");
                eventually("the history arrived", () -> !alice2.awaitingHistory());
                assertEquals(List.of(new HistoryStore.Entry(true, "dv_bob", before,
                        alice1.history("dv_bob").getFirst().sentAt(), "before linking")), alice2.history("dv_bob"));
                assertEquals(2, alice2.devices().size());
                assertTrue(alice2.devices().stream().anyMatch(d -> d.id() == 2 && d.thisDevice() && d.name().equals("Phone")));

                String hi = bob.send("dv_alice", "hi both");
                IncomingMessage on1 = alice1Events.messages.poll(20, TimeUnit.SECONDS);
                IncomingMessage on2 = alice2Events.messages.poll(20, TimeUnit.SECONDS);
                assertNotNull(on1);
                assertNotNull(on2);
                assertEquals(List.of(hi, hi, "hi both", 1), List.of(on1.id(), on2.id(), on2.text(), on2.device()));

                String fromPhone = alice2.send("dv_bob", "from the phone");
                IncomingMessage atBob = bobEvents.messages.poll(20, TimeUnit.SECONDS);
                assertNotNull(atBob);
                assertEquals(List.of(fromPhone, "from the phone", 2), List.of(atBob.id(), atBob.text(), atBob.device()));
                SentElsewhere transcript = alice1Events.sentElsewhere.poll(20, TimeUnit.SECONDS);
                assertEquals(new SentElsewhere("dv_bob", fromPhone, "from the phone", transcript.sentAt(), 2), transcript);
                assertEquals(List.of(transcript), alice1.sentElsewhere(), "kept until shown");

                alice1.markRead("dv_bob", List.of(hi));
                eventually("reading on one device clears unread on the other",
                        () -> alice2.unread().stream().noneMatch(m -> m.id().equals(hi)));

                alice1.verify("dv_bob", alice1.safetyNumber("dv_bob").digits());
                eventually("verifying on one device applies on the other",
                        () -> alice2.contact("dv_bob").map(c -> c.trust() == Contact.Trust.VERIFIED).orElse(false));
                assertTrue(alice1Events.deviceWarnings.isEmpty(), alice1Events.deviceWarnings::toString);
                assertTrue(alice1Events.undecryptable.isEmpty() && alice2Events.undecryptable.isEmpty()
                        && bobEvents.undecryptable.isEmpty(), "nothing undecryptable");
            }
        }
    }

    @Test
    void anUnlinkedDeviceIsDisconnectedAndNothingIsEncryptedForItAnyMore() throws Exception {
        var alice1Events = new RecordingListener();
        var alice2Events = new RecordingListener();
        var bobEvents = new RecordingListener();
        Path bobHome = dir.resolve("bob");
        try (ParleyClient alice1 = ParleyClient.open(dir.resolve("alice1"), alice1Events);
                ParleyClient bob = ParleyClient.open(bobHome, bobEvents)) {
            alice1.register(address, "du_alice");
            bob.register(address, "du_bob");
            try (ParleyClient alice2 = link(alice1, dir.resolve("alice2"), "Old laptop", false, alice2Events)) {
                bob.send("du_alice", "one");
                assertEquals(List.of("one"), alice2Events.texts(1));
                assertEquals(List.of("one"), alice1Events.texts(1));

                alice1.unlink(2);
                String reason = alice2Events.disconnected.poll(20, TimeUnit.SECONDS);
                assertNotNull(reason, "the unlinked device is closed out");
                assertTrue(reason.contains("unlinked"), reason);
                assertEquals(List.of(1), alice1.devices().stream().map(DeviceInfo::id).toList());

                bob.send("du_alice", "two");
                assertEquals(List.of("two"), alice1Events.texts(1));
                assertNull(alice2Events.messages.poll(500, TimeUnit.MILLISECONDS));
            }
            ClientException refused;
            try (ParleyClient again = ParleyClient.open(dir.resolve("alice2"))) {
                refused = assertThrows(ClientException.class, () -> again.connect(null));
            }
            assertEquals(ClientException.Reason.NO_ACCOUNT, refused.reason(), refused.getMessage());
        }
        try (HomeLock lock = HomeLock.acquire(bobHome); ClientStore store = ClientStore.open(bobHome)) {
            assertEquals(List.of(1), store.devices.list("du_alice").orElseThrow().deviceIds(), "bob holds the list without it");
            assertTrue(store.devices.session("du_alice", 2).isEmpty(), "the session with the unlinked device is dropped");
            assertTrue(store.devices.session("du_alice", 1).isPresent());
        }
    }

    @Test
    void aDeviceThatWasOfflineReceivesAllTwentyMessagesLater() throws Exception {
        var alice1Events = new RecordingListener();
        var bobEvents = new RecordingListener();
        Path alice2Home = dir.resolve("alice2");
        List<String> sent = new ArrayList<>();
        try (ParleyClient alice1 = ParleyClient.open(dir.resolve("alice1"), alice1Events);
                ParleyClient bob = ParleyClient.open(dir.resolve("bob"), bobEvents)) {
            alice1.register(address, "do_alice");
            bob.register(address, "do_bob");
            link(alice1, alice2Home, "Tablet", false, new RecordingListener()).close();
            for (int i = 0; i < 20; i++) {
                bob.send("do_alice", "message " + i);
                sent.add("message " + i);
            }
            assertEquals(sent, alice1Events.texts(20));
        }
        var alice2Events = new RecordingListener();
        try (ParleyClient alice2 = ParleyClient.open(alice2Home, alice2Events)) {
            alice2.connect(null);
            assertEquals(sent, alice2Events.texts(20));
            assertNull(alice2Events.messages.poll(500, TimeUnit.MILLISECONDS), "each once");
        }
    }

    @Test
    void aSenderWithAnOldListRecoversFromMismatchedDevicesUnderTheSameId() throws Exception {
        var alice1Events = new RecordingListener();
        var alice2Events = new RecordingListener();
        Path bobHome = dir.resolve("bob");
        try (ParleyClient bob = ParleyClient.open(bobHome)) {
            bob.register(address, "dm_bob");
        }
        try (ParleyClient alice1 = ParleyClient.open(dir.resolve("alice1"), alice1Events)) {
            alice1.register(address, "dm_alice");
            try (ParleyClient bob = ParleyClient.open(bobHome)) {
                bob.connect(null);
                bob.send("dm_alice", "while alone");
                assertEquals(List.of("while alone"), alice1Events.texts(1));
            }
            // bob is offline while alice links a device: his accepted list still has one device
            try (ParleyClient alice2 = link(alice1, dir.resolve("alice2"), "Phone", false, alice2Events)) {
                var bobEvents = new RecordingListener();
                try (ParleyClient bob = ParleyClient.open(bobHome, bobEvents)) {
                    bob.connect(null);
                    String id = bob.send("dm_alice", "to both now");
                    assertEquals(MessageStatus.STORED, bob.status("dm_alice", id).orElseThrow());
                    IncomingMessage on2 = alice2Events.messages.poll(20, TimeUnit.SECONDS);
                    assertNotNull(on2, "the new device got it after the resend");
                    assertEquals(id, on2.id(), "resent under the same id");
                    assertEquals(id, alice1Events.messages.poll(20, TimeUnit.SECONDS).id());
                    assertEquals("dm_alice/" + id, bobEvents.sent.poll(5, TimeUnit.SECONDS));
                    assertNull(bobEvents.sent.poll(500, TimeUnit.MILLISECONDS), "stored once");
                }
            }
        }
    }

    @Test
    void atMostFiveDevicesAreLinkedBesidesTheFirst() throws Exception {
        try (ParleyClient first = ParleyClient.open(dir.resolve("first"))) {
            first.register(address, "d6_alice");
            List<ParleyClient> linked = new ArrayList<>();
            try {
                for (int i = 2; i <= 6; i++) {
                    linked.add(link(first, dir.resolve("device" + i), "Device " + i, false, new RecordingListener()));
                }
                assertEquals(List.of(1, 2, 3, 4, 5, 6), first.devices().stream().map(DeviceInfo::id).toList());
                ParleyClient seventh = ParleyClient.open(dir.resolve("device7"));
                linked.add(seventh);
                CompletableFuture<String> code = new CompletableFuture<>();
                CompletableFuture.runAsync(() -> {
                    try {
                        seventh.link(address, "Device 7", offer -> code.complete(offer.code()));
                    } catch (ClientException e) {
                        code.completeExceptionally(e);
                    }
                });
                PendingLink pending = first.peekLink(code.get(20, TimeUnit.SECONDS));
                ClientException refused = assertThrows(ClientException.class, () -> first.approveLink(pending, false));
                assertEquals(ClientException.Reason.REFUSED, refused.reason());
                assertTrue(refused.getMessage().contains("5 linked"), refused.getMessage());
            } finally {
                linked.forEach(ParleyClient::close);
            }
        }
    }

    @Test
    void aDeviceSignsOutAndAResetLeavesTheResettingDeviceAlone() throws Exception {
        var alice1Events = new RecordingListener();
        try (ParleyClient alice1 = ParleyClient.open(dir.resolve("alice1"), alice1Events)) {
            RecoveryCode code = alice1.register(address, "dr_alice");
            try (ParleyClient alice2 = link(alice1, dir.resolve("alice2"), "Borrowed laptop", false, new RecordingListener())) {
                alice2.signOut();
                assertTrue(alice2.username().isEmpty(), "this home holds no account any more");
            }
            eventually("the list without the signed-out device", () -> {
                try {
                    return alice1.devices().stream().map(DeviceInfo::id).toList().equals(List.of(1));
                } catch (ClientException e) {
                    return false;
                }
            });
            try (ParleyClient gone = ParleyClient.open(dir.resolve("alice2"))) {
                assertEquals(ClientException.Reason.NO_ACCOUNT, assertThrows(ClientException.class, () -> gone.connect(null))
                        .reason(), "the signed-out home forgot the account");
            }
            try (ParleyClient alice3 = link(alice1, dir.resolve("alice3"), "Phone", false, new RecordingListener())) {
                assertEquals(List.of(1, 3), alice3.devices().stream().map(DeviceInfo::id).toList(), "id 2 is never reused");
                alice3.reset(address, "dr_alice", code.display());
                assertEquals(List.of(1), alice3.devices().stream().map(DeviceInfo::id).toList(), "the resetting device is device 1");
                assertTrue(alice3.devices().getFirst().thisDevice());
                String reason = alice1Events.disconnected.poll(20, TimeUnit.SECONDS);
                assertNotNull(reason, "the other device is closed out by the reset");
            }
        }
    }

    /**
     * Bob holds alice's list from before she linked a phone (he was offline when it changed):
     * the phone's first message makes him fetch her list again once, which now has the phone,
     * so the message is accepted and the new list kept.
     */
    @Test
    void aMessageFromADeviceLinkedSinceTheHeldListIsAcceptedAfterOneFetch() throws Exception {
        var bobEvents = new RecordingListener();
        try (ParleyClient alice1 = ParleyClient.open(dir.resolve("alice1"))) {
            alice1.register(address, "dn_alice");
            try (ParleyClient bob = ParleyClient.open(dir.resolve("bob"), bobEvents)) {
                bob.register(address, "dn_bob");
                bob.send("dn_alice", "hello"); // bob now holds alice's list: device 1
            }
            try (ParleyClient alice2 = link(alice1, dir.resolve("alice2"), "Phone", false, new RecordingListener())) {
                alice2.send("dn_bob", "from the phone");
            }
        }
        try (HomeLock lock = HomeLock.acquire(dir.resolve("bob")); ClientStore store = ClientStore.open(dir.resolve("bob"))) {
            assertEquals(List.of(1), store.devices.list("dn_alice").orElseThrow().devices().stream().map(e -> e.id()).toList(),
                    "bob still holds the list from before the phone");
        }
        try (ParleyClient bob = ParleyClient.open(dir.resolve("bob"), bobEvents)) {
            bob.connect(null);
            IncomingMessage message = bobEvents.messages.poll(20, TimeUnit.SECONDS);
            assertNotNull(message, "accepted; undecryptable: " + bobEvents.undecryptable);
            assertEquals(List.of("from the phone", 2), List.of(message.text(), message.device()));
            assertTrue(bobEvents.undecryptable.isEmpty(), bobEvents.undecryptable::toString);
        }
        try (HomeLock lock = HomeLock.acquire(dir.resolve("bob")); ClientStore store = ClientStore.open(dir.resolve("bob"))) {
            assertEquals(List.of(1, 2), store.devices.list("dn_alice").orElseThrow().devices().stream().map(e -> e.id()).toList(),
                    "the list fetched again is kept");
        }
    }
}
