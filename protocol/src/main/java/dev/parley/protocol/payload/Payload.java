package dev.parley.protocol.payload;

import dev.parley.protocol.codec.Bytes;
import java.util.List;

/**
 * The typed, versioned plaintext inside every ratchet message (CRYPTO.md §4). Every payload has
 * the sender's clock {@code sentAt} (ms since the Unix epoch, supplied by the caller) and a
 * client message {@code id} of 1..64 UTF-8 bytes. Encoded by {@link PayloadCodec}, padded by
 * {@link Padding}.
 */
public sealed interface Payload {

    String id();

    long sentAt();

    /** The {@code type} byte. */
    int type();

    /** 0x01: a text message. */
    record Text(String id, long sentAt, String text) implements Payload {
        public int type() { return 0x01; }
    }

    /** 0x02: the listed messages were delivered to this device. */
    record DeliveryReceipt(String id, long sentAt, List<String> messageIds) implements Payload {
        public DeliveryReceipt { messageIds = List.copyOf(messageIds); }
        public int type() { return 0x02; }
    }

    /** 0x03: the listed messages were read. */
    record ReadReceipt(String id, long sentAt, List<String> messageIds) implements Payload {
        public ReadReceipt { messageIds = List.copyOf(messageIds); }
        public int type() { return 0x03; }
    }

    /** 0x04: typing started ({@code typing}) or stopped. */
    record Typing(String id, long sentAt, boolean typing) implements Payload {
        public int type() { return 0x04; }
    }

    /**
     * 0x05: the content key of a fan-out message (CRYPTO.md §5): the AES-256 key and the
     * SHA-256 of the content ciphertext it opens. Prints no key.
     */
    record ContentKey(String id, long sentAt, byte[] key, byte[] contentDigest) implements Payload {
        public ContentKey {
            key = Bytes.requireLength(key, 32, "content key").clone();
            contentDigest = Bytes.requireLength(contentDigest, 32, "content digest").clone();
        }

        public int type() { return 0x05; }

        @Override public byte[] key() { return key.clone(); }
        @Override public byte[] contentDigest() { return contentDigest.clone(); }

        @Override
        public String toString() {
            return "ContentKey[id=" + id + ", sentAt=" + sentAt + ", contentDigest=" + Bytes.b64(contentDigest) + "]";
        }
    }

    /** A type this version does not know; receivers ignore it (forward compatibility). */
    record Unknown(String id, long sentAt, int type, byte[] body) implements Payload {
        public Unknown { body = body.clone(); }
        @Override public byte[] body() { return body.clone(); }
    }
}
