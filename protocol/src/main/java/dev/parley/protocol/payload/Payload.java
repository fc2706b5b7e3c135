package dev.parley.protocol.payload;

import static dev.parley.protocol.Limits.MAX_PADDED_PAYLOAD;

import dev.parley.protocol.attachments.AttachmentPointer;
import dev.parley.protocol.codec.Bytes;
import dev.parley.protocol.groups.GroupChange;
import dev.parley.protocol.groups.GroupId;
import dev.parley.protocol.groups.GroupState;
import dev.parley.protocol.groups.SenderKeyDistribution;
import dev.parley.protocol.link.DeviceName;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

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

    /*
     * Group payloads (0x0B..0x0E, CRYPTO.md §4 and §11), inside pairwise sessions. Bodies:
     * GroupBodies; field rules in the constructors, as for the sync payloads.
     */

    /** 0x0B: the sender's sender-key chain for one group, at its current iteration. Prints no key. */
    record SenderKey(String id, long sentAt, SenderKeyDistribution distribution) implements Payload {
        public SenderKey { Objects.requireNonNull(distribution, "distribution"); }
        public int type() { return 0x0B; }
    }

    /** 0x0C kind 0x01: a signed group change; the group is the change's. */
    record GroupChangeUpdate(String id, long sentAt, GroupChange change) implements Payload {
        public GroupChangeUpdate { Objects.requireNonNull(change, "change"); }
        public int type() { return 0x0C; }
    }

    /**
     * 0x0C kind 0x02: part {@code index} of {@code total} of a group's {@code StateBytes} at
     * {@code version} with hash {@code stateHash} ({@link dev.parley.protocol.groups.GroupSnapshots}).
     */
    record GroupSnapshotPart(String id, long sentAt, GroupId groupId, long version, byte[] stateHash, int index, int total,
            byte[] part) implements Payload {
        public GroupSnapshotPart {
            Objects.requireNonNull(groupId, "groupId");
            if (version < 1 || version > GroupState.MAX_VERSION) {
                throw new IllegalArgumentException("snapshot version must be 1..2^53-1");
            }
            stateHash = Bytes.requireLength(stateHash, 32, "state hash").clone();
            if (total < 1 || total > 0xFFFF || index < 0 || index >= total) {
                throw new IllegalArgumentException("snapshot part index must be 0..total-1, total 1..65535");
            }
            if (part.length < 1 || part.length > MAX_PADDED_PAYLOAD) {
                throw new IllegalArgumentException("a snapshot part holds 1.." + MAX_PADDED_PAYLOAD + " bytes");
            }
            part = part.clone();
        }

        public int type() { return 0x0C; }

        @Override public byte[] stateHash() { return stateHash.clone(); }
        @Override public byte[] part() { return part.clone(); }

        @Override
        public boolean equals(Object other) {
            return other instanceof GroupSnapshotPart that && id.equals(that.id) && sentAt == that.sentAt
                    && groupId.equals(that.groupId) && version == that.version && Arrays.equals(stateHash, that.stateHash)
                    && index == that.index && total == that.total && Arrays.equals(part, that.part);
        }

        @Override
        public int hashCode() {
            return Objects.hash(id, sentAt, groupId, version, index, total);
        }

        @Override
        public String toString() {
            return "GroupSnapshotPart[id=" + id + ", group=" + groupId + ", version=" + version + ", " + index + "/" + total
                    + ", part=" + part.length + " bytes]";
        }
    }

    /** 0x0D: the listed group messages were delivered ({@code read} false, kind 0x02) or read (kind 0x03). */
    record GroupReceipt(String id, long sentAt, GroupId groupId, boolean read, List<String> messageIds) implements Payload {
        public GroupReceipt {
            Objects.requireNonNull(groupId, "groupId");
            messageIds = List.copyOf(messageIds);
            if (messageIds.size() > 0xFFFF) {
                throw new IllegalArgumentException("a receipt lists at most 65535 ids");
            }
            messageIds.forEach(SyncFields::requireMessageId);
        }

        public int type() { return 0x0D; }
    }

    /** 0x0E (own devices only): the group's messages with serverTime up to {@code readUpTo} (ms) were read on another device. */
    record GroupReadUpTo(String id, long sentAt, GroupId groupId, long readUpTo) implements Payload {
        public GroupReadUpTo {
            Objects.requireNonNull(groupId, "groupId");
            SyncFields.requireTimestamp(readUpTo, "readUpTo");
        }

        public int type() { return 0x0E; }
    }

    /*
     * Content payloads (0x0F..0x15, CRYPTO.md §4): a message with quote, attachment or timer,
     * and the controls on messages. 0x14 and 0x15 travel only between one account's own
     * devices; a group message may carry 0x0F..0x13. Bodies: ContentBodies; rules in the
     * constructors (ContentFields). None prints text, emoji or attachment.
     */

    /** 0x0F: a message; {@code text} may be empty only with an attachment. {@code quote}, {@code attachment} nullable. */
    record Message(String id, long sentAt, int expireSeconds, String text, Quote quote, AttachmentPointer attachment)
            implements Payload {
        public Message {
            ContentFields.requireExpireSeconds(expireSeconds);
            ContentFields.requireText(text, attachment == null ? 1 : 0);
        }
        public int type() { return 0x0F; }

        @Override
        public String toString() {
            return "Message[id=" + id + ", sentAt=" + sentAt + ", expireSeconds=" + expireSeconds + ", quote=" + quote
                    + ", attachment=" + attachment + "]";
        }
    }

    /** 0x10: replaces the text of the sender's message {@code targetId}. Prints no text. */
    record Edit(String id, long sentAt, String targetId, String text) implements Payload {
        public Edit {
            ContentFields.requireTargetId(targetId);
            ContentFields.requireText(text, 1);
        }
        public int type() { return 0x10; }

        @Override
        public String toString() {
            return "Edit[id=" + id + ", sentAt=" + sentAt + ", targetId=" + targetId + "]";
        }
    }

    /** 0x11: deletes the sender's message {@code targetId} for everyone. */
    record Delete(String id, long sentAt, String targetId) implements Payload {
        public Delete { ContentFields.requireTargetId(targetId); }
        public int type() { return 0x11; }
    }

    /** 0x12: the sender's reaction to {@code targetAuthor}'s message {@code targetId}; an empty emoji removes it. Prints no emoji. */
    record Reaction(String id, long sentAt, String targetAuthor, String targetId, String emoji) implements Payload {
        public Reaction {
            ContentFields.requireUsername(targetAuthor, "target author");
            ContentFields.requireTargetId(targetId);
            ContentFields.requireEmoji(emoji);
        }
        public int type() { return 0x12; }

        @Override
        public String toString() {
            return "Reaction[id=" + id + ", sentAt=" + sentAt + ", targetAuthor=" + targetAuthor + ", targetId=" + targetId + "]";
        }
    }

    /** 0x13: sets the conversation's disappearing-message timer (0: off). */
    record Timer(String id, long sentAt, int expireSeconds) implements Payload {
        public Timer { ContentFields.requireExpireSeconds(expireSeconds); }
        public int type() { return 0x13; }
    }

    /** 0x14 (own devices only): a 0x0F..0x13 payload this account sent to {@code peer}; same id and sentAt as {@code inner}. */
    record SentPayload(String id, long sentAt, String peer, Payload inner) implements Payload {
        public SentPayload {
            ContentFields.requireUsername(peer, "peer");
            ContentFields.requireSentInner(id, sentAt, inner);
        }
        public int type() { return 0x14; }
    }

    /** 0x15 (own devices only): this account blocked ({@code blocked}) or unblocked {@code peer}. */
    record Block(String id, long sentAt, String peer, boolean blocked) implements Payload {
        public Block { ContentFields.requireUsername(peer, "peer"); }
        public int type() { return 0x15; }
    }

    /** A type this version does not know; receivers ignore it (forward compatibility). */
    record Unknown(String id, long sentAt, int type, byte[] body) implements Payload {
        public Unknown { body = body.clone(); }
        @Override public byte[] body() { return body.clone(); }
    }
}
