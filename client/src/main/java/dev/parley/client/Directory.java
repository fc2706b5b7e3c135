package dev.parley.client;

import dev.parley.client.ClientException.Reason;
import dev.parley.client.net.ServerAddress;
import dev.parley.client.net.ServerConnection;
import dev.parley.client.net.ServerError;
import dev.parley.client.store.ClientStore;
import dev.parley.client.store.ClientStore.Account;
import dev.parley.protocol.payload.TrustState;
import dev.parley.protocol.safety.SafetyNumber;
import dev.parley.wire.ErrorCode;
import dev.parley.wire.frames.DirectoryFrames.FindUsers;
import dev.parley.wire.frames.DirectoryFrames.GetPublicKeys;
import dev.parley.wire.frames.DirectoryFrames.PublicKeys;
import dev.parley.wire.frames.DirectoryFrames.UserKeys;
import dev.parley.wire.frames.SessionFrames.GetServerLimits;
import dev.parley.wire.frames.SessionFrames.ServerLimits;
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
 *
 * <p>Directory modes ({@code server_limits.directory}, asked at each login): in an open
 * directory the whole list is asked ({@code get_public_keys}); in a private one it never is:
 * the contacts this client knows are looked up by exact name ({@code find_users}, in batches
 * of {@link #LOOKUP_BATCH}), so the server pushes their changes to this connection, and
 * {@link #users()} lists the accounts this client knows. {@link #find} looks one name up in
 * either mode.
 */
final class Directory {

    private final ClientStore store;
    private final Supplier<Messaging> messaging;
    private final Supplier<ServerConnection> connection;
    private final Supplier<ServerAddress> server;
    private final ParleyListener listener;
    private final Duration timeout;
    /** Names per {@code find_users}: under the server's default of 60 names a minute. */
    static final int LOOKUP_BATCH = 50;
    /** The server's mode as last asked: "open" until a login says otherwise. */
    private volatile String mode = "open";

    Directory(ClientStore store, Supplier<Messaging> messaging, Supplier<ServerConnection> connection,
            Supplier<ServerAddress> server, ParleyListener listener, Duration timeout) {
        this.store = store;
        this.messaging = messaging;
        this.connection = connection;
        this.server = server;
        this.listener = listener;
        this.timeout = timeout;
    }

    /**
     * Every account on the server in an open directory; in a private one the accounts this
     * client knows (its contacts and this account, looked up again for presence). With presence
     * and look-alike names, after recording their identities.
     */
    List<DirectoryEntry> users() throws ClientException {
        ServerConnection current = opened();
        try {
            return new Identities(store).withLookAlikes(refresh(current));
        } catch (ServerError e) {
            throw ServerErrors.refused("directory", e);
        }
    }

    /** The directory mode the server said at the last login: "open" or "private". */
    String mode() {
        return mode;
    }

    /**
     * Asks the server's mode, then the whole directory (open: also subscribes the connection to
     * its changes) or the known contacts by exact name (private; a look-up refused for the rate
     * leaves the rest unknown until the next refresh).
     */
    List<DirectoryEntry> refresh(ServerConnection opened) throws ClientException, ServerError {
        mode = opened.request(new GetServerLimits(opened.nextRequestId()), ServerLimits.class, timeout).directory();
        if (!mode.equals("private")) {
            return observe(opened.request(new GetPublicKeys(opened.nextRequestId()), PublicKeys.class, timeout).users());
        }
        List<String> names = new ArrayList<>(store.contacts().stream().map(Contact::username).toList());
        Account account = store.account().orElse(null);
        if (account != null) {
            names.add(account.username());
        }
        List<DirectoryEntry> entries = new ArrayList<>();
        try {
            entries.addAll(lookUp(opened, names));
        } catch (ServerError e) {
            if (e.code().orElse(null) != ErrorCode.RATE_LIMITED) {
                throw e;
            }
        }
        return entries;
    }

    /** Looks {@code username} up by exact name (either mode); empty when there is no such account. */
    Optional<DirectoryEntry> find(String username) throws ClientException {
        ServerConnection current = opened();
        try {
            return lookUp(current, List.of(username)).stream().filter(e -> e.username().equals(username)).findFirst()
                    .map(e -> new Identities(store).withLookAlikes(List.of(e)).getFirst());
        } catch (ServerError e) {
            throw ServerErrors.refused("user look-up", e);
        }
    }

    /** {@code find_users} in batches; records the identities found. */
    private List<DirectoryEntry> lookUp(ServerConnection opened, List<String> names) throws ClientException, ServerError {
        List<String> distinct = names.stream().distinct().toList();
        List<DirectoryEntry> entries = new ArrayList<>();
        for (int i = 0; i < distinct.size(); i += LOOKUP_BATCH) {
            List<String> batch = distinct.subList(i, Math.min(distinct.size(), i + LOOKUP_BATCH));
            entries.addAll(observe(opened.request(new FindUsers(opened.nextRequestId(), batch), PublicKeys.class, timeout).users()));
        }
        return entries;
    }

    private ServerConnection opened() throws ClientException {
        ServerConnection current = connection.get();
        if (current == null || !current.isOpen()) {
            throw new ClientException(Reason.SERVER_UNREACHABLE, "not connected to " + where());
        }
        return current;
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
            find(username);
            known = store.contact(username);
        }
        return known.orElseThrow(() -> new ClientException(Reason.UNKNOWN_USER, "there is no user " + username
                + (server.get() == null ? " known to this client" : " on " + server.get())));
    }

    private String where() {
        return server.get() == null ? "a server" : server.get().toString();
    }
}
