package dev.parley.protocol.groups;

import dev.parley.protocol.keys.IdentityKeyPair;
import dev.parley.protocol.testing.DeterministicRandomness;
import java.util.List;

/** Accounts and a small group for the group tests: alice (admin), bob, carol; dave and erin outside. */
final class GroupTesting {

    static final IdentityKeyPair ALICE = identity("alice");
    static final IdentityKeyPair BOB = identity("bob");
    static final IdentityKeyPair CAROL = identity("carol");
    static final IdentityKeyPair DAVE = identity("dave");
    static final GroupId ID = GroupId.random(new DeterministicRandomness("group id"));

    private GroupTesting() {}

    static IdentityKeyPair identity(String name) {
        return IdentityKeyPair.generate(new DeterministicRandomness("identity " + name));
    }

    static GroupChange create() {
        return GroupChange.create(ALICE, "alice", ID, "Friends", List.of(
                new GroupMember("carol", false), new GroupMember("alice", true), new GroupMember("bob", false)));
    }

    /** Version 1: alice (admin), bob, carol. */
    static GroupState created() throws GroupChangeRefused {
        return GroupRules.apply(null, create(), ALICE.publicIdentity());
    }

    /** The change bytes with {@code signature} in place of the real one. */
    static GroupChange withSignature(GroupChange change, byte[] signature) throws Exception {
        byte[] body = change.body();
        byte[] bytes = new byte[body.length + 64];
        System.arraycopy(body, 0, bytes, 0, body.length);
        System.arraycopy(signature, 0, bytes, body.length, 64);
        return GroupChange.decode(bytes);
    }
}
