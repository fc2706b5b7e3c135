package dev.parley.protocol.handshake;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ProtocolException.Failure;
import dev.parley.protocol.crypto.Randomness;
import dev.parley.protocol.keys.Capabilities;
import dev.parley.protocol.keys.IdentityKeyPair;
import dev.parley.protocol.keys.KemPreKey;
import dev.parley.protocol.keys.OneTimePreKey;
import dev.parley.protocol.keys.PublicIdentity;
import dev.parley.protocol.keys.SignedPreKey;
import dev.parley.protocol.ratchet.PlaintextCheck;
import dev.parley.protocol.ratchet.SessionState;
import dev.parley.wire.signed.KemKeyKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Bob's processing of a PreKeyMessage (CRYPTO.md §2.1), in this order, where any failure aborts
 * with no state change:
 *
 * <ol>
 *   <li>refuse X3DH unless this device's own capabilities accept it (§2.4); verify the binding
 *       signature of {@code IK_A};
 *   <li>look up the signed prekey, the one-time prekey if named, and the KEM prekey; unknown ids fail;
 *   <li>compute {@code SK}, initialise the responder session and decrypt the embedded message
 *       (and run the caller's {@link PlaintextCheck}, if any);
 *   <li>only then consume the one-time prekey and the one-time KEM prekey.
 * </ol>
 *
 * The caller stores the returned session together with the consumed prekeys.
 */
public final class Responder {

    /** A new incoming session, with the plaintext of the message that established it. */
    public record Accepted(SessionState state, PublicIdentity remoteIdentity, PreKeyMessage.Handshake handshake,
            byte[] plaintext) {}

    private Responder() {}

    public static Accepted accept(IdentityKeyPair self, Capabilities ownCapabilities, PrivatePreKeys store,
            PreKeyMessage message, Randomness randomness, Instant now) throws ProtocolException {
        return accept(self, ownCapabilities, store, message, randomness, now, PlaintextCheck.NONE);
    }

    /** As above; {@code check} runs on the plaintext before any prekey is consumed. */
    public static Accepted accept(IdentityKeyPair self, Capabilities ownCapabilities, PrivatePreKeys store,
            PreKeyMessage message, Randomness randomness, Instant now, PlaintextCheck check) throws ProtocolException {
        PreKeyMessage.Handshake handshake = message.handshake();
        if (handshake.mode() == HandshakeMode.X3DH && !ownCapabilities.acceptsX3dh()) {
            throw new ProtocolException(Failure.DOWNGRADE_REFUSED, "X3DH initial message refused");
        }
        PublicIdentity alice = PublicIdentity.verify(handshake.senderSigningKey(), handshake.senderDhKey(),
                handshake.senderBinding());

        SignedPreKey signedPreKey = store.signedPreKey(handshake.signedPreKeyId())
                .orElseThrow(() -> unknown("signed prekey"));
        OneTimePreKey oneTimePreKey = null;
        if (handshake.usesOneTimePreKey()) {
            oneTimePreKey = store.oneTimePreKey(handshake.oneTimePreKeyId()).orElseThrow(() -> unknown("one-time prekey"));
        }
        KemPreKey kemPreKey = null;
        if (handshake.kem().isPresent()) {
            PreKeyMessage.KemFields kem = handshake.kem().get();
            kemPreKey = store.kemPreKey(kem.id(), kem.kind()).orElseThrow(() -> unknown("KEM prekey"));
        }

        byte[] baseKey = handshake.baseKey();
        List<byte[]> dh = new ArrayList<>(4);
        dh.add(signedPreKey.keyPair().agree(alice.dhKey()));
        dh.add(self.dh().agree(baseKey));
        dh.add(signedPreKey.keyPair().agree(baseKey));
        if (oneTimePreKey != null) {
            dh.add(oneTimePreKey.keyPair().agree(baseKey));
        }
        byte[] kemSecret = kemPreKey == null ? null : kemPreKey.decapsulate(handshake.kem().get().ciphertext());
        byte[] sharedKey = Pqxdh.sharedKey(handshake.mode(), dh, kemSecret);
        byte[] associatedData = Pqxdh.associatedData(alice, self.publicIdentity());

        SessionState state = SessionState.responder(sharedKey, associatedData, signedPreKey.keyPair());
        byte[] plaintext = state.decrypt(message.message(), randomness, now, check);

        if (oneTimePreKey != null) {
            store.consumeOneTimePreKey(oneTimePreKey.id());
        }
        if (kemPreKey != null && kemPreKey.kind() == KemKeyKind.ONE_TIME) {
            store.consumeOneTimeKemPreKey(kemPreKey.id());
        }
        return new Accepted(state, alice, handshake, plaintext);
    }

    private static ProtocolException unknown(String what) {
        return new ProtocolException(Failure.UNKNOWN_PREKEY, what + " unknown or already used");
    }
}
