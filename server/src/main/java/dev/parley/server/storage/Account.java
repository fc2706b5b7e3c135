package dev.parley.server.storage;

import dev.parley.wire.frames.AuthFrames.IdentityKeys;

/**
 * A registered username bound to one device identity.
 *
 * @param recoveryHash  SHA-256 of the client-generated recovery code; a {@code reset} must
 *                      present the code itself
 * @param identitySince ms since the epoch when the current identity was bound
 */
public record Account(String username, IdentityKeys identity, byte[] recoveryHash, long createdAt, long identitySince) {

    @Override
    public String toString() {
        return "Account[" + username + "]"; // no key material in logs
    }
}
