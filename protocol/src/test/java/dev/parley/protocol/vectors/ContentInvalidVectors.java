package dev.parley.protocol.vectors;

import dev.parley.protocol.codec.ByteWriter;
import dev.parley.protocol.codec.Utf8;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Content payload encodings every decoder must refuse (content.json {@code invalid[]}), built
 * field by field: each case is a valid encoding ({@link Raw} with its defaults, which decodes)
 * with one field broken. The browser's generator writes the same reasons.
 */
final class ContentInvalidVectors {

    record Case(String reason, byte[] encoded) {}

    /** The reasons both implementations' files must contain. */
    static final List<String> REQUIRED = List.of("message-unknown-flag", "message-trailing-byte", "message-empty-text",
            "message-text-too-long", "message-expire-too-large", "message-text-bad-utf8", "quote-bad-author", "quote-empty-id",
            "attachment-blob-id-short", "attachment-blob-id-noncanonical", "attachment-size-too-large",
            "attachment-content-type-uppercase", "attachment-content-type-no-slash", "attachment-content-type-too-long",
            "attachment-file-name-slash", "attachment-file-name-backslash", "attachment-file-name-control",
            "attachment-file-name-empty", "attachment-file-name-too-long", "attachment-width-without-height",
            "attachment-thumbnail-not-image", "attachment-thumbnail-too-large", "attachment-truncated", "edit-empty-text",
            "edit-target-too-long", "delete-empty-target", "reaction-emoji-too-long", "reaction-emoji-control",
            "reaction-bad-target-author", "timer-too-large", "timer-u32-max", "timer-trailing-byte", "sent-payload-inner-text",
            "sent-payload-inner-id-mismatch", "sent-payload-inner-sent-at-mismatch", "sent-payload-nested",
            "sent-payload-inner-trailing-byte", "sent-payload-bad-peer", "block-value-2", "block-bad-peer");

    static final long SENT_AT = ContentVectors.SENT_AT;

    private ContentInvalidVectors() {}

    /** A content payload's fields as raw bytes, valid by default; cases change one. */
    static final class Raw {
        int type = 0x0F;
        byte[] id = ascii("bad-1");
        long sentAt = SENT_AT;
        int flags = 0x03;
        long expireSeconds = 60;
        byte[] text = ascii("hi");
        byte[] author = ascii("alice");
        byte[] quotedId = ascii("m-1");
        byte[] blobId = ascii("AAAAAAAAAAAAAAAAAAAAAA");
        long size = 10;
        byte[] contentType = ascii("image/png");
        byte[] fileName = ascii("a.png");
        int width = 1;
        int height = 1;
        byte[] thumbnail = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
        int cutAttachment = 0;
        byte[] trailing = new byte[0];

        byte[] message() {
            ByteWriter out = head().u8(flags).u32(expireSeconds).u32Prefixed(text);
            if ((flags & 0x01) != 0) {
                out.u8Prefixed(author).u8Prefixed(quotedId);
            }
            if ((flags & 0x02) != 0) {
                byte[] attachment = new ByteWriter().u8Prefixed(blobId).bytes(new byte[32]).bytes(new byte[32]).u64(size)
                        .u8Prefixed(contentType).u16(fileName.length).bytes(fileName).u16(width).u16(height)
                        .u16(thumbnail.length).bytes(thumbnail).toByteArray();
                out.bytes(Arrays.copyOf(attachment, attachment.length - cutAttachment));
            }
            return out.bytes(trailing).toByteArray();
        }

        ByteWriter head() {
            return new ByteWriter().u8(0x01).u8(type).u64(sentAt).u8Prefixed(id);
        }
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] message(Consumer<Raw> change) {
        Raw raw = new Raw();
        change.accept(raw);
        return raw.message();
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("message-unknown-flag", message(r -> r.flags = 0x07)));
        cases.add(new Case("message-trailing-byte", message(r -> r.trailing = new byte[1])));
        cases.add(new Case("message-empty-text", message(r -> {
            r.flags = 0x01;
            r.text = new byte[0];
        })));
        cases.add(new Case("message-text-too-long", message(r -> {
            r.flags = 0x00;
            r.text = ascii("t".repeat(30_001));
        })));
        cases.add(new Case("message-expire-too-large", message(r -> r.expireSeconds = 2_419_201)));
        cases.add(new Case("message-text-bad-utf8", message(r -> r.text = new byte[] {'a', (byte) 0xFF})));
        cases.add(new Case("quote-bad-author", message(r -> r.author = ascii("Alice"))));
        cases.add(new Case("quote-empty-id", message(r -> r.quotedId = new byte[0])));
        cases.add(new Case("attachment-blob-id-short", message(r -> r.blobId = ascii("AAAAAAAAAAAAAAAAAAAAA"))));
        cases.add(new Case("attachment-blob-id-noncanonical", message(r -> r.blobId = ascii("AAAAAAAAAAAAAAAAAAAAAB"))));
        cases.add(new Case("attachment-size-too-large", message(r -> r.size = 104_857_601L)));
        cases.add(new Case("attachment-content-type-uppercase", message(r -> r.contentType = ascii("Image/png"))));
        cases.add(new Case("attachment-content-type-no-slash", message(r -> r.contentType = ascii("png"))));
        cases.add(new Case("attachment-content-type-too-long", message(r -> r.contentType = ascii("image/" + "p".repeat(95)))));
        cases.add(new Case("attachment-file-name-slash", message(r -> r.fileName = ascii("a/b.png"))));
        cases.add(new Case("attachment-file-name-backslash", message(r -> r.fileName = ascii("a\\b.png"))));
        cases.add(new Case("attachment-file-name-control", message(r -> r.fileName = Utf8.encode("a\u0085b.png"))));
        cases.add(new Case("attachment-file-name-empty", message(r -> r.fileName = new byte[0])));
        cases.add(new Case("attachment-file-name-too-long", message(r -> r.fileName = ascii("f".repeat(256)))));
        cases.add(new Case("attachment-width-without-height", message(r -> r.height = 0)));
        cases.add(new Case("attachment-thumbnail-not-image", message(r -> r.thumbnail = ascii("GIF89a"))));
        cases.add(new Case("attachment-thumbnail-too-large", message(r -> r.thumbnail = Arrays.copyOf(r.thumbnail, 16_385))));
        cases.add(new Case("attachment-truncated", message(r -> r.cutAttachment = 1)));
        Raw raw = new Raw();
        raw.type = 0x10;
        cases.add(new Case("edit-empty-text", raw.head().u8Prefixed(ascii("m-1")).u32(0).toByteArray()));
        cases.add(new Case("edit-target-too-long", raw.head().u8Prefixed(ascii("m".repeat(65))).u32Prefixed(ascii("x")).toByteArray()));
        raw.type = 0x11;
        cases.add(new Case("delete-empty-target", raw.head().u8(0).toByteArray()));
        raw.type = 0x12;
        cases.add(new Case("reaction-emoji-too-long", raw.head().u8Prefixed(ascii("alice")).u8Prefixed(ascii("m-1"))
                .u8Prefixed(Utf8.encode("\ud83d\ude00".repeat(8) + "!")).toByteArray()));
        cases.add(new Case("reaction-emoji-control", raw.head().u8Prefixed(ascii("alice")).u8Prefixed(ascii("m-1"))
                .u8Prefixed(ascii("\u0007")).toByteArray()));
        cases.add(new Case("reaction-bad-target-author", raw.head().u8Prefixed(ascii("al")).u8Prefixed(ascii("m-1"))
                .u8Prefixed(ascii("+")).toByteArray()));
        raw.type = 0x13;
        cases.add(new Case("timer-too-large", raw.head().u32(2_419_201).toByteArray()));
        cases.add(new Case("timer-u32-max", raw.head().u32(0xFFFF_FFFFL).toByteArray()));
        cases.add(new Case("timer-trailing-byte", raw.head().u32(60).u8(0).toByteArray()));
        raw.type = 0x14;
        Raw inner = new Raw();
        inner.id = raw.id;
        cases.add(new Case("sent-payload-inner-text", raw.head().u8Prefixed(ascii("bob"))
                .u32Prefixed(new ByteWriter().u8(0x01).u8(0x01).u64(SENT_AT).u8Prefixed(raw.id).u32Prefixed(ascii("hi"))
                        .toByteArray()).toByteArray()));
        Raw otherId = new Raw();
        otherId.id = ascii("bad-2");
        cases.add(new Case("sent-payload-inner-id-mismatch", raw.head().u8Prefixed(ascii("bob")).u32Prefixed(otherId.message())
                .toByteArray()));
        Raw otherTime = new Raw();
        otherTime.sentAt = SENT_AT + 1;
        cases.add(new Case("sent-payload-inner-sent-at-mismatch", raw.head().u8Prefixed(ascii("bob"))
                .u32Prefixed(otherTime.message()).toByteArray()));
        byte[] sent = raw.head().u8Prefixed(ascii("bob")).u32Prefixed(inner.message()).toByteArray();
        cases.add(new Case("sent-payload-nested", raw.head().u8Prefixed(ascii("bob")).u32Prefixed(sent).toByteArray()));
        Raw innerTrailing = new Raw();
        innerTrailing.trailing = new byte[1];
        cases.add(new Case("sent-payload-inner-trailing-byte", raw.head().u8Prefixed(ascii("bob"))
                .u32Prefixed(innerTrailing.message()).toByteArray()));
        cases.add(new Case("sent-payload-bad-peer", raw.head().u8Prefixed(ascii("b o b")).u32Prefixed(inner.message())
                .toByteArray()));
        raw.type = 0x15;
        cases.add(new Case("block-value-2", raw.head().u8Prefixed(ascii("mallory")).u8(2).toByteArray()));
        cases.add(new Case("block-bad-peer", raw.head().u8Prefixed(ascii("x".repeat(33))).u8(1).toByteArray()));
        return cases;
    }
}
