package dev.parley.server.directory;

import dev.parley.server.gateway.ClientConnection;
import dev.parley.server.gateway.OnlineUsers;
import dev.parley.server.storage.Account;
import dev.parley.server.storage.AccountStore;
import dev.parley.wire.FrameCatalogue;
import dev.parley.wire.WireFrame;
import dev.parley.wire.frames.DirectoryFrames.GetPublicKeys;
import dev.parley.wire.frames.DirectoryFrames.Presence;
import dev.parley.wire.frames.DirectoryFrames.PublicKeys;
import dev.parley.wire.frames.DirectoryFrames.UserKeys;
import java.util.List;

/**
 * The directory: usernames, their public identities and presence. A connection that asked
 * for the directory once ({@code get_public_keys}) is kept up to date with pushes:
 * {@code public_keys} with {@code complete: false} for new or reset accounts, and
 * {@code presence} when a user comes online (its first device) or goes offline (its last). A push is encoded once for all
 * its subscribers.
 */
public final class DirectoryHandlers {

    private final AccountStore accounts;
    private final OnlineUsers online;

    public DirectoryHandlers(AccountStore accounts, OnlineUsers online) {
        this.accounts = accounts;
        this.online = online;
    }

    public void getPublicKeys(ClientConnection connection, GetPublicKeys request) {
        List<UserKeys> users = accounts.all().stream().map(this::entry).toList();
        online.subscribeToDirectory(connection);
        connection.send(new PublicKeys(request.id(), true, users));
    }

    /** Pushes the account's current identity to every subscriber (new account or reset). */
    public void accountChanged(String username) {
        if (online.directorySubscribers().isEmpty()) {
            return;
        }
        accounts.find(username).ifPresent(account -> broadcast(new PublicKeys(null, false, List.of(entry(account)))));
    }

    public void presenceChanged(String username, boolean isOnline) {
        if (online.directorySubscribers().isEmpty()) {
            return;
        }
        broadcast(new Presence(username, isOnline));
    }

    private void broadcast(WireFrame push) {
        String text = FrameCatalogue.encode(push);
        for (ClientConnection connection : online.directorySubscribers()) {
            connection.sendEncoded(text);
        }
    }

    private UserKeys entry(Account account) {
        return new UserKeys(account.username(), account.identity(), online.isOnline(account.username()));
    }
}
