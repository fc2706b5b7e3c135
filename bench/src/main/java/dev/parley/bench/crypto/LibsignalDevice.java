package dev.parley.bench.crypto;

import org.signal.libsignal.protocol.IdentityKeyPair;
import org.signal.libsignal.protocol.SignalProtocolAddress;
import org.signal.libsignal.protocol.ecc.ECKeyPair;
import org.signal.libsignal.protocol.kem.KEMKeyPair;
import org.signal.libsignal.protocol.kem.KEMKeyType;
import org.signal.libsignal.protocol.state.KyberPreKeyRecord;
import org.signal.libsignal.protocol.state.PreKeyBundle;
import org.signal.libsignal.protocol.state.PreKeyRecord;
import org.signal.libsignal.protocol.state.SignedPreKeyRecord;
import org.signal.libsignal.protocol.state.impl.InMemorySignalProtocolStore;

/**
 * The libsignal-client counterpart of {@link ParleyDevice}: identity, signed prekey, one
 * one-time prekey and a Kyber (ML-KEM-1024) prekey in libsignal's own in-memory store, and the
 * {@link PreKeyBundle} built from them as a server would hand it out.
 */
final class LibsignalDevice {

    private static final int DEVICE_ID = 1;
    private static final int SIGNED_PREKEY_ID = 1;
    private static final int ONE_TIME_PREKEY_ID = 100;
    private static final int KYBER_PREKEY_ID = 1;
    private static final long TIMESTAMP = 1_767_225_600_000L;

    final SignalProtocolAddress address;
    final InMemorySignalProtocolStore store;
    private final int registrationId;
    private final IdentityKeyPair identity;
    private final SignedPreKeyRecord signedPreKey;
    private final PreKeyRecord oneTimePreKey;
    private final KyberPreKeyRecord kyberPreKey;

    LibsignalDevice(String name, int registrationId) {
        this.address = new SignalProtocolAddress(name, DEVICE_ID);
        this.registrationId = registrationId;
        this.identity = IdentityKeyPair.generate();
        this.store = new InMemorySignalProtocolStore(identity, registrationId);
        ECKeyPair signed = ECKeyPair.generate();
        this.signedPreKey = new SignedPreKeyRecord(SIGNED_PREKEY_ID, TIMESTAMP, signed,
                identity.getPrivateKey().calculateSignature(signed.getPublicKey().serialize()));
        this.oneTimePreKey = new PreKeyRecord(ONE_TIME_PREKEY_ID, ECKeyPair.generate());
        KEMKeyPair kem = KEMKeyPair.generate(KEMKeyType.KYBER_1024);
        this.kyberPreKey = new KyberPreKeyRecord(KYBER_PREKEY_ID, TIMESTAMP, kem,
                identity.getPrivateKey().calculateSignature(kem.getPublicKey().serialize()));
        store.storeSignedPreKey(SIGNED_PREKEY_ID, signedPreKey);
        store.storeKyberPreKey(KYBER_PREKEY_ID, kyberPreKey);
        restoreOneTimePreKey();
    }

    /** The bundle a server would hand out: signed prekey, the one-time prekey, the Kyber prekey. */
    PreKeyBundle bundle() throws Exception {
        return new PreKeyBundle(registrationId, DEVICE_ID, ONE_TIME_PREKEY_ID, oneTimePreKey.getKeyPair().getPublicKey(),
                SIGNED_PREKEY_ID, signedPreKey.getKeyPair().getPublicKey(), signedPreKey.getSignature(),
                identity.getPublicKey(), KYBER_PREKEY_ID, kyberPreKey.getKeyPair().getPublicKey(),
                kyberPreKey.getSignature());
    }

    /** Publishes the one-time prekey again after a handshake consumed it. */
    void restoreOneTimePreKey() {
        store.storePreKey(ONE_TIME_PREKEY_ID, oneTimePreKey);
    }
}
