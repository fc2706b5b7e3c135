package dev.parley.server.auth;

import dev.parley.server.gateway.ClientConnection;
import dev.parley.wire.WireLimits;
import dev.parley.wire.frames.SessionFrames.Challenge;
import java.security.SecureRandom;

/** Issues the single-use 32-byte nonces that auth signatures cover. */
public final class Challenges {

    private final SecureRandom random;

    public Challenges(SecureRandom random) {
        this.random = random;
    }

    /** Gives the connection a fresh challenge (voiding any earlier one) and sends it. */
    public void issue(ClientConnection connection) {
        byte[] nonce = new byte[WireLimits.NONCE_BYTES];
        random.nextBytes(nonce);
        connection.setChallenge(nonce);
        connection.send(new Challenge(nonce));
    }
}
