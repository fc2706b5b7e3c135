package dev.parley.client;

import dev.parley.protocol.keys.PublicIdentity;

/**
 * One account in the server's directory.
 *
 * @param trust this client's trust in the identity; {@code null} for the client's own account
 */
public record DirectoryEntry(String username, PublicIdentity identity, boolean online, Contact.Trust trust) {

    public boolean isSelf() {
        return trust == null;
    }
}
