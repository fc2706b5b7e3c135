package dev.parley.protocol.groups;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.codec.ByteReader;
import dev.parley.protocol.codec.ByteWriter;
import dev.parley.protocol.codec.Bytes;
import dev.parley.protocol.codec.Utf8;
import dev.parley.protocol.crypto.Digests;
import dev.parley.protocol.crypto.Ed25519;
import dev.parley.protocol.keys.IdentityKeyPair;
import dev.parley.wire.signed.SignedBytes;
import java.util.Arrays;
import java.util.List;

/**
 * One signed change of a group's state (CRYPTO.md §11), immutable:
 *
 * <pre>
 * ChangeBody   = u8 0x01 || 32 groupId || u64 version || 32 parentHash || u8 len || utf8 author || u8 op || opBody
 * SignedChange = ChangeBody || 64 signature
 * signature    = SIG(IKs of author, utf8("parley-group-change-v1") || 0x00 || ChangeBody)
 * changeHash   = SHA-256(SignedChange)
 * </pre>
 *
 * {@code version} is the version of the state the change produces; a create makes version 1
 * with a zero {@code parentHash}. Decoding checks the layout only; the signature and whether the
 * change fits a state are {@link GroupRules#apply}'s.
 */
public final class GroupChange {

    public static final int FORMAT = 0x01;
    public static final int HASH_SIZE = 32;

    private final GroupId groupId;
    private final long version;
    private final byte[] parentHash;
    private final String author;
    private final GroupOp op;
    private final byte[] signature;

    private GroupChange(GroupId groupId, long version, byte[] parentHash, String author, GroupOp op, byte[] signature) {
        if (groupId == null || op == null) {
            throw new IllegalArgumentException("group id and op are required");
        }
        if (version < 1 || version > GroupState.MAX_VERSION) {
            throw new IllegalArgumentException("a change's version is 1..2^53-1");
        }
        this.groupId = groupId;
        this.version = version;
        this.parentHash = Bytes.requireLength(parentHash, HASH_SIZE, "parent hash").clone();
        this.author = GroupFields.requireUsername(author);
        this.op = op;
        this.signature = Bytes.requireLength(signature, Ed25519.SIGNATURE_SIZE, "signature").clone();
    }

    /** The change creating group {@code id} at version 1; {@code members} must include {@code author} as an admin. */
    public static GroupChange create(IdentityKeyPair identity, String author, GroupId id, String name,
            List<GroupMember> members) {
        return signed(identity, id, 1, new byte[HASH_SIZE], author, new GroupOp.Create(name, members));
    }

    /** A change of {@code parent}: version {@code parent.version() + 1}, parent hash {@code parent.hash()}. */
    public static GroupChange next(IdentityKeyPair identity, String author, GroupState parent, GroupOp op) {
        return signed(identity, parent.id(), parent.version() + 1, parent.hash(), author, op);
    }

    private static GroupChange signed(IdentityKeyPair identity, GroupId id, long version, byte[] parentHash,
            String author, GroupOp op) {
        GroupChange unsigned = new GroupChange(id, version, parentHash, author, op, new byte[Ed25519.SIGNATURE_SIZE]);
        byte[] signature = identity.sign(SignedBytes.groupChange(unsigned.body()));
        return new GroupChange(id, version, parentHash, author, op, signature);
    }

    public GroupId groupId() {
        return groupId;
    }

    public long version() {
        return version;
    }

    public byte[] parentHash() {
        return parentHash.clone();
    }

    public String author() {
        return author;
    }

    public GroupOp op() {
        return op;
    }

    public byte[] signature() {
        return signature.clone();
    }

    /** {@code ChangeBody}: what the author signs. */
    public byte[] body() {
        ByteWriter out = new ByteWriter(128).u8(FORMAT).bytes(groupId.bytes()).u64(version).bytes(parentHash)
                .u8Prefixed(Utf8.encode(author)).u8(op.code());
        switch (op) {
            case GroupOp.Create create -> {
                out.u8Prefixed(GroupFields.nameBytes(create.name()));
                GroupFields.writeMembers(out, create.members());
            }
            case GroupOp.Add add -> GroupFields.writeUsernames(out, add.usernames());
            case GroupOp.Remove remove -> GroupFields.writeUsernames(out, remove.usernames());
            case GroupOp.Leave leave -> { }
            case GroupOp.Rename rename -> out.u8Prefixed(GroupFields.nameBytes(rename.name()));
            case GroupOp.Promote promote -> out.u8Prefixed(Utf8.encode(promote.username()));
            case GroupOp.Demote demote -> out.u8Prefixed(Utf8.encode(demote.username()));
        }
        return out.toByteArray();
    }

    /** {@code SignedChange}. */
    public byte[] encode() {
        return Bytes.concat(body(), signature);
    }

    /** Strict: refuses unknown formats and ops, bad fields, repeated usernames and trailing bytes. */
    public static GroupChange decode(byte[] bytes) throws ProtocolException {
        ByteReader in = ByteReader.versioned(bytes, "group change", FORMAT);
        GroupId groupId = GroupId.of(in.bytes(GroupId.SIZE));
        long version = in.u64();
        byte[] parentHash = in.bytes(HASH_SIZE);
        String author = GroupFields.readUsername(in);
        int code = in.u8();
        try {
            GroupOp op = switch (code) {
                case 0x01 -> new GroupOp.Create(GroupFields.readName(in), GroupFields.readMembers(in));
                case 0x02 -> new GroupOp.Add(GroupFields.readUsernames(in));
                case 0x03 -> new GroupOp.Remove(GroupFields.readUsernames(in));
                case 0x04 -> new GroupOp.Leave();
                case 0x05 -> new GroupOp.Rename(GroupFields.readName(in));
                case 0x06 -> new GroupOp.Promote(GroupFields.readUsername(in));
                case 0x07 -> new GroupOp.Demote(GroupFields.readUsername(in));
                default -> throw in.malformed("unknown op " + code);
            };
            byte[] signature = in.bytes(Ed25519.SIGNATURE_SIZE);
            in.expectEnd();
            return new GroupChange(groupId, version, parentHash, author, op, signature);
        } catch (IllegalArgumentException e) {
            throw in.malformed(e.getMessage());
        }
    }

    /** {@code changeHash} = SHA-256(SignedChange). */
    public byte[] hash() {
        return Digests.sha256(encode());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GroupChange that && Arrays.equals(encode(), that.encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "GroupChange[group=" + groupId + ", version=" + version + ", author=" + author + ", op=" + op + "]";
    }
}
