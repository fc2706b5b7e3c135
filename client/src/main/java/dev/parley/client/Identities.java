package dev.parley.client;

import dev.parley.client.store.ClientStore;
import dev.parley.protocol.keys.PublicIdentity;
import java.util.Optional;

/**
 * Trust in contacts' identities (CRYPTO.md §2.2): the first identity seen for a name is
 * trusted on first use; a different one later is an identity change, which blocks sending to
 * a contact that had been verified until the new safety number is verified.
 */
final class Identities {

    /** The outcome of observing an identity: the contact as stored now, and whether it changed. */
    record Observed(Contact contact, boolean changed) {}

    private final ClientStore store;

    Identities(ClientStore store) {
        this.store = store;
    }

    /** Records {@code identity} for {@code username} (directory, bundle or first message). */
    Observed observe(String username, PublicIdentity identity) {
        Optional<Contact> known = store.contact(username);
        if (known.isEmpty()) {
            Contact contact = new Contact(username, identity, Contact.Trust.UNVERIFIED);
            store.saveContact(contact);
            return new Observed(contact, false);
        }
        Contact before = known.get();
        if (before.identity().equals(identity)) {
            return new Observed(before, false);
        }
        Contact.Trust trust = before.trust() == Contact.Trust.UNVERIFIED ? Contact.Trust.UNVERIFIED : Contact.Trust.CHANGED;
        Contact after = new Contact(username, identity, trust);
        store.saveContact(after);
        return new Observed(after, true);
    }

    static ClientException refusal(Contact contact) {
        return new ClientException(ClientException.Reason.IDENTITY_CHANGED, "the identity key of " + contact.username()
                + " changed since you verified it; nothing was sent. Compare the new safety number ('parley safety-number "
                + contact.username() + "') with " + contact.username() + " over another channel, then accept it with"
                + " 'parley verify " + contact.username() + " NUMBER'");
    }
}
