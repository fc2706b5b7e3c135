package dev.parley.server.auth;

import dev.parley.server.gateway.Connection;
import dev.parley.server.gateway.Json;
import java.security.SecureRandom;

/** Issues the single-use 32-byte nonces that auth signatures cover. */
public final class Challenges {

    private final SecureRandom random;

    public Challenges(SecureRandom random) {
        this.random = random;
    }

    /** Gives the connection a fresh challenge (voiding any earlier one) and sends it. */
    public void issue(Connection connection) {
        byte[] nonce = new byte[AuthMessage.NONCE_BYTES];
        random.nextBytes(nonce);
        connection.setChallenge(nonce);
        connection.send(Json.frame("challenge").put("nonce", Json.base64(nonce)));
    }
}
