package dev.parley.server.storage;

/**
 * A link channel: the new device's sealed request, and once approved the account, the new
 * device's id and the link message sealed to it ({@code sealed}, else null).
 *
 * @param channel SHA-256 of the new device's one-time key
 */
public record LinkChannel(byte[] channel, byte[] request, long expiresAt, String username, Integer device, byte[] sealed) {

    public boolean approved() {
        return sealed != null;
    }

    public boolean expired(long now) {
        return expiresAt <= now;
    }

    /** Lengths only: the sealed request and link message stay out of logs. */
    @Override
    public String toString() {
        return "LinkChannel[expiresAt=" + expiresAt + ", approved=" + approved() + "]";
    }
}
