package dev.parley.protocol.groups;

import dev.parley.protocol.Limits;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.codec.ByteReader;
import dev.parley.protocol.codec.ByteWriter;
import dev.parley.protocol.codec.Bytes;
import dev.parley.protocol.crypto.Digests;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A group's state at one version (CRYPTO.md §11), immutable:
 *
 * <pre>
 * StateBytes = u8 0x01 || 32 groupId || u64 version || u8 len || utf8 name
 *           || u16 count || count x ( u8 role || u8 len || utf8 username )
 * stateHash  = SHA-256( utf8("parley-group-state-v1") || 0x00 || StateBytes )
 * </pre>
 *
 * Invariants (checked by every constructor path, so no invalid state exists): version in
 * 1..{@link #MAX_VERSION};
 * the name follows the device-name rule; 1..{@link Limits#MAX_GROUP_MEMBERS} members in strictly
 * ascending order of their usernames' bytes; at least one admin. Prints no name.
 */
public final class GroupState {

    public static final int FORMAT = 0x01;
    /** The label of {@link #hash()}. */
    public static final String HASH_LABEL = "parley-group-state-v1";
    /** Largest version: 2^53 - 1, so that both implementations hold it exactly. */
    public static final long MAX_VERSION = (1L << 53) - 1;

    private final GroupId id;
    private final long version;
    private final String name;
    private final List<GroupMember> members;

    /** @throws IllegalArgumentException if an invariant does not hold */
    GroupState(GroupId id, long version, String name, List<GroupMember> members) {
        if (id == null) {
            throw new IllegalArgumentException("group id missing");
        }
        if (version < 1 || version > MAX_VERSION) {
            throw new IllegalArgumentException("a group state's version is 1..2^53-1");
        }
        GroupFields.nameBytes(name);
        List<GroupMember> copy = List.copyOf(members);
        if (copy.isEmpty() || copy.size() > Limits.MAX_GROUP_MEMBERS) {
            throw new IllegalArgumentException("a group has 1.." + Limits.MAX_GROUP_MEMBERS + " members");
        }
        if (!GroupFields.strictlyAscending(copy)) {
            throw new IllegalArgumentException("members must be in ascending username order, each once");
        }
        if (copy.stream().noneMatch(GroupMember::admin)) {
            throw new IllegalArgumentException("a group has at least one admin");
        }
        this.id = id;
        this.version = version;
        this.name = name;
        this.members = copy;
    }

    /** The same invariants, with the members sorted first (used when applying changes). */
    static GroupState sorted(GroupId id, long version, String name, List<GroupMember> members) {
        List<GroupMember> sorted = new ArrayList<>(members);
        sorted.sort(Comparator.comparing(GroupMember::usernameBytes, Bytes::compareUnsigned));
        return new GroupState(id, version, name, sorted);
    }

    public GroupId id() {
        return id;
    }

    public long version() {
        return version;
    }

    public String name() {
        return name;
    }

    /** Sorted by username bytes. */
    public List<GroupMember> members() {
        return members;
    }

    public List<String> usernames() {
        return members.stream().map(GroupMember::username).toList();
    }

    public boolean isMember(String username) {
        return member(username) != null;
    }

    public boolean isAdmin(String username) {
        GroupMember member = member(username);
        return member != null && member.admin();
    }

    /** The member named {@code username}, or null. */
    GroupMember member(String username) {
        for (GroupMember member : members) {
            if (member.username().equals(username)) {
                return member;
            }
        }
        return null;
    }

    /** {@code StateBytes}. */
    public byte[] encode() {
        ByteWriter out = new ByteWriter(64 + members.size() * 34)
                .u8(FORMAT).bytes(id.bytes()).u64(version).u8Prefixed(GroupFields.nameBytes(name));
        GroupFields.writeMembers(out, members);
        return out.toByteArray();
    }

    /** Strict: refuses trailing bytes, bad lengths, unsorted or repeated members, count or role out of range. */
    public static GroupState decode(byte[] bytes) throws ProtocolException {
        ByteReader in = ByteReader.versioned(bytes, "group state", FORMAT);
        GroupId id = GroupId.of(in.bytes(GroupId.SIZE));
        long version = in.u64();
        String name = GroupFields.readName(in);
        List<GroupMember> members = GroupFields.readMembers(in);
        in.expectEnd();
        try {
            return new GroupState(id, version, name, members);
        } catch (IllegalArgumentException e) {
            throw in.malformed(e.getMessage());
        }
    }

    /** {@code stateHash}: SHA-256 over the labelled {@code StateBytes}. */
    public byte[] hash() {
        byte[] label = HASH_LABEL.getBytes(StandardCharsets.US_ASCII);
        return Digests.sha256(Bytes.concat(label, new byte[1], encode()));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GroupState that && id.equals(that.id) && version == that.version
                && name.equals(that.name) && members.equals(that.members);
    }

    @Override
    public int hashCode() {
        return id.hashCode() * 31 + Long.hashCode(version);
    }

    @Override
    public String toString() {
        return "GroupState[id=" + id + ", version=" + version + ", members=" + members.size() + "]";
    }
}
