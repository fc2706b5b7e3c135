package dev.parley.protocol.vectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.codec.Bytes;
import dev.parley.protocol.groups.GroupChange;
import dev.parley.protocol.groups.GroupChangeRefused;
import dev.parley.protocol.groups.GroupId;
import dev.parley.protocol.groups.GroupMember;
import dev.parley.protocol.groups.GroupOp;
import dev.parley.protocol.groups.GroupRules;
import dev.parley.protocol.groups.GroupSnapshots;
import dev.parley.protocol.groups.GroupState;
import dev.parley.protocol.keys.IdentityKeyPair;
import dev.parley.protocol.testing.DeterministicRandomness;
import dev.parley.wire.signed.SignedBytes;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The group-state parts of {@code groups.json} (CRYPTO.md §11): {@code stateChain} (changes by
 * alice, bob, carol and dave applied in order, each with the expected outcome and the state
 * held after it) and {@code snapshot} (the final state cut into parts).
 */
final class GroupStateVectors {

    private static final List<String> AUTHORS = List.of("alice", "bob", "carol", "dave");
    private static final int MAX_PART_BYTES = 40;

    private GroupStateVectors() {}

    /** An author's identity from its Ed25519 seed alone (the X25519 half plays no part in group changes). */
    static IdentityKeyPair identity(byte[] signingPrivate) {
        byte[] dh = new byte[32];
        Arrays.fill(dh, (byte) 0x01);
        return IdentityKeyPair.fromPrivateKeys(signingPrivate, dh);
    }

    static ObjectNode stateChain(GroupId group) throws ProtocolException {
        DeterministicRandomness seeds = new DeterministicRandomness("parley-vectors/groups/identities");
        Map<String, IdentityKeyPair> ids = new LinkedHashMap<>();
        ObjectNode node = Json.object().put("groupId", group.text());
        ObjectNode identities = node.putObject("identities");
        for (String author : AUTHORS) {
            byte[] seed = seeds.bytes(32);
            ids.put(author, identity(seed));
            identities.putObject(author).put("signingPrivate", Json.b64(seed));
        }
        IdentityKeyPair alice = ids.get("alice");
        IdentityKeyPair bob = ids.get("bob");
        ArrayNode steps = node.putArray("steps");
        Steps s = new Steps(steps, ids);
        s.step(GroupChange.create(alice, "alice", group, "Parley friends", List.of(new GroupMember("alice", true),
                new GroupMember("carol", false), new GroupMember("bob", false))), "applied");
        GroupState v1 = s.held;
        GroupChange add = GroupChange.next(alice, "alice", v1, new GroupOp.Add(List.of("dave")));
        s.step(add, "applied");
        s.step(GroupChange.next(bob, "bob", s.held, new GroupOp.Rename("Bob's group")), "not_admin");
        GroupChange rename = GroupChange.next(alice, "alice", s.held, new GroupOp.Rename("Parley friends \u00e9"));
        s.step(GroupChange.decode(Bytes.concat(rename.body(), new byte[64])), "bad_signature");
        s.step(rename, "applied");
        GroupState v3 = s.held;
        s.step(GroupChange.next(alice, "alice", v3, new GroupOp.Promote("bob")), "applied");
        s.step(add, "stale");
        GroupState otherV4 = apply(v3, GroupChange.next(alice, "alice", v3, new GroupOp.Rename("Other")), alice);
        s.step(GroupChange.next(alice, "alice", otherV4, new GroupOp.Rename("Forked")), "forked");
        s.step(GroupChange.next(alice, "alice", s.held, new GroupOp.Add(List.of("bob"))), "invalid");
        s.step(GroupChange.next(bob, "bob", s.held, new GroupOp.Remove(List.of("carol"))), "applied");
        s.step(GroupChange.next(ids.get("dave"), "dave", s.held, new GroupOp.Leave()), "applied");
        return node;
    }

    private static GroupState apply(GroupState state, GroupChange change, IdentityKeyPair author) {
        try {
            return GroupRules.apply(state, change, author.publicIdentity());
        } catch (GroupChangeRefused e) {
            throw new IllegalStateException(e);
        }
    }

    /** Applies steps in order and records each outcome; the generator checks its own expectations. */
    private static final class Steps {
        final ArrayNode out;
        final Map<String, IdentityKeyPair> identities;
        GroupState held;

        Steps(ArrayNode out, Map<String, IdentityKeyPair> identities) {
            this.out = out;
            this.identities = identities;
        }

        void step(GroupChange change, String expect) {
            String outcome = outcome(change);
            assertEquals(expect, outcome, "generator step " + out.size());
            out.addObject().put("change", Json.b64(change.encode())).put("expect", expect)
                    .put("stateAfter", Json.b64(held.encode())).put("stateHash", Json.b64(held.hash()));
        }

        String outcome(GroupChange change) {
            try {
                held = GroupRules.apply(held, change, identities.get(change.author()).publicIdentity());
                return "applied";
            } catch (GroupChangeRefused e) {
                return e.reason().code();
            }
        }
    }

    static int verifyStateChain(JsonNode node) throws ProtocolException {
        GroupId group = GroupId.parse(Json.text(node, "groupId"));
        Map<String, IdentityKeyPair> ids = new LinkedHashMap<>();
        Json.required(node, "identities").properties().forEach(e -> ids.put(e.getKey(), identity(Json.bytes(e.getValue(), "signingPrivate"))));
        Steps s = new Steps(Json.array(), ids);
        int checks = 0;
        for (JsonNode step : Json.required(node, "steps")) {
            byte[] bytes = Json.bytes(step, "change");
            GroupChange change = GroupChange.decode(bytes);
            assertArrayEquals(bytes, change.encode(), "a change re-encodes to its bytes");
            assertEquals(group, change.groupId(), "every change is for the vector's group");
            String expect = Json.text(step, "expect");
            if (expect.equals("applied")) {
                assertArrayEquals(ids.get(change.author()).sign(SignedBytes.groupChange(change.body())), change.signature(),
                        "the author's RFC 8032 signature over the labelled change body");
            }
            assertEquals(expect, s.outcome(change), "step " + checks / 4 + " outcome");
            assertArrayEquals(Json.bytes(step, "stateAfter"), s.held.encode(), "state after step " + checks / 4);
            assertArrayEquals(Json.bytes(step, "stateHash"), s.held.hash(), "state hash after step " + checks / 4);
            assertEquals(s.held, GroupState.decode(Json.bytes(step, "stateAfter")), "stateAfter decodes");
            checks += 4;
        }
        return checks;
    }

    static ObjectNode snapshot(GroupState state) {
        ObjectNode node = Json.object().put("state", Json.b64(state.encode())).put("stateHash", Json.b64(state.hash()))
                .put("maxPartBytes", MAX_PART_BYTES);
        ArrayNode parts = node.putArray("parts");
        GroupSnapshots.split(state, MAX_PART_BYTES).forEach(part -> parts.add(Json.b64(part)));
        return node;
    }

    static int verifySnapshot(JsonNode node) throws ProtocolException {
        GroupState state = GroupState.decode(Json.bytes(node, "state"));
        assertArrayEquals(Json.bytes(node, "stateHash"), state.hash(), "snapshot state hash");
        List<byte[]> parts = GroupSnapshots.split(state, (int) Json.number(node, "maxPartBytes"));
        JsonNode expected = Json.required(node, "parts");
        assertEquals(expected.size(), parts.size(), "part count");
        for (int i = 0; i < parts.size(); i++) {
            assertArrayEquals(Json.bytesAt(expected, i), parts.get(i), "part " + i);
        }
        assertEquals(state, GroupSnapshots.join(state.version(), state.hash(), parts), "parts join to the state");
        return 3 + parts.size();
    }

    /** The last held state of {@code stateChain}. */
    static GroupState finalState(ObjectNode stateChain) throws ProtocolException {
        JsonNode steps = stateChain.get("steps");
        return GroupState.decode(Json.bytes(steps.get(steps.size() - 1), "stateAfter"));
    }
}
