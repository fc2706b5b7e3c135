package dev.parley.client;

import dev.parley.protocol.keys.PublicIdentity;
import java.util.List;

/**
 * One account in the server's directory.
 *
 * @param trust this client's trust in the identity; {@code null} for the client's own account
 * @param looksLike the other accounts (in the directory or known to this client, this account
 *     included) whose names look like this one ({@link dev.parley.wire.UsernameSkeleton}), sorted; empty for most
 */
public record DirectoryEntry(String username, PublicIdentity identity, boolean online, Contact.Trust trust,
        List<String> looksLike) {

    public DirectoryEntry {
        looksLike = List.copyOf(looksLike);
    }

    public DirectoryEntry(String username, PublicIdentity identity, boolean online, Contact.Trust trust) {
        this(username, identity, online, trust, List.of());
    }

    public boolean isSelf() {
        return trust == null;
    }
}
