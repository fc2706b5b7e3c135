package dev.parley.protocol.payload;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.codec.ByteReader;
import dev.parley.protocol.codec.ByteWriter;
import dev.parley.protocol.codec.Utf8;
import dev.parley.protocol.link.DeviceName;
import java.util.ArrayList;
import java.util.List;

/**
 * Bodies of the sync payloads (CRYPTO.md §4):
 *
 * <pre>
 * 0x06 sent transcript  u8 len || utf8 peer || u32 len || utf8 text
 * 0x07 read up to       u8 len || utf8 peer || u64 readUpTo
 * 0x08 trust decision   u8 len || utf8 peer || 64 IK || u8 state (0 unverified, 1 verified, 2 accepted change)
 * 0x09 device linked    u8 deviceId || u64 linkedAt || u8 len || utf8 name
 * 0x0A history chunk    u16 index || u16 total || u16 count || count x entry
 *      entry = u8 direction (0 in, 1 out) || u8 len || utf8 peer || u8 len || utf8 id || u64 sentAt || u32 len || utf8 text
 * </pre>
 *
 * Field rules live in the records' constructors ({@link SyncFields}); a value they refuse is a
 * malformed payload here.
 */
final class SyncBodies {

    private SyncBodies() {}

    static boolean isSync(int type) {
        return type >= 0x06 && type <= 0x0A;
    }

    static void write(ByteWriter out, Payload payload) {
        switch (payload) {
            case Payload.SentTranscript p -> out.u8Prefixed(Utf8.encode(p.peer())).u32Prefixed(Utf8.encode(p.text()));
            case Payload.ReadUpTo p -> out.u8Prefixed(Utf8.encode(p.peer())).u64(p.readUpTo());
            case Payload.TrustDecision p -> out.u8Prefixed(Utf8.encode(p.peer())).bytes(p.identity()).u8(p.state().code());
            case Payload.DeviceLinked p -> out.u8(p.deviceId()).u64(p.linkedAt()).u8Prefixed(DeviceName.encode(p.name()));
            case Payload.HistoryChunk p -> {
                out.u16(p.index()).u16(p.total()).u16(p.entries().size());
                p.entries().forEach(entry -> writeEntry(out, entry));
            }
            default -> throw new IllegalArgumentException("not a sync payload: " + payload.type());
        }
    }

    static void writeEntry(ByteWriter out, HistoryEntry entry) {
        out.u8(entry.direction().code()).u8Prefixed(Utf8.encode(entry.peer())).u8Prefixed(Utf8.encode(entry.messageId()))
                .u64(entry.sentAt()).u32Prefixed(Utf8.encode(entry.text()));
    }

    static Payload read(int type, String id, long sentAt, ByteReader in) throws ProtocolException {
        try {
            return switch (type) {
                case 0x06 -> new Payload.SentTranscript(id, sentAt, text(in.u8Prefixed(), in), text(in.u32Prefixed(), in));
                case 0x07 -> new Payload.ReadUpTo(id, sentAt, text(in.u8Prefixed(), in), in.u64());
                case 0x08 -> new Payload.TrustDecision(id, sentAt, text(in.u8Prefixed(), in), in.bytes(64),
                        TrustState.fromCode(in.u8()));
                case 0x09 -> new Payload.DeviceLinked(id, sentAt, in.u8(), in.u64(), DeviceName.read(in));
                case 0x0A -> readChunk(id, sentAt, in);
                default -> throw new IllegalArgumentException("not a sync payload type: " + type);
            };
        } catch (IllegalArgumentException e) {
            throw in.malformed(e.getMessage());
        }
    }

    private static Payload.HistoryChunk readChunk(String id, long sentAt, ByteReader in) throws ProtocolException {
        int index = in.u16();
        int total = in.u16();
        int count = in.u16();
        List<HistoryEntry> entries = new ArrayList<>(Math.min(count, 1024));
        for (int i = 0; i < count; i++) {
            HistoryEntry.Direction direction = HistoryEntry.Direction.fromCode(in.u8());
            String peer = text(in.u8Prefixed(), in);
            String messageId = text(in.u8Prefixed(), in);
            long entrySentAt = in.u64();
            entries.add(new HistoryEntry(direction, peer, messageId, entrySentAt, text(in.u32Prefixed(), in)));
        }
        return new Payload.HistoryChunk(id, sentAt, index, total, entries);
    }

    private static String text(byte[] bytes, ByteReader in) throws ProtocolException {
        return Utf8.decode(bytes, in);
    }
}
