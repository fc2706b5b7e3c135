package dev.parley.bench;

import dev.parley.bench.crypto.ParleyDevice;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.crypto.MlKem768;
import dev.parley.protocol.crypto.Randomness;
import dev.parley.protocol.handshake.Initiator;
import dev.parley.protocol.payload.Padding;
import dev.parley.protocol.payload.Payload;
import dev.parley.protocol.session.PeerSessions;
import dev.parley.protocol.session.PeerSessionsCodec;
import dev.parley.protocol.session.Session;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Real 1:1 sessions (CRYPTO.md §2-3) between the group's sending device and each recipient
 * device, set up in the load generator as two clients would: the sender runs PQXDH against the
 * device's bundle and sends a first message, the device accepts it and answers, and the sender
 * decrypts the answer. After that the sender's messages are ordinary ratchet messages (an
 * initiator repeats its PreKeyMessage, with its ML-KEM ciphertext, until it hears back, which
 * would inflate the pairwise baseline). The server plays no part: it relays ciphertext only.
 *
 * <p>Both ends are kept: the sender's end encrypts every pairwise message of the scenario, the
 * device's end lets {@link GroupVerifier} open what a sampled member received.
 */
final class PairwiseSessions {

    /** One recipient device: its keys and both ends of its session with the sender. Not thread-safe. */
    static final class Peer {
        final String username;
        final int device;
        final ParleyDevice keys;
        PeerSessions senderEnd = new PeerSessions();
        final PeerSessions deviceEnd = new PeerSessions();

        Peer(String username, int device, ParleyDevice keys) {
            this.username = username;
            this.device = device;
            this.keys = keys;
        }

        /** The sender encrypts a padded payload for this device (advancing its session). */
        byte[] encrypt(byte[] padded) throws ProtocolException {
            return senderEnd.encrypt(padded);
        }

        /** This device decrypts a pairwise message from the sender; returns the padded payload. */
        byte[] decrypt(byte[] message, Randomness randomness) throws ProtocolException {
            return deviceEnd.decrypt(message, keys.identity, keys.capabilities, keys, randomness, Instant.now()).plaintext();
        }

        @Override
        public String toString() {
            return "Peer[" + username + "/" + device + "]";
        }
    }

    private final ParleyDevice sender;
    private final Randomness randomness;

    PairwiseSessions(ParleyDevice sender, Randomness randomness) {
        this.sender = sender;
        this.randomness = randomness;
    }

    ParleyDevice sender() {
        return sender;
    }

    /** Sets up a session with each peer (PQXDH, first message, answer); in parallel, setup is not measured. */
    void establish(List<Peer> peers) {
        peers.parallelStream().forEach(peer -> {
            try {
                establish(peer);
            } catch (ProtocolException e) {
                throw new IllegalStateException("session with " + peer + " failed: " + e.getMessage(), e);
            }
        });
    }

    private void establish(Peer peer) throws ProtocolException {
        peer.senderEnd.adoptInitiated(Session.initiated(Initiator.start(sender.identity, peer.keys.bundle(), randomness,
                MlKem768.encapsulator(randomness))));
        byte[] first = peer.senderEnd.encrypt(Padding.encodeAndPad(new Payload.Text("hello-" + peer.device, 0, "hello")));
        peer.decrypt(first, randomness);
        byte[] answer = peer.deviceEnd.encrypt(Padding.encodeAndPad(new Payload.Text("answer-" + peer.device, 0, "hello")));
        peer.senderEnd.decrypt(answer, sender.identity, sender.capabilities, sender, randomness, Instant.now());
    }

    /**
     * Saves the sender's ends; running the returned action puts them back. The cost phase
     * encrypts messages that are measured but never delivered, and the delivered sessions must
     * not skip ahead over them.
     */
    static Runnable saveSenderEnds(List<Peer> peers) {
        Map<Peer, byte[]> saved = new HashMap<>();
        peers.forEach(peer -> saved.put(peer, PeerSessionsCodec.encode(peer.senderEnd)));
        return () -> saved.forEach((peer, record) -> {
            try {
                peer.senderEnd = PeerSessionsCodec.decode(record);
            } catch (ProtocolException e) {
                throw new IllegalStateException("session record of " + peer + " does not decode", e);
            }
        });
    }
}
