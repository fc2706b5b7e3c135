package dev.parley.protocol.handshake;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ProtocolException.Failure;
import dev.parley.protocol.crypto.KemEncapsulation;
import dev.parley.protocol.crypto.KemEncapsulator;
import dev.parley.protocol.crypto.Randomness;
import dev.parley.protocol.keys.IdentityKeyPair;
import dev.parley.protocol.keys.KemPreKeyPublic;
import dev.parley.protocol.keys.OneTimePreKeyPublic;
import dev.parley.protocol.keys.PreKeyBundle;
import dev.parley.protocol.keys.PreKeyIds;
import dev.parley.protocol.keys.PublicIdentity;
import dev.parley.protocol.keys.X25519KeyPair;
import dev.parley.protocol.ratchet.SessionState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Alice's side of the handshake (CRYPTO.md §2, §3.1):
 *
 * <pre>
 * DH1 = DH(IKd_A, SPK_B)   DH2 = DH(EK_A, IKd_B)   DH3 = DH(EK_A, SPK_B)   [DH4 = DH(EK_A, OPK_B)]
 * (CT, SS) = KEM.Encaps(PQPK_B)
 * DHs = new pair;  (RK, CKs) = KDF_RK(SK, DH(DHs, SPK_B))
 * </pre>
 *
 * Randomness is drawn in this order: 32 bytes for {@code EK_A}, then 32 bytes for the first
 * ratchet key; the KEM draws through its own {@link KemEncapsulator}.
 */
public final class Initiator {

    /** A new outgoing session: its ratchet state and the handshake fields to send with every message until a reply. */
    public record Initiated(SessionState state, PublicIdentity remoteIdentity, PreKeyMessage.Handshake handshake) {}

    private Initiator() {}

    /**
     * PQXDH with a verified bundle. Refuses a bundle with any invalid signature, and a bundle
     * without a KEM prekey ({@link Failure#DOWNGRADE_REFUSED}: Parley never falls back to X3DH
     * on a platform that has ML-KEM).
     */
    public static Initiated start(IdentityKeyPair self, PreKeyBundle bundle, Randomness randomness, KemEncapsulator kem)
            throws ProtocolException {
        bundle.verify();
        KemPreKeyPublic kemPreKey = bundle.kemPreKey().orElseThrow(() -> new ProtocolException(
                Failure.DOWNGRADE_REFUSED, "bundle has no KEM prekey; X3DH is not used where ML-KEM is available"));
        return establish(self, bundle, randomness, HandshakeMode.PQXDH, kemPreKey, kem);
    }

    /**
     * X3DH (CRYPTO.md §2.4), for an initiator whose platform lacks ML-KEM. Refused unless the
     * bundle's <em>signed</em> capabilities accept X3DH.
     */
    public static Initiated startX3dh(IdentityKeyPair self, PreKeyBundle bundle, Randomness randomness)
            throws ProtocolException {
        bundle.verify();
        if (!bundle.acceptsX3dh()) {
            throw new ProtocolException(Failure.DOWNGRADE_REFUSED, "the peer's signed capabilities do not accept X3DH");
        }
        return establish(self, bundle, randomness, HandshakeMode.X3DH, null, null);
    }

    private static Initiated establish(IdentityKeyPair self, PreKeyBundle bundle, Randomness randomness,
            HandshakeMode mode, KemPreKeyPublic kemPreKey, KemEncapsulator kem) throws ProtocolException {
        PublicIdentity bob = bundle.identity();
        byte[] signedPreKey = bundle.signedPreKey().key();
        X25519KeyPair ephemeral = X25519KeyPair.generate(randomness);

        List<byte[]> dh = new ArrayList<>(4);
        dh.add(self.dh().agree(signedPreKey));
        dh.add(ephemeral.agree(bob.dhKey()));
        dh.add(ephemeral.agree(signedPreKey));
        Optional<OneTimePreKeyPublic> oneTime = bundle.oneTimePreKey();
        if (oneTime.isPresent()) {
            dh.add(ephemeral.agree(oneTime.get().key()));
        }
        Optional<PreKeyMessage.KemFields> kemFields = Optional.empty();
        byte[] kemSecret = null;
        if (mode == HandshakeMode.PQXDH) {
            KemEncapsulation encapsulation = kem.encapsulate(kemPreKey.key());
            kemSecret = encapsulation.sharedSecret();
            kemFields = Optional.of(new PreKeyMessage.KemFields(kemPreKey.id(), kemPreKey.kind(), encapsulation.ciphertext()));
        }
        byte[] sharedKey = Pqxdh.sharedKey(mode, dh, kemSecret);
        byte[] associatedData = Pqxdh.associatedData(self.publicIdentity(), bob);

        SessionState state = SessionState.initiator(sharedKey, associatedData, signedPreKey, X25519KeyPair.generate(randomness));
        PublicIdentity me = self.publicIdentity();
        PreKeyMessage.Handshake handshake = new PreKeyMessage.Handshake(mode, me.signingKey(), me.dhKey(), me.binding(),
                ephemeral.publicKey(), bundle.signedPreKey().id(),
                oneTime.map(OneTimePreKeyPublic::id).orElse(PreKeyIds.NO_ONE_TIME_PREKEY), kemFields);
        return new Initiated(state, bob, handshake);
    }
}
