package dev.parley.client;

import dev.parley.protocol.keys.PublicIdentity;

/**
 * A user whose identity this client has seen (directory or first message), with the trust the
 * local user gave it. The first identity seen is trusted on first use; {@link Trust#VERIFIED}
 * only after the safety number was compared ({@link ParleyClient#verify}).
 */
public record Contact(String username, PublicIdentity identity, Trust trust) {

    public enum Trust {
        /** Trusted on first use, safety number not compared. */
        UNVERIFIED,
        /** The safety number for this identity was verified. */
        VERIFIED,
        /**
         * The contact was verified, then its identity changed: sending is refused until the
         * new safety number is verified.
         */
        CHANGED
    }
}
