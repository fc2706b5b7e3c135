package dev.parley.protocol.payload;

import dev.parley.protocol.codec.Bytes;
import dev.parley.protocol.link.DeviceName;
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

    /** 0x01: a text message. Prints no text. */
    record Text(String id, long sentAt, String text) implements Payload {
        public int type() { return 0x01; }

        @Override
        public String toString() {
            return "Text[id=" + id + ", sentAt=" + sentAt + "]";
        }
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

    /*
     * Sync payloads (0x06..0x0A, CRYPTO.md §4): sent only between one account's own devices.
     * Receivers accept them only from their own account. Constructors enforce every field rule
     * (SyncFields), so an invalid sync payload can be neither built nor decoded.
     */

    /** 0x06: a message this account sent to {@code peer} from another device (id and sentAt are the original's). Prints no text. */
    record SentTranscript(String id, long sentAt, String peer, String text) implements Payload {
        public SentTranscript {
            SyncFields.requirePeer(peer);
            java.util.Objects.requireNonNull(text, "text");
        }

        public int type() { return 0x06; }

        @Override
        public String toString() {
            return "SentTranscript[id=" + id + ", sentAt=" + sentAt + ", peer=" + peer + "]";
        }
    }

    /** 0x07: messages from {@code peer} with serverTime up to {@code readUpTo} (ms) were read on another device. */
    record ReadUpTo(String id, long sentAt, String peer, long readUpTo) implements Payload {
        public ReadUpTo {
            SyncFields.requirePeer(peer);
            SyncFields.requireTimestamp(readUpTo, "readUpTo");
        }

        public int type() { return 0x07; }
    }

    /**
     * 0x08: a trust decision about {@code peer}'s identity {@code IK} (64 bytes); receivers apply
     * it only if {@code identity} is the peer's current identity.
     */
    record TrustDecision(String id, long sentAt, String peer, byte[] identity, TrustState state) implements Payload {
        public TrustDecision {
            SyncFields.requirePeer(peer);
            identity = Bytes.requireLength(identity, 64, "identity").clone();
            java.util.Objects.requireNonNull(state, "state");
        }

        public int type() { return 0x08; }

        @Override public byte[] identity() { return identity.clone(); }

        @Override
        public boolean equals(Object other) {
            return other instanceof TrustDecision that && id.equals(that.id) && sentAt == that.sentAt
                    && peer.equals(that.peer) && java.util.Arrays.equals(identity, that.identity) && state == that.state;
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(id, sentAt, peer, java.util.Arrays.hashCode(identity), state);
        }

        @Override
        public String toString() {
            return "TrustDecision[id=" + id + ", peer=" + peer + ", identity=" + Bytes.b64(identity) + ", " + state + "]";
        }
    }

    /** 0x09: device {@code deviceId} (1..255) named {@code name} was linked at {@code linkedAt} (ms). Prints no name. */
    record DeviceLinked(String id, long sentAt, int deviceId, long linkedAt, String name) implements Payload {
        public DeviceLinked {
            if (deviceId < 1 || deviceId > 255) {
                throw new IllegalArgumentException("device id must be 1..255");
            }
            SyncFields.requireTimestamp(linkedAt, "linkedAt");
            DeviceName.encode(name);
        }

        public int type() { return 0x09; }

        @Override
        public String toString() {
            return "DeviceLinked[id=" + id + ", sentAt=" + sentAt + ", deviceId=" + deviceId + ", linkedAt=" + linkedAt + "]";
        }
    }

    /**
     * 0x0A: chunk {@code index} of {@code total} (index < total) of the history an approving
     * device sends a new one. Each chunk must fit the largest padded payload
     * ({@link HistoryChunks#pack} splits entries accordingly). Prints no text.
     */
    record HistoryChunk(String id, long sentAt, int index, int total, List<HistoryEntry> entries) implements Payload {
        public HistoryChunk {
            if (total < 1 || total > 0xFFFF || index < 0 || index >= total) {
                throw new IllegalArgumentException("history chunk index must be 0..total-1, total 1..65535");
            }
            entries = List.copyOf(entries);
            if (entries.size() > 0xFFFF) {
                throw new IllegalArgumentException("history chunk has more than 65535 entries");
            }
        }

        public int type() { return 0x0A; }

        @Override
        public String toString() {
            return "HistoryChunk[id=" + id + ", " + index + "/" + total + ", entries=" + entries.size() + "]";
        }
    }

    /** A type this version does not know; receivers ignore it (forward compatibility). */
    record Unknown(String id, long sentAt, int type, byte[] body) implements Payload {
        public Unknown { body = body.clone(); }
        @Override public byte[] body() { return body.clone(); }
    }
}
