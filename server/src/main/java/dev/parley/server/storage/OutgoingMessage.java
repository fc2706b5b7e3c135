package dev.parley.server.storage;

import dev.parley.wire.frames.DeliveryFrames.DeviceEnvelope;
import java.util.List;

/**
 * A send as {@link MessageStore#append} takes it: one copy per device of the recipient's list,
 * from device {@code senderDevice} of {@code sender}. {@code content} is the ciphertext every
 * copy shares, or null.
 */
public record OutgoingMessage(String recipient, String sender, int senderDevice, String messageId, String content,
                              List<DeviceEnvelope> copies, long serverTime, long expiresAt) {

    public OutgoingMessage {
        copies = List.copyOf(copies);
    }

    /** The characters one copy stores (its envelope and the shared content): what the byte quota counts. */
    public int storedChars(DeviceEnvelope copy) {
        return copy.envelope().length() + (content == null ? 0 : content.length());
    }

    /** Lengths only: ciphertext never reaches a log. */
    @Override
    public String toString() {
        return "OutgoingMessage[" + sender + "/" + senderDevice + "->" + recipient + ", id=" + messageId + ", copies="
                + copies + "]";
    }
}
