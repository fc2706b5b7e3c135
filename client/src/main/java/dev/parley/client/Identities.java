package dev.parley.client;

import dev.parley.client.sessions.Bundles;
import dev.parley.client.store.ClientStore;
import dev.parley.client.store.UndeliveredStore;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.keys.PublicIdentity;
import dev.parley.wire.UsernameSkeleton;
import dev.parley.wire.frames.DirectoryFrames.UserKeys;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Trust in contacts' identities (CRYPTO.md §2.2): the first identity seen for a name is
 * trusted on first use; a different one later is an identity change, which blocks sending to
 * a contact that had been verified until the new safety number is verified.
 */
final class Identities {

    /**
     * The outcome of observing an identity: the contact as stored now, whether it changed, and
     * the texts the change left undelivered (their ids, in order; see {@link UndeliveredStore}).
     */
    record Observed(Contact contact, boolean changed, List<String> undelivered) {

        Observed(Contact contact) {
            this(contact, false, List.of());
        }

        /** Tells the listener about a change: the new identity, then the texts it left undelivered. */
        void report(ParleyListener listener) {
            if (changed) {
                UnpromptedFrames.safely(() -> listener.onIdentityChanged(contact));
                if (!undelivered.isEmpty()) {
                    UnpromptedFrames.safely(() -> listener.onUndelivered(contact.username(), undelivered));
                }
            }
        }
    }

    private final ClientStore store;

    Identities(ClientStore store) {
        this.store = store;
    }

    /** Records {@code identity} for {@code username} (directory, bundle or first message). */
    Observed observe(String username, PublicIdentity identity) {
        Optional<Contact> known = store.contact(username);
        if (known.isEmpty()) {
            Contact.Trust trust = store.linkedTrust(username, identity).orElse(Contact.Trust.UNVERIFIED);
            Contact contact = new Contact(username, identity, trust);
            store.saveContact(contact);
            return new Observed(contact);
        }
        Contact before = known.get();
        if (before.identity().equals(identity)) {
            return new Observed(before);
        }
        Contact.Trust trust = before.trust() == Contact.Trust.UNVERIFIED ? Contact.Trust.UNVERIFIED : Contact.Trust.CHANGED;
        Contact after = new Contact(username, identity, trust);
        List<String> undelivered = new ArrayList<>();
        store.transaction(() -> {
            store.saveContact(after);
            store.devices.forgetList(username); // signed by the old identity: versions restart with the new one
            undelivered.addAll(store.undelivered.markUndelivered(username, identity));
        });
        return new Observed(after, true, List.copyOf(undelivered));
    }

    /**
     * Records every identity of a directory listing or push ({@code users} array of
     * {@code public_keys}); an identity whose binding signature does not verify is skipped.
     * Observations of contacts whose identity changed are added to {@code changed}.
     */
    List<DirectoryEntry> observeDirectory(List<UserKeys> users, String self, List<Observed> changed) {
        List<DirectoryEntry> entries = new ArrayList<>();
        for (UserKeys user : users) {
            String name = user.username();
            PublicIdentity identity;
            try {
                identity = Bundles.verifiedIdentity(user.identity());
            } catch (ProtocolException e) {
                continue;
            }
            boolean online = user.online();
            if (name.equals(self)) {
                entries.add(new DirectoryEntry(name, identity, online, null));
                continue;
            }
            Observed observed = observe(name, identity);
            if (observed.changed()) {
                changed.add(observed);
            }
            entries.add(new DirectoryEntry(name, identity, online, observed.contact().trust()));
        }
        return entries;
    }

    /**
     * The entries with their look-alikes ({@link DirectoryEntry#looksLike()}) among the listed
     * names and every contact known here: one skeleton per name, grouped, so a large directory
     * costs linear time.
     */
    List<DirectoryEntry> withLookAlikes(List<DirectoryEntry> entries) {
        Set<String> names = new HashSet<>();
        entries.forEach(entry -> names.add(entry.username()));
        store.contacts().forEach(contact -> names.add(contact.username()));
        Map<String, List<String>> bySkeleton = names.stream().collect(Collectors.groupingBy(UsernameSkeleton::of));
        return entries.stream().map(entry -> new DirectoryEntry(entry.username(), entry.identity(), entry.online(),
                entry.trust(), bySkeleton.get(UsernameSkeleton.of(entry.username())).stream()
                        .filter(name -> !name.equals(entry.username())).sorted().toList())).toList();
    }

    /** The contacts known here, and {@code self}, whose names look like {@code username} (not itself), sorted. */
    List<String> lookAlikes(String username, String self) {
        List<String> names = new ArrayList<>(store.contacts().stream().map(Contact::username).toList());
        if (self != null) {
            names.add(self);
        }
        String skeleton = UsernameSkeleton.of(username);
        return names.stream().filter(other -> !other.equals(username) && UsernameSkeleton.of(other).equals(skeleton))
                .distinct().sorted().toList();
    }

    static ClientException refusal(Contact contact) {
        return new ClientException(ClientException.Reason.IDENTITY_CHANGED, "the identity key of " + contact.username()
                + " changed since you verified it; nothing was sent. Compare the new safety number ('parley safety-number "
                + contact.username() + "') with " + contact.username() + " over another channel, then accept it with"
                + " 'parley verify " + contact.username() + " NUMBER'");
    }
}
