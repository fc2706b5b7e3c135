package dev.parley.bench.crypto;

import org.signal.libsignal.protocol.SessionBuilder;
import org.signal.libsignal.protocol.SessionCipher;
import org.signal.libsignal.protocol.message.CiphertextMessage;
import org.signal.libsignal.protocol.message.PreKeySignalMessage;
import org.signal.libsignal.protocol.message.SignalMessage;

/**
 * Alice and Bob talking through libsignal-client's public API ({@link SessionBuilder},
 * {@link SessionCipher}) with its in-memory stores, which hold session records serialized and
 * load/store them on every call. Messages cross as bytes and are parsed on receipt, as with
 * {@link ParleyConversation}.
 */
final class LibsignalConversation extends BenchConversation {

    private final LibsignalDevice alice = new LibsignalDevice("alice", 1111);
    private final LibsignalDevice bob = new LibsignalDevice("bob", 2222);
    private final SessionCipher aliceCipher = new SessionCipher(alice.store, bob.address);
    private final SessionCipher bobCipher = new SessionCipher(bob.store, alice.address);

    /**
     * Session setup: Alice processes Bob's bundle (PQXDH with Kyber) and encrypts {@code first};
     * Bob decrypts the PreKeySignalMessage. Starts without sessions on both sides (Bob's
     * one-time prekey is published again first). Returns Bob's plaintext.
     */
    @Override
    byte[] setUp(byte[] first) throws Exception {
        alice.store.deleteSession(bob.address);
        bob.store.deleteSession(alice.address);
        bob.restoreOneTimePreKey();
        new SessionBuilder(alice.store, bob.address).process(bob.bundle());
        return send(aliceCipher, bobCipher, first);
    }

    @Override
    byte[] send(boolean fromAlice, byte[] plaintext) throws Exception {
        return fromAlice ? send(aliceCipher, bobCipher, plaintext) : send(bobCipher, aliceCipher, plaintext);
    }

    private static byte[] send(SessionCipher from, SessionCipher to, byte[] plaintext) throws Exception {
        CiphertextMessage message = from.encrypt(plaintext);
        return deliver(message.serialize(), message.getType(), to);
    }

    private static byte[] deliver(byte[] wire, int type, SessionCipher to) throws Exception {
        return type == CiphertextMessage.PREKEY_TYPE
                ? to.decrypt(new PreKeySignalMessage(wire))
                : to.decrypt(new SignalMessage(wire));
    }
}
