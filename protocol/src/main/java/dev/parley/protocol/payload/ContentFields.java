package dev.parley.protocol.payload;

import dev.parley.protocol.Limits;
import dev.parley.protocol.codec.Utf8;

/**
 * The field rules of the content payloads (CRYPTO.md §4, types 0x0F..0x15), in one place: the
 * record constructors call them (so an invalid payload can be neither built nor decoded) and
 * {@link ContentBodies} turns their {@link IllegalArgumentException} into a malformed payload.
 * Usernames and ids follow {@link SyncFields}; attachment rules live in
 * {@link dev.parley.protocol.attachments.AttachmentPointer}.
 */
final class ContentFields {

    private ContentFields() {}

    /** {@code expireSeconds}: 0 (off) or 1..{@link Limits#MAX_EXPIRE_SECONDS}. */
    static void requireExpireSeconds(int seconds) {
        if (seconds < 0 || seconds > Limits.MAX_EXPIRE_SECONDS) {
            throw new IllegalArgumentException("expireSeconds must be 0..2419200");
        }
    }

    /** A text of {@code min}..{@link Limits#MAX_TEXT_BYTES} UTF-8 bytes. */
    static void requireText(String text, int min) {
        if (text == null) {
            throw new IllegalArgumentException("text missing");
        }
        int length = Utf8.encode(text).length;
        if (length < min || length > Limits.MAX_TEXT_BYTES) {
            throw new IllegalArgumentException("text must be " + min + ".." + Limits.MAX_TEXT_BYTES + " UTF-8 bytes");
        }
    }

    /** An author, target author or peer: a username. */
    static void requireUsername(String username, String what) {
        try {
            SyncFields.requirePeer(username);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " must be a username ([a-z0-9_]{3,32})");
        }
    }

    /** A target or quoted message id: 1..64 UTF-8 bytes, like a payload id. */
    static void requireTargetId(String id) {
        SyncFields.requireMessageId(id);
    }

    /** A reaction: 0..{@link Limits#MAX_EMOJI_BYTES} UTF-8 bytes, no control character; empty removes. */
    static void requireEmoji(String emoji) {
        if (emoji == null || Utf8.encode(emoji).length > Limits.MAX_EMOJI_BYTES || Utf8.hasControlCharacter(emoji)) {
            throw new IllegalArgumentException("emoji must be 0..32 UTF-8 bytes without control characters");
        }
    }

    /** Whether {@code type} is a payload a 0x14 sent payload may carry (0x0F..0x13); the same set a group message may carry besides 0x01 and 0x04. */
    static boolean isSendable(int type) {
        return type >= 0x0F && type <= 0x13;
    }

    /** A sent payload's inner payload: a 0x0F..0x13 payload with the outer id and sentAt. */
    static void requireSentInner(String id, long sentAt, Payload inner) {
        if (inner == null || !isSendable(inner.type()) || inner instanceof Payload.Unknown) {
            throw new IllegalArgumentException("a sent payload carries a message, edit, delete, reaction or timer");
        }
        if (!inner.id().equals(id) || inner.sentAt() != sentAt) {
            throw new IllegalArgumentException("a sent payload's inner payload must have its id and sentAt");
        }
    }
}
