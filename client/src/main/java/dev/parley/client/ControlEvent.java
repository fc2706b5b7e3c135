package dev.parley.client;

/**
 * An edit, delete, reaction or timer change (docs/CLIENT-MODEL.md, "Message content and
 * controls"), applied here ({@link ParleyListener#onControl}) or refused
 * ({@link ParleyListener#onControlRefused}). Prints no text or emoji.
 *
 * @param conversation the user, or the group by its id
 * @param from the account that sent it; {@code device} its device (0: this device)
 * @param id the control's own id
 * @param targetAuthor whose message it is about (an edit or delete: {@code from}); null for a timer
 * @param target the message's id; null for a timer
 * @param text an edit's new text, else null
 * @param emoji a reaction's emoji ("" removes it), else null
 * @param seconds a timer's value (0: off), else 0
 */
public record ControlEvent(Kind kind, ConversationRef conversation, String from, int device, String id,
        String targetAuthor, String target, String text, String emoji, int seconds) {

    /** What the control does. */
    public enum Kind { EDIT, DELETE, REACTION, TIMER }

    @Override
    public String toString() {
        return "ControlEvent[" + kind + ", " + conversation + ", from=" + from + ", device=" + device + ", id=" + id
                + ", target=" + targetAuthor + "/" + target + (kind == Kind.TIMER ? ", seconds=" + seconds : "") + "]";
    }
}
