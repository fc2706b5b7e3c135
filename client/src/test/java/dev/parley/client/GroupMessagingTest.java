package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Groups through a real server with the SDK: members with several devices, order, backlog, receipts, linking. */
class GroupMessagingTest extends ServerTest {

    @Test
    void fourMembersOneWithTwoDevicesSeeEverythingInOrderAndAnOfflineMemberGetsTheBacklog() throws Exception {
        var aliceEvents = new RecordingListener();
        var alice2Events = new RecordingListener();
        var bobEvents = new RecordingListener();
        var carolEvents = new RecordingListener();
        var danEvents = new RecordingListener();
        try (ParleyClient alice = ParleyClient.open(dir.resolve("alice"), aliceEvents);
                ParleyClient bob = ParleyClient.open(dir.resolve("bob"), bobEvents);
                ParleyClient carol = ParleyClient.open(dir.resolve("carol"), carolEvents)) {
            alice.register(address, "gm_alice");
            bob.register(address, "gm_bob");
            carol.register(address, "gm_carol");
            String group;
            try (ParleyClient dan = ParleyClient.open(dir.resolve("dan"), danEvents)) {
                dan.register(address, "gm_dan");
            }
            try (ParleyClient alice2 = DevicesTest.link(alice, dir.resolve("alice2"), "Phone", false, alice2Events)) {
                GroupInfo created = alice.createGroup("team", List.of("gm_bob", "gm_carol", "gm_dan"));
                group = created.id();
                assertEquals(List.of(new GroupInfo.Member("gm_alice", true), new GroupInfo.Member("gm_bob", false),
                        new GroupInfo.Member("gm_carol", false), new GroupInfo.Member("gm_dan", false)), created.members());
                GroupKit.awaitVersion(group, 1, bob, carol, alice2);
                assertEquals("gm_alice created the group team with gm_bob, gm_carol, gm_dan",
                        bobEvents.groupChanges.poll(20, TimeUnit.SECONDS).text());

                String a1 = alice.sendGroup(group, "a1");
                String b1 = bob.sendGroup("team", "b1");
                carol.sendGroup(group, "c1");
                alice2.sendGroup(group, "a2");

                assertEquals(List.of("gm_bob:b1", "gm_carol:c1", "gm_alice:a2"), aliceEvents.groupTexts(3));
                assertEquals(List.of("gm_alice:a1", "gm_carol:c1", "gm_alice:a2"), bobEvents.groupTexts(3));
                assertEquals(List.of("gm_alice:a1", "gm_bob:b1", "gm_alice:a2"), carolEvents.groupTexts(3));
                assertEquals(List.of("gm_alice:a1", "gm_bob:b1", "gm_carol:c1"), alice2Events.groupTexts(3));
                GroupEntry fromPhone = alice.groupHistory(group).stream().filter(e -> e.text().equals("a2")).findFirst()
                        .orElseThrow();
                assertTrue(fromPhone.outgoing() && fromPhone.device() == 2, "the phone's text is shown as sent: " + fromPhone);
                GroupEntry fromLaptop = alice2.groupHistory(group).stream().filter(e -> e.id().equals(a1)).findFirst()
                        .orElseThrow();
                assertTrue(fromLaptop.outgoing() && fromLaptop.device() == 1, fromLaptop.toString());

                DevicesTest.eventually("bob and carol's devices stored a1", () -> {
                    try {
                        return alice.groupReceipts(group, a1).deliveredTo().containsAll(List.of("gm_bob", "gm_carol"));
                    } catch (ClientException e) {
                        throw new AssertionError(e);
                    }
                });
                bob.markGroupRead(group, List.of(a1));
                DevicesTest.eventually("bob read a1", () -> {
                    try {
                        return alice.groupReceipts(group, a1).readBy().equals(List.of("gm_bob"));
                    } catch (ClientException e) {
                        throw new AssertionError(e);
                    }
                });
                assertEquals(MessageStatus.READ, alice.groupReceipts(group, a1).status());
                assertEquals(3, alice.groupReceipts(group, a1).members());
                assertTrue(bob.unreadGroupMessages().stream().noneMatch(e -> e.id().equals(a1)));
                assertTrue(bob.unreadGroupMessages().stream().anyMatch(e -> e.text().equals("c1")));
                bob.groupTyping(group, true);
                assertEquals("gm_bob:true", carolEvents.groupTyping.poll(20, TimeUnit.SECONDS));
                assertEquals("gm_bob:true", aliceEvents.groupTyping.poll(20, TimeUnit.SECONDS));
                assertTrue(alice.flush(Duration.ofSeconds(20)) && bob.flush(Duration.ofSeconds(20)));
            }

            try (ParleyClient dan = ParleyClient.open(dir.resolve("dan"), danEvents)) {
                dan.connect(null);
                assertEquals(List.of("gm_alice:a1", "gm_bob:b1", "gm_carol:c1", "gm_alice:a2"), danEvents.groupTexts(4));
                assertEquals("team", dan.group(group).name());
                List<String> danTexts = dan.groupHistory(group).stream().filter(e -> e.kind() == GroupEntry.Kind.TEXT)
                        .map(e -> e.from() + ":" + e.text() + ":" + e.device()).toList();
                assertEquals(List.of("gm_alice:a1:1", "gm_bob:b1:1", "gm_carol:c1:1", "gm_alice:a2:2"), danTexts);
                String d1 = dan.sendGroup(group, "d1 back online");
                assertEquals(List.of("gm_dan:d1 back online"), bobEvents.groupTexts(1));
                assertEquals(List.of("gm_dan:d1 back online"), aliceEvents.groupTexts(1));
                assertTrue(!d1.isEmpty());
            }

            // A device linked now gets the group from the approving device and the members' chains at their next message.
            var alice3Events = new RecordingListener();
            try (ParleyClient alice3 = DevicesTest.link(alice, dir.resolve("alice3"), "Tablet", false, alice3Events)) {
                GroupKit.awaitVersion(group, 1, alice3);
                assertEquals(4, alice3.group(group).members().size());
                carol.sendGroup(group, "hello tablet");
                assertEquals(List.of("gm_carol:hello tablet"), alice3Events.groupTexts(1));
            }
            for (RecordingListener events : List.of(aliceEvents, alice2Events, bobEvents, carolEvents, danEvents)) {
                assertTrue(events.undecryptable.isEmpty(), events.undecryptable::toString);
                assertTrue(events.groupWarnings.isEmpty(), events.groupWarnings::toString);
            }
        }
    }

    @Test
    void changesReachEveryMemberAndTheLastAdminLeavingPromotesTheNext() throws Exception {
        var aliceEvents = new RecordingListener();
        var bobEvents = new RecordingListener();
        var carolEvents = new RecordingListener();
        try (ParleyClient alice = ParleyClient.open(dir.resolve("alice"), aliceEvents);
                ParleyClient bob = ParleyClient.open(dir.resolve("bob"), bobEvents);
                ParleyClient carol = ParleyClient.open(dir.resolve("carol"), carolEvents)) {
            alice.register(address, "gc_alice");
            bob.register(address, "gc_bob");
            carol.register(address, "gc_carol");
            String group = alice.createGroup("club", List.of("gc_bob")).id();
            GroupKit.awaitVersion(group, 1, bob);
            ClientException refused = org.junit.jupiter.api.Assertions.assertThrows(ClientException.class,
                    () -> bob.addToGroup(group, List.of("gc_carol")));
            assertTrue(refused.getMessage().contains("not_admin"), refused.getMessage());

            alice.addToGroup(group, List.of("gc_carol"));
            GroupKit.awaitVersion(group, 2, bob, carol);
            assertEquals(List.of("gc_alice", "gc_bob", "gc_carol"),
                    carol.group(group).members().stream().map(GroupInfo.Member::username).toList());
            alice.renameGroup(group, "the club");
            alice.promote(group, "gc_bob");
            try {
                GroupKit.awaitVersion(group, 4, bobEvents, bob);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; the admin's warnings: " + aliceEvents.groupWarnings
                        + "; its outbox: " + alice.outboxSize(), e);
            }
            GroupKit.awaitVersion(group, 4, carolEvents, carol);
            assertEquals("the club", carol.group(group).name());
            assertTrue(carol.group(group).isAdmin("gc_bob"));
            alice.demote(group, "gc_bob");
            alice.leaveGroup(group); // the last admin: gc_bob becomes an admin first
            GroupKit.awaitVersion(group, 7, bob, carol);
            assertEquals(GroupInfo.Status.LEFT, alice.group(group).status());
            assertTrue(carol.group(group).isAdmin("gc_bob") && !carol.group(group).isMember("gc_alice"));
            List<String> lines = carol.groupHistory(group).stream().filter(e -> e.kind() == GroupEntry.Kind.SYSTEM)
                    .map(GroupEntry::text).toList();
            assertEquals(List.of("gc_alice added gc_carol", "gc_alice renamed the group to the club", "gc_alice made gc_bob an admin",
                    "gc_alice made gc_bob a member (no longer an admin)", "gc_alice made gc_bob an admin", "gc_alice left"),
                    lines);
            bob.sendGroup(group, "after alice left");
            assertEquals(List.of("gc_bob:after alice left"), carolEvents.groupTexts(1));
            assertEquals(List.of(), alice.groupHistory(group).stream().filter(e -> e.text().equals("after alice left")).toList());
            assertTrue(aliceEvents.groupWarnings.isEmpty() && bobEvents.groupWarnings.isEmpty()
                    && carolEvents.groupWarnings.isEmpty(), "" + aliceEvents.groupWarnings + bobEvents.groupWarnings
                    + carolEvents.groupWarnings);
        }
    }

    @Test
    void aSenderWhoseListOfAMemberIsOlderResealsOnlyThatMemberUnderTheSameId() throws Exception {
        var aliceEvents = new RecordingListener();
        var alice2Events = new RecordingListener();
        var bobEvents = new RecordingListener();
        var carolEvents = new RecordingListener();
        java.nio.file.Path bobHome = dir.resolve("bob");
        try (ParleyClient alice = ParleyClient.open(dir.resolve("alice"), aliceEvents);
                ParleyClient carol = ParleyClient.open(dir.resolve("carol"), carolEvents)) {
            alice.register(address, "gs_alice");
            carol.register(address, "gs_carol");
            String group;
            try (ParleyClient bob = ParleyClient.open(bobHome, bobEvents)) {
                bob.register(address, "gs_bob");
                group = alice.createGroup("sync", List.of("gs_bob", "gs_carol")).id();
                GroupKit.awaitVersion(group, 1, bob, carol);
                bob.sendGroup(group, "first");
                assertEquals(List.of("gs_bob:first"), aliceEvents.groupTexts(1));
            }
            // Bob is offline while alice links a phone: he holds alice's list from before it.
            try (ParleyClient alice2 = DevicesTest.link(alice, dir.resolve("alice2"), "Phone", false, alice2Events);
                    ParleyClient bob = ParleyClient.open(bobHome, bobEvents)) {
                GroupKit.awaitVersion(group, 1, alice2);
                bob.connect(null);
                String second = bob.sendGroup(group, "second");
                assertEquals(List.of("gs_bob:second"), alice2Events.groupTexts(1), "the phone got the chain and the text");
                assertEquals(List.of("gs_bob:second"), aliceEvents.groupTexts(1));
                assertEquals(List.of("gs_bob:first", "gs_bob:second"), carolEvents.groupTexts(2));
                assertTrue(bob.groupReceipts(group, second).status().rank() >= MessageStatus.STORED.rank());
                assertEquals(2, bob.store().devices.list("gs_alice").orElseThrow().devices().size(),
                        "bob fetched alice's list again (mismatched_devices) and keeps the new one");
                Thread.sleep(500);
                assertTrue(aliceEvents.groupMessages.isEmpty() && carolEvents.groupMessages.isEmpty(), "each copy once");
                assertTrue(alice2Events.undecryptable.isEmpty() && aliceEvents.undecryptable.isEmpty(),
                        "" + alice2Events.undecryptable + aliceEvents.undecryptable);
            }
        }
    }
}
