package dev.parley.protocol.payload;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.codec.ByteReader;
import dev.parley.protocol.codec.ByteWriter;
import dev.parley.protocol.codec.Utf8;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Encoding of {@link Payload} (CRYPTO.md §4):
 *
 * <pre>
 * u8  version = 0x01
 * u8  type
 * u64 sentAt
 * u8  len || utf8 id                 1..64 bytes
 * body:
 *   text         u32 len || utf8 text
 *   receipts     u16 count || count x (u8 len || utf8 id)
 *   typing       u8 state (0x01 typing, 0x00 stopped)
 *   content key  32 key || 32 SHA-256(content ciphertext)
 *   0x06..0x0A   sync payloads ({@link SyncBodies})
 *   0x0B..0x0E   group payloads ({@link GroupBodies})
 *   0x0F..0x15   content payloads ({@link ContentBodies})
 * </pre>
 *
 * Known types must end exactly after their body; an unknown type is returned as
 * {@link Payload.Unknown}; an unknown version is refused.
 */
public final class PayloadCodec {

    public static final int VERSION = 0x01;
    public static final int MAX_ID_BYTES = 64;

    private PayloadCodec() {}

    public static byte[] encode(Payload payload) {
        ByteWriter out = new ByteWriter(128).u8(VERSION).u8(payload.type()).u64(payload.sentAt());
        writeId(out, payload.id());
        switch (payload) {
            case Payload.Text text -> out.u32Prefixed(text.text().getBytes(StandardCharsets.UTF_8));
            case Payload.DeliveryReceipt receipt -> writeIds(out, receipt.messageIds());
            case Payload.ReadReceipt receipt -> writeIds(out, receipt.messageIds());
            case Payload.Typing typing -> out.u8(typing.typing() ? 0x01 : 0x00);
            case Payload.ContentKey key -> out.bytes(key.key()).bytes(key.contentDigest());
            case Payload.Unknown unknown -> out.bytes(unknown.body());
            default -> {
                if (GroupBodies.isGroup(payload.type())) {
                    GroupBodies.write(out, payload);
                } else if (ContentBodies.isContent(payload.type())) {
                    ContentBodies.write(out, payload);
                } else {
                    SyncBodies.write(out, payload);
                }
            }
        }
        return out.toByteArray();
    }

    public static Payload decode(byte[] bytes) throws ProtocolException {
        ByteReader in = ByteReader.versioned(bytes, "payload", VERSION);
        int type = in.u8();
        long sentAt = in.u64();
        String id = readId(in);
        Payload payload = switch (type) {
            case 0x01 -> new Payload.Text(id, sentAt, utf8(in.u32Prefixed(), in));
            case 0x02 -> new Payload.DeliveryReceipt(id, sentAt, readIds(in));
            case 0x03 -> new Payload.ReadReceipt(id, sentAt, readIds(in));
            case 0x04 -> new Payload.Typing(id, sentAt, switch (in.u8()) {
                case 0x00 -> false;
                case 0x01 -> true;
                default -> throw in.malformed("typing state");
            });
            case 0x05 -> new Payload.ContentKey(id, sentAt, in.bytes(32), in.bytes(32));
            case 0x06, 0x07, 0x08, 0x09, 0x0A -> SyncBodies.read(type, id, sentAt, in);
            case 0x0B, 0x0C, 0x0D, 0x0E -> GroupBodies.read(type, id, sentAt, in);
            case 0x0F, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15 -> ContentBodies.read(type, id, sentAt, in);
            default -> new Payload.Unknown(id, sentAt, type, in.rest());
        };
        in.expectEnd();
        return payload;
    }

    private static void writeId(ByteWriter out, String id) {
        byte[] utf8 = id.getBytes(StandardCharsets.UTF_8);
        if (utf8.length < 1 || utf8.length > MAX_ID_BYTES) {
            throw new IllegalArgumentException("message id must be 1..64 UTF-8 bytes");
        }
        out.u8Prefixed(utf8);
    }

    private static void writeIds(ByteWriter out, List<String> ids) {
        out.u16(ids.size());
        ids.forEach(id -> writeId(out, id));
    }

    private static String readId(ByteReader in) throws ProtocolException {
        byte[] utf8 = in.u8Prefixed();
        if (utf8.length < 1 || utf8.length > MAX_ID_BYTES) {
            throw in.malformed("message id must be 1..64 bytes");
        }
        return utf8(utf8, in);
    }

    private static List<String> readIds(ByteReader in) throws ProtocolException {
        int count = in.u16();
        List<String> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add(readId(in));
        }
        return ids;
    }

    private static String utf8(byte[] bytes, ByteReader in) throws ProtocolException {
        return Utf8.decode(bytes, in);
    }
}
