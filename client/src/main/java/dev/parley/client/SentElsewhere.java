package dev.parley.client;

/**
 * A text this account sent to {@code to} from another of its devices, as that device's sent
 * transcript (sync payload 0x06) reported it; stored in the history as an outgoing message.
 *
 * @param device the id of the own device that sent it
 */
public record SentElsewhere(String to, String id, String text, long sentAt, int device) {

    @Override
    public String toString() {
        return "SentElsewhere[to=" + to + ", device=" + device + ", id=" + id + ", sentAt=" + sentAt + "]";
    }
}
