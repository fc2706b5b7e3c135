package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.groups.GroupChange;
import dev.parley.protocol.groups.GroupOp;
import dev.parley.protocol.groups.GroupState;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Changes a malicious member (or a server, if it could make members relay them) injects: each
 * is sent pairwise by mallory, a member but no admin, to every other member, and refused by each
 * with a warning naming the rule; no member's state moves.
 */
class GroupInjectedChangesTest extends ServerTest {

    @Test
    void unsignedNonAdminReplayedAndForkedChangesAreRefusedByEveryMember() throws Exception {
        var aliceEvents = new RecordingListener();
        var bobEvents = new RecordingListener();
        var carolEvents = new RecordingListener();
        try (ParleyClient alice = ParleyClient.open(dir.resolve("alice"), aliceEvents);
                ParleyClient bob = ParleyClient.open(dir.resolve("bob"), bobEvents);
                ParleyClient carol = ParleyClient.open(dir.resolve("carol"), carolEvents);
                ParleyClient mallory = ParleyClient.open(dir.resolve("mallory"), new RecordingListener())) {
            alice.register(address, "gi_alice");
            bob.register(address, "gi_bob");
            carol.register(address, "gi_carol");
            mallory.register(address, "gi_mallory");
            String group = alice.createGroup("board", List.of("gi_bob", "gi_carol", "gi_mallory")).id();
            GroupKit.awaitVersion(group, 1, bob, carol, mallory);
            GroupState v1 = GroupKit.state(mallory, group);
            alice.renameGroup(group, "board v2");
            alice.renameGroup(group, "board v3");
            GroupKit.awaitVersion(group, 3, bob, carol, mallory);
            GroupState v3 = GroupKit.state(mallory, group);
            List<String> everyone = List.of("gi_alice", "gi_bob", "gi_carol");
            var aliceIdentity = GroupKit.identity(alice);
            var malloryIdentity = GroupKit.identity(mallory);

            // 1. no valid signature: alice named as author, the signature zeroed
            byte[] forged = GroupChange.next(malloryIdentity, "gi_alice", v3, new GroupOp.Add(List.of("gi_mallory2"))).encode();
            Arrays.fill(forged, forged.length - 64, forged.length, (byte) 0);
            expectRefused(mallory, GroupChange.decode(forged), everyone, "bad_signature", aliceEvents, bobEvents, carolEvents);
            // 2. signed by a member who is no admin
            expectRefused(mallory, GroupChange.next(malloryIdentity, "gi_mallory", v3, new GroupOp.Promote("gi_mallory")),
                    everyone, "not_admin", aliceEvents, bobEvents, carolEvents);
            // 3. a replay of alice's real change to version 2 (Ed25519 is deterministic: the same bytes she sent)
            expectRefused(mallory, GroupChange.next(aliceIdentity, "gi_alice", v1, new GroupOp.Rename("board v2")), everyone,
                    "stale", aliceEvents, bobEvents, carolEvents);
            // 4. a fork signed by the real admin from a stale parent: version 4 after a version 3 nobody holds
            GroupState forkParent = renamedCopy(v3, "board v3 fork");
            expectRefused(mallory, GroupChange.next(aliceIdentity, "gi_alice", forkParent, new GroupOp.Remove(List.of("gi_bob"))),
                    everyone, "forked", aliceEvents, bobEvents, carolEvents);

            for (ParleyClient member : List.of(alice, bob, carol)) {
                GroupInfo held = member.group(group);
                assertEquals(3, held.version(), member.username().orElseThrow());
                assertEquals("board v3", held.name());
                assertTrue(held.isMember("gi_bob") && !held.isAdmin("gi_mallory"));
            }
            long warnings = bob.groupHistory(group).stream().filter(e -> e.kind() == GroupEntry.Kind.WARNING).count();
            assertEquals(4, warnings, "each refusal is kept in the group's history");
            bob.sendGroup(group, "still fine");
            assertEquals(List.of("gi_bob:still fine"), carolEvents.groupTexts(1));
        }
    }

    /** {@code change} sent by {@code from} to {@code to}; each listener hears one warning with {@code reason}. */
    private static void expectRefused(ParleyClient from, GroupChange change, List<String> to, String reason,
            RecordingListener... members) throws Exception {
        GroupKit.inject(from, change, to);
        for (RecordingListener events : members) {
            String warning = events.groupWarnings.poll(20, TimeUnit.SECONDS);
            assertNotNull(warning, "no warning for a change that should be refused as " + reason);
            assertTrue(warning.startsWith(reason + ": "), warning);
        }
    }

    /** The same state under another name (StateBytes with the name replaced): a parent no admin signed from. */
    private static GroupState renamedCopy(GroupState state, String name) throws Exception {
        byte[] bytes = state.encode();
        byte[] oldName = state.name().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] newName = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int at = 1 + 32 + 8; // u8 0x01 || 32 groupId || u64 version, then u8 len || name
        var out = new java.io.ByteArrayOutputStream();
        out.write(bytes, 0, at);
        out.write(newName.length);
        out.write(newName);
        out.write(bytes, at + 1 + oldName.length, bytes.length - at - 1 - oldName.length);
        return GroupState.decode(out.toByteArray());
    }
}
