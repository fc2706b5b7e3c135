package dev.parley.protocol.payload;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.codec.ByteReader;
import dev.parley.protocol.codec.ByteWriter;
import dev.parley.protocol.codec.Utf8;
import dev.parley.protocol.groups.GroupChange;
import dev.parley.protocol.groups.GroupId;
import dev.parley.protocol.groups.SenderKeyDistribution;
import java.util.ArrayList;
import java.util.List;

/**
 * Bodies of the group payloads (CRYPTO.md §4, §11):
 *
 * <pre>
 * 0x0B sender key distribution  Distribution ({@link SenderKeyDistribution})
 * 0x0C group update             32 groupId || u8 kind || kind body
 *      kind 0x01 change         u32 len || SignedChange             (groupId = the change's)
 *      kind 0x02 snapshot part  u64 version || 32 stateHash || u16 index || u16 total || u32 len || part
 * 0x0D group receipt            32 groupId || u8 kind (0x02 delivery, 0x03 read) || u16 count || count x (u8 len || utf8 id)
 * 0x0E group read up to         32 groupId || u64 readUpTo
 * </pre>
 *
 * Field rules live in the records' constructors; a value they refuse is a malformed payload here.
 */
final class GroupBodies {

    static final int KIND_CHANGE = 0x01;
    static final int KIND_SNAPSHOT_PART = 0x02;
    static final int RECEIPT_DELIVERY = 0x02;
    static final int RECEIPT_READ = 0x03;

    private GroupBodies() {}

    static boolean isGroup(int type) {
        return type >= 0x0B && type <= 0x0E;
    }

    static void write(ByteWriter out, Payload payload) {
        switch (payload) {
            case Payload.SenderKey p -> out.bytes(p.distribution().encode());
            case Payload.GroupChangeUpdate p ->
                    out.bytes(p.change().groupId().bytes()).u8(KIND_CHANGE).u32Prefixed(p.change().encode());
            case Payload.GroupSnapshotPart p -> out.bytes(p.groupId().bytes()).u8(KIND_SNAPSHOT_PART).u64(p.version())
                    .bytes(p.stateHash()).u16(p.index()).u16(p.total()).u32Prefixed(p.part());
            case Payload.GroupReceipt p -> {
                out.bytes(p.groupId().bytes()).u8(p.read() ? RECEIPT_READ : RECEIPT_DELIVERY).u16(p.messageIds().size());
                p.messageIds().forEach(messageId -> out.u8Prefixed(Utf8.encode(messageId)));
            }
            case Payload.GroupReadUpTo p -> out.bytes(p.groupId().bytes()).u64(p.readUpTo());
            default -> throw new IllegalArgumentException("not a group payload: " + payload.type());
        }
    }

    static Payload read(int type, String id, long sentAt, ByteReader in) throws ProtocolException {
        try {
            return switch (type) {
                case 0x0B -> new Payload.SenderKey(id, sentAt, SenderKeyDistribution.decode(in.bytes(SenderKeyDistribution.SIZE)));
                case 0x0C -> readUpdate(id, sentAt, in);
                case 0x0D -> new Payload.GroupReceipt(id, sentAt, groupId(in), switch (in.u8()) {
                    case RECEIPT_DELIVERY -> false;
                    case RECEIPT_READ -> true;
                    default -> throw in.malformed("group receipt kind");
                }, readIds(in));
                case 0x0E -> new Payload.GroupReadUpTo(id, sentAt, groupId(in), in.u64());
                default -> throw new IllegalArgumentException("not a group payload type: " + type);
            };
        } catch (IllegalArgumentException e) {
            throw in.malformed(e.getMessage());
        }
    }

    private static Payload readUpdate(String id, long sentAt, ByteReader in) throws ProtocolException {
        GroupId groupId = groupId(in);
        return switch (in.u8()) {
            case KIND_CHANGE -> {
                GroupChange change = GroupChange.decode(in.u32Prefixed());
                if (!change.groupId().equals(groupId)) {
                    throw in.malformed("group update names another group than its change");
                }
                yield new Payload.GroupChangeUpdate(id, sentAt, change);
            }
            case KIND_SNAPSHOT_PART -> new Payload.GroupSnapshotPart(id, sentAt, groupId, in.u64(), in.bytes(32),
                    in.u16(), in.u16(), in.u32Prefixed());
            default -> throw in.malformed("group update kind");
        };
    }

    private static GroupId groupId(ByteReader in) throws ProtocolException {
        return GroupId.of(in.bytes(GroupId.SIZE));
    }

    private static List<String> readIds(ByteReader in) throws ProtocolException {
        int count = in.u16();
        List<String> ids = new ArrayList<>(Math.min(count, 1024));
        for (int i = 0; i < count; i++) {
            ids.add(Utf8.decode(in.u8Prefixed(), in));
        }
        return ids;
    }
}
