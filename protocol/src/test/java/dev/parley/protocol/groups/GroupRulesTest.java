package dev.parley.protocol.groups;

import static dev.parley.protocol.groups.GroupTesting.ALICE;
import static dev.parley.protocol.groups.GroupTesting.BOB;
import static dev.parley.protocol.groups.GroupTesting.CAROL;
import static dev.parley.protocol.groups.GroupTesting.DAVE;
import static dev.parley.protocol.groups.GroupTesting.ID;
import static dev.parley.protocol.groups.GroupTesting.created;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.groups.GroupChangeRefused.Reason;
import dev.parley.protocol.keys.IdentityKeyPair;
import dev.parley.protocol.testing.DeterministicRandomness;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every rule of GroupRules.apply (CRYPTO.md §11), each refusal with its reason. */
class GroupRulesTest {

    private static GroupState apply(GroupState state, IdentityKeyPair author, String name, GroupOp op)
            throws GroupChangeRefused {
        return GroupRules.apply(state, GroupChange.next(author, name, state, op), author.publicIdentity());
    }

    private static Reason refusal(GroupState state, IdentityKeyPair author, String name, GroupOp op) {
        return assertThrows(GroupChangeRefused.class, () -> apply(state, author, name, op)).reason();
    }

    private static Reason refusal(GroupState state, GroupChange change, IdentityKeyPair author) {
        return assertThrows(GroupChangeRefused.class,
                () -> GroupRules.apply(state, change, author.publicIdentity())).reason();
    }

    @Test
    void createSortsMembersAndStartsAtVersionOne() throws Exception {
        GroupState state = created();
        assertEquals(1, state.version());
        assertEquals(List.of("alice", "bob", "carol"), state.usernames());
        assertTrue(state.isAdmin("alice"));
        assertFalse(state.isAdmin("bob"));
        assertEquals("Friends", state.name());
        assertArrayEquals(new byte[32], GroupTesting.create().parentHash());
    }

    @Test
    void eachOpProducesTheNextVersion() throws Exception {
        GroupState s = apply(created(), ALICE, "alice", new GroupOp.Add(List.of("dave", "erin")));
        assertEquals(List.of("alice", "bob", "carol", "dave", "erin"), s.usernames());
        assertEquals(2, s.version());
        s = apply(s, ALICE, "alice", new GroupOp.Promote("bob"));
        assertTrue(s.isAdmin("bob"));
        s = apply(s, BOB, "bob", new GroupOp.Rename("Best friends"));
        assertEquals("Best friends", s.name());
        s = apply(s, BOB, "bob", new GroupOp.Remove(List.of("erin", "alice")));
        assertEquals(List.of("bob", "carol", "dave"), s.usernames());
        s = apply(s, CAROL, "carol", new GroupOp.Leave());
        assertEquals(List.of("bob", "dave"), s.usernames());
        s = apply(s, BOB, "bob", new GroupOp.Promote("dave"));
        s = apply(s, BOB, "bob", new GroupOp.Demote("bob"));
        assertFalse(s.isAdmin("bob"));
        assertEquals(8, s.version());
    }

    @Test
    void aSignatureByAnotherKeyOrOverOtherBytesIsBadSignature() throws Exception {
        GroupState state = created();
        GroupChange byBob = GroupChange.next(BOB, "alice", state, new GroupOp.Rename("Mine"));
        assertEquals(Reason.BAD_SIGNATURE, refusal(state, byBob, ALICE));
        GroupChange zero = GroupTesting.withSignature(GroupChange.next(ALICE, "alice", state, new GroupOp.Rename("x")), new byte[64]);
        assertEquals(Reason.BAD_SIGNATURE, refusal(state, zero, ALICE));
        byte[] bytes = GroupChange.next(ALICE, "alice", state, new GroupOp.Rename("abc")).encode();
        int nameByte = bytes.length - 64 - 1;
        bytes[nameByte] = 'd';
        assertEquals(Reason.BAD_SIGNATURE, refusal(state, GroupChange.decode(bytes), ALICE));
        GroupChange create = GroupTesting.create();
        assertEquals(Reason.BAD_SIGNATURE, assertThrows(GroupChangeRefused.class,
                () -> GroupRules.apply(null, create, BOB.publicIdentity())).reason());
    }

    @Test
    void aNonAdminCannotChangeTheGroupButAMemberCanLeave() throws Exception {
        GroupState state = created();
        assertEquals(Reason.NOT_ADMIN, refusal(state, BOB, "bob", new GroupOp.Add(List.of("dave"))));
        assertEquals(Reason.NOT_ADMIN, refusal(state, BOB, "bob", new GroupOp.Remove(List.of("carol"))));
        assertEquals(Reason.NOT_ADMIN, refusal(state, BOB, "bob", new GroupOp.Rename("x")));
        assertEquals(Reason.NOT_ADMIN, refusal(state, BOB, "bob", new GroupOp.Promote("bob")));
        assertEquals(Reason.NOT_ADMIN, refusal(state, BOB, "bob", new GroupOp.Demote("alice")));
        assertEquals(Reason.NOT_ADMIN, refusal(state, DAVE, "dave", new GroupOp.Leave()));
        assertEquals(Reason.NOT_ADMIN, refusal(state, DAVE, "dave", new GroupOp.Add(List.of("dave"))));
        assertFalse(apply(state, BOB, "bob", new GroupOp.Leave()).isMember("bob"));
    }

    @Test
    void versionsAreStaleGapOrForked() throws Exception {
        GroupState v1 = created();
        GroupChange add = GroupChange.next(ALICE, "alice", v1, new GroupOp.Add(List.of("dave")));
        GroupState v2 = GroupRules.apply(v1, add, ALICE.publicIdentity());
        assertEquals(Reason.STALE, refusal(v2, add, ALICE));
        GroupState v3 = apply(v2, ALICE, "alice", new GroupOp.Rename("Three"));
        GroupChange fromV3 = GroupChange.next(ALICE, "alice", v3, new GroupOp.Rename("Four"));
        assertEquals(Reason.GAP, refusal(v2, fromV3, ALICE));
        GroupState otherV2 = apply(v1, ALICE, "alice", new GroupOp.Rename("Other"));
        GroupChange fromOther = GroupChange.next(ALICE, "alice", otherV2, new GroupOp.Rename("Fork"));
        assertEquals(Reason.FORKED, refusal(v2, fromOther, ALICE));
        GroupChange concurrent = GroupChange.next(ALICE, "alice", v1, new GroupOp.Rename("Late"));
        assertEquals(Reason.STALE, refusal(v2, concurrent, ALICE));
    }

    @Test
    void opsThatDoNotFitTheStateAreInvalid() throws Exception {
        GroupState state = created();
        assertEquals(Reason.INVALID, refusal(state, ALICE, "alice", new GroupOp.Add(List.of("bob"))));
        assertEquals(Reason.INVALID, refusal(state, ALICE, "alice", new GroupOp.Remove(List.of("dave"))));
        assertEquals(Reason.INVALID, refusal(state, ALICE, "alice", new GroupOp.Remove(List.of("alice"))));
        assertEquals(Reason.INVALID, refusal(state, ALICE, "alice", new GroupOp.Leave()));
        assertEquals(Reason.INVALID, refusal(state, ALICE, "alice", new GroupOp.Demote("alice")));
        assertEquals(Reason.INVALID, refusal(state, ALICE, "alice", new GroupOp.Demote("bob")));
        assertEquals(Reason.INVALID, refusal(state, ALICE, "alice", new GroupOp.Promote("alice")));
        assertEquals(Reason.INVALID, refusal(state, ALICE, "alice", new GroupOp.Promote("dave")));
        GroupState alone = apply(state, ALICE, "alice", new GroupOp.Remove(List.of("bob", "carol")));
        assertEquals(Reason.INVALID, refusal(alone, ALICE, "alice", new GroupOp.Leave()));
    }

    @Test
    void aCreateIsValidOnlyWithoutStateAtVersionOneByAnAdminCreator() throws Exception {
        GroupState state = created();
        assertEquals(Reason.INVALID, refusal(state, GroupTesting.create(), ALICE));
        GroupChange rename = GroupChange.next(ALICE, "alice", state, new GroupOp.Rename("x"));
        assertEquals(Reason.INVALID, assertThrows(GroupChangeRefused.class,
                () -> GroupRules.apply(null, rename, ALICE.publicIdentity())).reason());
        GroupChange notAdmin = GroupChange.create(ALICE, "alice", ID, "G",
                List.of(new GroupMember("alice", false), new GroupMember("bob", true)));
        assertEquals(Reason.INVALID, assertThrows(GroupChangeRefused.class,
                () -> GroupRules.apply(null, notAdmin, ALICE.publicIdentity())).reason());
        GroupChange notIn = GroupChange.create(ALICE, "alice", ID, "G", List.of(new GroupMember("bob", true)));
        assertEquals(Reason.INVALID, assertThrows(GroupChangeRefused.class,
                () -> GroupRules.apply(null, notIn, ALICE.publicIdentity())).reason());
    }

    @Test
    void aChangeForAnotherGroupIsInvalid() throws Exception {
        GroupState state = created();
        GroupState other = GroupRules.apply(null, GroupChange.create(ALICE, "alice",
                GroupId.random(new DeterministicRandomness("other group")), "Friends",
                List.of(new GroupMember("alice", true), new GroupMember("bob", false), new GroupMember("carol", false))),
                ALICE.publicIdentity());
        GroupChange forOther = GroupChange.next(ALICE, "alice", other, new GroupOp.Rename("x"));
        assertEquals(Reason.INVALID, refusal(state, forOther, ALICE));
    }

    @Test
    void aGroupHasAtMostAThousandMembers() throws Exception {
        GroupState state = created();
        int n = 0;
        while (state.members().size() + GroupOp.MAX_USERNAMES <= 1000) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < GroupOp.MAX_USERNAMES; i++) {
                names.add("user" + n++);
            }
            state = apply(state, ALICE, "alice", new GroupOp.Add(names));
        }
        List<String> tooMany = new ArrayList<>();
        for (int i = state.members().size(); i <= 1000; i++) {
            tooMany.add("user" + n++);
        }
        assertEquals(Reason.INVALID, refusal(state, ALICE, "alice", new GroupOp.Add(tooMany)));
        GroupState full = apply(state, ALICE, "alice", new GroupOp.Add(tooMany.subList(1, tooMany.size())));
        assertEquals(1000, full.members().size());
        assertEquals(full, GroupState.decode(full.encode()));
    }

    @Test
    void reasonsHaveTheirWireCodes() {
        assertEquals(List.of("bad_signature", "not_admin", "stale", "forked", "gap", "invalid"),
                java.util.Arrays.stream(Reason.values()).map(Reason::code).toList());
    }
}
