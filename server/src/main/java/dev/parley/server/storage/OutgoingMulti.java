package dev.parley.server.storage;

import dev.parley.wire.frames.DeliveryFrames.MultiDevice;
import dev.parley.wire.frames.DeliveryFrames.MultiRecipient;
import java.util.List;

/**
 * A {@code send_multi} as {@link MessageStore#appendMulti} takes it: from device
 * {@code senderDevice} of {@code sender}, to each account of {@code recipients} (known
 * accounts only, each once). {@code content}, when not null, is stored once as the message's
 * body, and every copy refers to it; each copy also holds its device's own envelope, if any.
 */
public record OutgoingMulti(String sender, int senderDevice, String messageId, String content,
                            List<MultiRecipient> recipients, long serverTime, long expiresAt) {

    public OutgoingMulti {
        recipients = List.copyOf(recipients);
    }

    /** The characters one copy stores in its own row (its envelope): the body is counted once, apart. */
    public static int storedChars(MultiDevice copy) {
        return copy.envelope() == null ? 0 : copy.envelope().length();
    }

    /** The body's characters, 0 without content. */
    public int bodyChars() {
        return content == null ? 0 : content.length();
    }

    /** Lengths only: ciphertext never reaches a log. */
    @Override
    public String toString() {
        return "OutgoingMulti[" + sender + "/" + senderDevice + ", id=" + messageId + ", content="
                + (content == null ? "none" : content.length() + " chars") + ", recipients=" + recipients + "]";
    }
}
