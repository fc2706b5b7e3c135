package dev.parley.server.directory;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.server.auth.AuthHandlers;
import dev.parley.server.gateway.Connection;
import dev.parley.server.gateway.Frame;
import dev.parley.server.gateway.Json;
import dev.parley.server.gateway.OnlineUsers;
import dev.parley.server.storage.Account;
import dev.parley.server.storage.AccountStore;

/**
 * The directory: usernames, their public identities and presence. A connection that asked
 * for the directory once ({@code get_public_keys}) is kept up to date with pushes:
 * {@code public_keys} with {@code complete: false} for new or reset accounts, and
 * {@code presence} when a user comes online or goes offline.
 */
public final class DirectoryHandlers {

    private final AccountStore accounts;
    private final OnlineUsers online;

    public DirectoryHandlers(AccountStore accounts, OnlineUsers online) {
        this.accounts = accounts;
        this.online = online;
    }

    public void getPublicKeys(Connection connection, Frame frame) {
        ObjectNode reply = Json.reply("public_keys", frame.idOrNull()).put("complete", true);
        ArrayNode users = reply.putArray("users");
        for (Account account : accounts.all()) {
            users.add(entry(account));
        }
        online.subscribeToDirectory(connection);
        connection.send(reply);
    }

    /** Pushes the account's current identity to every subscriber (new account or reset). */
    public void accountChanged(String username) {
        if (online.directorySubscribers().isEmpty()) {
            return;
        }
        accounts.find(username).ifPresent(account -> {
            ObjectNode push = Json.frame("public_keys").put("complete", false);
            push.putArray("users").add(entry(account));
            broadcast(Json.write(push));
        });
    }

    public void presenceChanged(String username, boolean isOnline) {
        if (online.directorySubscribers().isEmpty()) {
            return;
        }
        broadcast(Json.write(Json.frame("presence").put("username", username).put("online", isOnline)));
    }

    private void broadcast(String text) {
        for (Connection connection : online.directorySubscribers()) {
            connection.sendRaw(text);
        }
    }

    private ObjectNode entry(Account account) {
        ObjectNode user = Json.MAPPER.createObjectNode().put("username", account.username());
        user.set("identity", AuthHandlers.identityJson(account.identity()));
        user.put("online", online.isOnline(account.username()));
        return user;
    }
}
