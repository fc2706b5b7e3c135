package dev.parley.protocol.payload;

/**
 * One message of a history chunk (sync payload 0x0A):
 * {@code u8 direction (0 in, 1 out) || u8 len || utf8 peer || u8 len || utf8 id || u64 sentAt || u32 len || utf8 text}.
 * {@code peer} is the contact the message was exchanged with (a username), {@code messageId} the
 * message's client id (1..64 bytes). Prints no text.
 */
public record HistoryEntry(Direction direction, String peer, String messageId, long sentAt, String text) {

    /** Which way the message went. */
    public enum Direction {
        INCOMING, OUTGOING;

        public int code() {
            return ordinal();
        }

        /** @throws IllegalArgumentException for a byte other than 0 or 1 */
        public static Direction fromCode(int code) {
            return switch (code) {
                case 0 -> INCOMING;
                case 1 -> OUTGOING;
                default -> throw new IllegalArgumentException("history direction byte " + code + " is not 0 or 1");
            };
        }
    }

    public HistoryEntry {
        if (direction == null || text == null) {
            throw new IllegalArgumentException("history entry needs a direction and a text");
        }
        SyncFields.requirePeer(peer);
        SyncFields.requireMessageId(messageId);
        SyncFields.requireTimestamp(sentAt, "history entry sentAt");
    }

    @Override
    public String toString() {
        return "HistoryEntry[" + direction + ", peer=" + peer + ", id=" + messageId + ", sentAt=" + sentAt + "]";
    }
}
