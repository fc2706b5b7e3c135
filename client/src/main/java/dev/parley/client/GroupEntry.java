package dev.parley.client;

/**
 * One line of a group's history: a text ({@link Kind#TEXT}, received, sent here or sent by
 * another device of this account), a system line for a change applied ("alice added bob"), or a
 * warning for a change refused (its reason code and who sent it). {@code group} is the group id
 * (43 characters); {@code from} the sender (or the change's author); {@code device} the sending
 * device (0 for what this device sent or wrote); {@code serverTime} 0 when none. Prints no text.
 */
public record GroupEntry(String group, String id, String from, int device, boolean outgoing, Kind kind, String text,
        long sentAt, long serverTime) {

    /** What the line is. */
    public enum Kind { TEXT, SYSTEM, WARNING }

    @Override
    public String toString() {
        return "GroupEntry[group=" + group + ", id=" + id + ", from=" + from + ", device=" + device + ", " + kind
                + (outgoing ? ", outgoing" : "") + "]";
    }
}
