package dev.parley.client;

import dev.parley.client.ClientException.Reason;
import dev.parley.client.sessions.Bundles;
import dev.parley.client.store.ClientStore;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.crypto.MlKem768;
import dev.parley.protocol.crypto.Randomness;
import dev.parley.protocol.handshake.Initiator;
import dev.parley.protocol.keys.IdentityKeyPair;
import dev.parley.protocol.keys.PreKeyBundle;
import dev.parley.protocol.keys.PublicIdentity;
import dev.parley.protocol.session.PeerSessions;
import dev.parley.protocol.session.PeerSessionsCodec;
import dev.parley.protocol.session.Session;
import java.util.Optional;

/**
 * Sessions per pair of devices (LINKED-DEVICES.md, "Sessions"): one {@link PeerSessions} per
 * {@code (peer, deviceId)}, started with PQXDH against that device's bundle, with the account
 * identity on both sides (so safety numbers stay per account). With one's own other devices the
 * peer identity is one's own. Callers hold {@link Messaging#lock} and commit what they advance.
 */
final class DeviceSessions {

    private final ClientStore store;
    private final IdentityKeyPair identity;
    private final String username;
    private final Randomness randomness;
    private final Messaging.Transport transport;
    private final Identities identities;
    private final ParleyListener listener;

    DeviceSessions(ClientStore store, IdentityKeyPair identity, String username, Randomness randomness,
            Messaging.Transport transport, Identities identities, ParleyListener listener) {
        this.store = store;
        this.identity = identity;
        this.username = username;
        this.randomness = randomness;
        this.transport = transport;
        this.identities = identities;
        this.listener = listener;
    }

    /** The sessions with {@code peer}'s device {@code peerDevice}, with a current one that can send to the peer's current identity. */
    PeerSessions sending(String peer, int peerDevice) throws ClientException {
        PublicIdentity expected = peer.equals(username) ? identity.publicIdentity()
                : store.contact(peer).map(Contact::identity).orElse(null);
        PeerSessions sessions = load(peer, peerDevice);
        Optional<Session> current = sessions.current();
        boolean usable = current.isPresent() && current.get().canSend()
                && (expected == null || expected.equals(current.get().remoteIdentity()));
        if (usable) {
            return sessions;
        }
        PreKeyBundle bundle = verifiedBundle(peer, peerDevice);
        if (peer.equals(username)) {
            if (!bundle.identity().equals(identity.publicIdentity())) {
                throw new ClientException(Reason.REFUSED, "the prekey bundle of this account's device " + peerDevice
                        + " is not signed by this account's identity; nothing was sent");
            }
        } else {
            Identities.Observed observed = identities.observe(peer, bundle.identity());
            if (observed.changed()) {
                observed.report(listener);
            }
            if (observed.contact().trust() == Contact.Trust.CHANGED) {
                throw Identities.refusal(observed.contact());
            }
            if (observed.changed()) {
                throw new ClientException(Reason.REFUSED, "the identity of " + peer + " changed while its devices were"
                        + " being encrypted for; it is sent again with the new identity's device list");
            }
        }
        try {
            sessions.adoptInitiated(Session.initiated(Initiator.start(identity, bundle, randomness,
                    MlKem768.encapsulator(randomness))));
        } catch (ProtocolException e) {
            throw new ClientException(Reason.FAILED, "cannot start a session with " + peer + " (device " + peerDevice + "): "
                    + e.failure(), e);
        }
        return sessions;
    }

    private PreKeyBundle verifiedBundle(String peer, int peerDevice) throws ClientException {
        var keys = transport.fetchBundle(peer, peerDevice);
        try {
            return Bundles.verified(keys);
        } catch (ProtocolException e) {
            throw new ClientException(Reason.REFUSED, "the prekey bundle of " + peer + " (device " + peerDevice
                    + ") failed verification (" + e.failure() + "); nothing was sent", e);
        }
    }

    /** The stored sessions with one device of {@code peer} (empty if none). */
    PeerSessions load(String peer, int peerDevice) throws ClientException {
        Optional<byte[]> stored = store.devices.session(peer, peerDevice);
        if (stored.isEmpty()) {
            return new PeerSessions();
        }
        try {
            return PeerSessionsCodec.decode(stored.get());
        } catch (ProtocolException e) {
            throw new ClientException(Reason.FAILED, "the stored session with " + peer + " (device " + peerDevice
                    + ") is damaged", e);
        }
    }
}
