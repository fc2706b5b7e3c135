package dev.parley.client;

import dev.parley.client.ClientException.Reason;
import dev.parley.client.net.ServerAddress;
import dev.parley.client.net.ServerConnection;
import dev.parley.client.net.ServerError;
import dev.parley.client.store.ClientStore;
import dev.parley.client.store.ClientStore.Account;
import dev.parley.protocol.payload.TrustState;
import dev.parley.protocol.safety.SafetyNumber;
import dev.parley.wire.frames.DirectoryFrames.GetPublicKeys;
import dev.parley.wire.frames.DirectoryFrames.PublicKeys;
import dev.parley.wire.frames.DirectoryFrames.UserKeys;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The directory family (PROTOCOL.md §4) and trust in contacts: the user list and its pushes,
 * look-alike names, safety numbers and verification. Identities seen here are recorded under
 * the sessions' lock ({@link Identities}), like those seen in bundles and messages.
 */
final class Directory {

    private final ClientStore store;
    private final Supplier<Messaging> messaging;
    private final Supplier<ServerConnection> connection;
    private final Supplier<ServerAddress> server;
    private final ParleyListener listener;
    private final Duration timeout;

    Directory(ClientStore store, Supplier<Messaging> messaging, Supplier<ServerConnection> connection,
            Supplier<ServerAddress> server, ParleyListener listener, Duration timeout) {
        this.store = store;
        this.messaging = messaging;
        this.connection = connection;
        this.server = server;
        this.listener = listener;
        this.timeout = timeout;
    }

    /** Every account on the server (with presence and look-alike names), after recording their identities. */
    List<DirectoryEntry> users() throws ClientException {
        ServerConnection current = connection.get();
        if (current == null || !current.isOpen()) {
            throw new ClientException(Reason.SERVER_UNREACHABLE, "not connected to " + where());
        }
        try {
            return new Identities(store).withLookAlikes(refresh(current));
        } catch (ServerError e) {
            throw ServerErrors.refused("directory", e);
        }
    }

    /** Asks for the whole directory (and subscribes the connection to its changes). */
    List<DirectoryEntry> refresh(ServerConnection opened) throws ClientException, ServerError {
        return observe(opened.request(new GetPublicKeys(opened.nextRequestId()), PublicKeys.class, timeout).users());
    }

    /** Records the identities of a listing or push; reports changes after they are stored. */
    List<DirectoryEntry> observe(List<UserKeys> users) {
        Messaging current = messaging.get();
        List<Identities.Observed> changed = new ArrayList<>();
        List<DirectoryEntry> entries;
        current.lock.lock();
        try {
            entries = current.identities.observeDirectory(users, current.username, changed);
        } finally {
            current.lock.unlock();
        }
        changed.forEach(observed -> observed.report(listener));
        return entries;
    }

    List<String> lookAlikes(String username, String self) {
        return new Identities(store).lookAlikes(username, self);
    }

    SafetyNumber safetyNumber(Account account, String username) throws ClientException {
        Contact contact = known(username);
        return SafetyNumber.of(account.identity().publicIdentity(), account.username(), contact.identity(), username);
    }

    /**
     * Marks the contact's current identity verified if {@code digits} (spaces ignored) is its
     * safety number, and tells this account's other devices in the same transaction (trust
     * decision, sync payload 0x08: verifying on one device applies on all).
     */
    void verify(Account account, String username, String digits, OwnDevicesSync sync) throws ClientException {
        String given = digits.replaceAll("\\s", "");
        Messaging current = messaging.get();
        current.lock.lock();
        try {
            Contact contact = known(username);
            String expected = safetyNumber(account, username).digits();
            if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), given.getBytes(StandardCharsets.US_ASCII))) {
                throw new ClientException(Reason.SAFETY_NUMBER_MISMATCH, "that is not the safety number of you and "
                        + username + "; nothing was changed. Check that you compared the number for the right contact");
            }
            store.transaction(() -> {
                store.saveContact(new Contact(username, contact.identity(), Contact.Trust.VERIFIED));
                sync.trust(username, contact.identity(), TrustState.VERIFIED);
            });
        } finally {
            current.lock.unlock();
        }
    }

    /** The contact as known here, asking the server's directory first if it was never seen. */
    private Contact known(String username) throws ClientException {
        Optional<Contact> known = store.contact(username);
        ServerConnection current = connection.get();
        if (known.isEmpty() && current != null && current.isOpen()) {
            users();
            known = store.contact(username);
        }
        return known.orElseThrow(() -> new ClientException(Reason.UNKNOWN_USER, "there is no user " + username
                + (server.get() == null ? " known to this client" : " on " + server.get())));
    }

    private String where() {
        return server.get() == null ? "a server" : server.get().toString();
    }
}
