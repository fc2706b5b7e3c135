package dev.parley.protocol.payload;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.attachments.AttachmentPointer;
import dev.parley.protocol.codec.ByteReader;
import dev.parley.protocol.codec.ByteWriter;
import dev.parley.protocol.codec.Utf8;
import java.nio.charset.StandardCharsets;

/**
 * Bodies of the content payloads (CRYPTO.md §4):
 *
 * <pre>
 * 0x0F message      u8 flags || u32 expireSeconds || u32 len || utf8 text
 *                   [flags &amp; 0x01] quote = u8 len || utf8 author || u8 len || utf8 quotedId
 *                   [flags &amp; 0x02] Attachment          (flags &amp; 0xFC must be 0)
 * 0x10 edit         u8 len || utf8 targetId || u32 len || utf8 text
 * 0x11 delete       u8 len || utf8 targetId
 * 0x12 reaction     u8 len || utf8 targetAuthor || u8 len || utf8 targetId || u8 len || utf8 emoji
 * 0x13 timer        u32 expireSeconds
 * 0x14 sent payload u8 len || utf8 peer || u32 len || inner (an unpadded 0x0F..0x13 payload, same id and sentAt)
 * 0x15 block        u8 len || utf8 peer || u8 blocked (0x00 | 0x01)
 *
 * Attachment = u8 len || ascii blobId || 32 key || 32 digest || u64 size || u8 len || ascii contentType
 *              || u16 len || utf8 fileName || u16 width || u16 height || u16 len || thumbnail
 * </pre>
 *
 * Field rules live in the records' constructors ({@link ContentFields}, {@link AttachmentPointer});
 * a value they refuse is a malformed payload here.
 */
final class ContentBodies {

    static final int FLAG_QUOTE = 0x01;
    static final int FLAG_ATTACHMENT = 0x02;

    private ContentBodies() {}

    static boolean isContent(int type) {
        return type >= 0x0F && type <= 0x15;
    }

    static void write(ByteWriter out, Payload payload) {
        switch (payload) {
            case Payload.Message p -> {
                int flags = (p.quote() != null ? FLAG_QUOTE : 0) | (p.attachment() != null ? FLAG_ATTACHMENT : 0);
                out.u8(flags).u32(p.expireSeconds()).u32Prefixed(Utf8.encode(p.text()));
                if (p.quote() != null) {
                    out.u8Prefixed(Utf8.encode(p.quote().author())).u8Prefixed(Utf8.encode(p.quote().id()));
                }
                if (p.attachment() != null) {
                    writeAttachment(out, p.attachment());
                }
            }
            case Payload.Edit p -> out.u8Prefixed(Utf8.encode(p.targetId())).u32Prefixed(Utf8.encode(p.text()));
            case Payload.Delete p -> out.u8Prefixed(Utf8.encode(p.targetId()));
            case Payload.Reaction p -> out.u8Prefixed(Utf8.encode(p.targetAuthor())).u8Prefixed(Utf8.encode(p.targetId()))
                    .u8Prefixed(Utf8.encode(p.emoji()));
            case Payload.Timer p -> out.u32(p.expireSeconds());
            case Payload.SentPayload p -> out.u8Prefixed(Utf8.encode(p.peer())).u32Prefixed(PayloadCodec.encode(p.inner()));
            case Payload.Block p -> out.u8Prefixed(Utf8.encode(p.peer())).u8(p.blocked() ? 0x01 : 0x00);
            default -> throw new IllegalArgumentException("not a content payload: " + payload.type());
        }
    }

    private static void writeAttachment(ByteWriter out, AttachmentPointer a) {
        out.u8Prefixed(a.blobId().getBytes(StandardCharsets.US_ASCII)).bytes(a.key()).bytes(a.digest()).u64(a.size())
                .u8Prefixed(a.contentType().getBytes(StandardCharsets.US_ASCII));
        u16Prefixed(out, Utf8.encode(a.fileName()));
        out.u16(a.width()).u16(a.height());
        u16Prefixed(out, a.thumbnail());
    }

    private static void u16Prefixed(ByteWriter out, byte[] value) {
        out.u16(value.length).bytes(value);
    }

    static Payload read(int type, String id, long sentAt, ByteReader in) throws ProtocolException {
        try {
            return switch (type) {
                case 0x0F -> readMessage(id, sentAt, in);
                case 0x10 -> new Payload.Edit(id, sentAt, text(in.u8Prefixed(), in), text(in.u32Prefixed(), in));
                case 0x11 -> new Payload.Delete(id, sentAt, text(in.u8Prefixed(), in));
                case 0x12 -> new Payload.Reaction(id, sentAt, text(in.u8Prefixed(), in), text(in.u8Prefixed(), in),
                        text(in.u8Prefixed(), in));
                case 0x13 -> new Payload.Timer(id, sentAt, expireSeconds(in));
                case 0x14 -> new Payload.SentPayload(id, sentAt, text(in.u8Prefixed(), in), PayloadCodec.decode(in.u32Prefixed()));
                case 0x15 -> new Payload.Block(id, sentAt, text(in.u8Prefixed(), in), switch (in.u8()) {
                    case 0x00 -> false;
                    case 0x01 -> true;
                    default -> throw in.malformed("blocked must be 0x00 or 0x01");
                });
                default -> throw new IllegalArgumentException("not a content payload type: " + type);
            };
        } catch (IllegalArgumentException e) {
            throw in.malformed(e.getMessage());
        }
    }

    private static Payload.Message readMessage(String id, long sentAt, ByteReader in) throws ProtocolException {
        int flags = in.u8();
        if ((flags & ~(FLAG_QUOTE | FLAG_ATTACHMENT)) != 0) {
            throw in.malformed("unknown message flags");
        }
        int expireSeconds = expireSeconds(in);
        String text = text(in.u32Prefixed(), in);
        Quote quote = (flags & FLAG_QUOTE) != 0 ? new Quote(text(in.u8Prefixed(), in), text(in.u8Prefixed(), in)) : null;
        AttachmentPointer attachment = (flags & FLAG_ATTACHMENT) != 0 ? readAttachment(in) : null;
        return new Payload.Message(id, sentAt, expireSeconds, text, quote, attachment);
    }

    private static AttachmentPointer readAttachment(ByteReader in) throws ProtocolException {
        String blobId = new String(in.u8Prefixed(), StandardCharsets.ISO_8859_1);
        byte[] key = in.bytes(AttachmentPointer.KEY_BYTES);
        byte[] digest = in.bytes(AttachmentPointer.DIGEST_BYTES);
        long size = in.u64();
        String contentType = new String(in.u8Prefixed(), StandardCharsets.ISO_8859_1);
        String fileName = text(in.bytes(in.u16()), in);
        int width = in.u16();
        int height = in.u16();
        return new AttachmentPointer(blobId, key, digest, size, contentType, fileName, width, height, in.bytes(in.u16()));
    }

    /** A u32 timer; values above the int range are out of range as well. */
    private static int expireSeconds(ByteReader in) throws ProtocolException {
        long value = in.u32();
        return value > Integer.MAX_VALUE ? -1 : (int) value;
    }

    private static String text(byte[] bytes, ByteReader in) throws ProtocolException {
        return Utf8.decode(bytes, in);
    }
}
