package dev.parley.server.directory;

import dev.parley.server.cluster.AccountPresence;
import dev.parley.server.config.DirectorySettings;
import dev.parley.server.gateway.ClientConnection;
import dev.parley.server.gateway.OnlineUsers;
import dev.parley.server.limits.KeyedRateLimiter;
import dev.parley.server.storage.Account;
import dev.parley.server.storage.AccountStore;
import dev.parley.wire.ErrorCode;
import dev.parley.wire.FrameCatalogue;
import dev.parley.wire.FrameRefused;
import dev.parley.wire.WireFrame;
import dev.parley.wire.frames.DirectoryFrames.FindUsers;
import dev.parley.wire.frames.DirectoryFrames.GetPublicKeys;
import dev.parley.wire.frames.DirectoryFrames.Presence;
import dev.parley.wire.frames.DirectoryFrames.PublicKeys;
import dev.parley.wire.frames.DirectoryFrames.UserKeys;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The directory: usernames, their public identities and presence (docs/PROTOCOL.md §4).
 *
 * <p>In an open directory, a connection that asked for the whole list once
 * ({@code get_public_keys}) is a subscriber and hears of every account. In a private one,
 * {@code get_public_keys} is refused with {@code directory_private} and nothing ever sends the
 * list of accounts. In both, {@code find_users} looks accounts up by exact name (limited per
 * account, counting names, so that a private directory cannot be enumerated) and makes the
 * connection a {@link Watchers watcher} of those it found.
 *
 * <p>Pushes: {@code public_keys} with {@code complete: false} when an account is reset (and, to
 * open-directory subscribers only, when one is created), and {@code presence} when a user comes
 * online (its first device) or goes offline (its last), each to the subscribers and the
 * account's watchers. A push is encoded once for all its receivers.
 *
 * <p>Subscribers and watchers are this node's connections; presence is the cluster's
 * ({@link AccountPresence}): in cluster mode each node pushes what the cluster tells it to its own.
 */
public final class DirectoryHandlers {

    private final AccountStore accounts;
    private final OnlineUsers online;
    private final AccountPresence presence;
    private final DirectorySettings settings;
    private final Watchers watchers;
    private final KeyedRateLimiter lookups;

    /**
     * @param lookups names looked up per account, {@link DirectorySettings#lookupsPerMinute()} a minute
     */
    public DirectoryHandlers(AccountStore accounts, OnlineUsers online, AccountPresence presence, DirectorySettings settings,
                             Watchers watchers, KeyedRateLimiter lookups) {
        this.accounts = accounts;
        this.online = online;
        this.presence = presence;
        this.settings = settings;
        this.watchers = watchers;
        this.lookups = lookups;
    }

    public void getPublicKeys(ClientConnection connection, GetPublicKeys request) {
        if (settings.mode() == DirectorySettings.Mode.PRIVATE) {
            throw new FrameRefused(ErrorCode.DIRECTORY_PRIVATE,
                    "this server's directory is private; look users up by exact name with find_users");
        }
        List<UserKeys> users = accounts.all().stream().map(this::entry).toList();
        online.subscribeToDirectory(connection);
        connection.send(new PublicKeys(request.id(), true, users));
    }

    /**
     * The accounts among the asked names that exist (absent ones are left out, in the asked
     * order, each once). The names count against the account's lookups before anything is read,
     * so a refused request tells nothing.
     */
    public void findUsers(ClientConnection connection, FindUsers request) {
        Set<String> names = new LinkedHashSet<>(request.usernames());
        if (!lookups.bucket(connection.username()).tryConsume(names.size())) {
            throw new FrameRefused(ErrorCode.RATE_LIMITED, "too many username look-ups; try later");
        }
        List<UserKeys> found = new ArrayList<>();
        for (String name : names) {
            Optional<Account> account = accounts.find(name);
            if (account.isPresent()) {
                watchers.watch(connection, name);
                found.add(entry(account.get()));
            }
        }
        connection.send(new PublicKeys(request.id(), false, found));
    }

    /** A new account: only open-directory subscribers hear of it (nobody can watch a name before it exists). */
    public void accountCreated(String username) {
        if (online.directorySubscribers().isEmpty()) {
            return;
        }
        accounts.find(username).ifPresent(account -> send(new PublicKeys(null, false, List.of(entry(account))), receivers(username)));
    }

    /** Pushes the account's new identity (reset) to its subscribers and watchers. */
    public void accountChanged(String username) {
        Set<ClientConnection> receivers = receivers(username);
        if (receivers.isEmpty()) {
            return;
        }
        accounts.find(username).ifPresent(account -> send(new PublicKeys(null, false, List.of(entry(account))), receivers));
    }

    public void presenceChanged(String username, boolean isOnline) {
        Set<ClientConnection> receivers = receivers(username);
        if (!receivers.isEmpty()) {
            send(new Presence(username, isOnline), receivers);
        }
    }

    /** Who hears of {@code username}'s changes: the open directory's subscribers and the account's watchers. */
    public Set<ClientConnection> receivers(String username) {
        Set<ClientConnection> receivers = new LinkedHashSet<>(online.directorySubscribers());
        receivers.addAll(watchers.of(username));
        return receivers;
    }

    /** Forgets what a closed connection watched. */
    public void closed(ClientConnection connection) {
        watchers.closed(connection);
    }

    private static void send(WireFrame push, Set<ClientConnection> receivers) {
        String text = FrameCatalogue.encode(push);
        for (ClientConnection connection : receivers) {
            connection.sendEncoded(text);
        }
    }

    private UserKeys entry(Account account) {
        return new UserKeys(account.username(), account.identity(), presence.isOnline(account.username()));
    }
}
