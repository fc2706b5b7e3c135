package dev.parley.bench.crypto;

import dev.parley.protocol.crypto.Randomness;
import dev.parley.protocol.handshake.PrivatePreKeys;
import dev.parley.protocol.keys.Capabilities;
import dev.parley.protocol.keys.IdentityKeyPair;
import dev.parley.protocol.keys.KemPreKey;
import dev.parley.protocol.keys.OneTimePreKey;
import dev.parley.protocol.keys.PreKeyBundle;
import dev.parley.protocol.keys.SignedPreKey;
import dev.parley.wire.signed.KemKeyKind;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A Parley device for the benchmarks: identity, signed prekey, one one-time X25519 prekey and a
 * last-resort ML-KEM-768 prekey, held in memory as the responder's {@link PrivatePreKeys}.
 * A consumed one-time prekey can be put back with {@link #restoreOneTimePreKey()}, so the same
 * bundle serves every session-setup iteration. The group scenario (dev.parley.bench) gives each
 * simulated member device one, for real pairwise sessions with the group's sender.
 */
public final class ParleyDevice implements PrivatePreKeys {

    private static final long SIGNED_PREKEY_ID = 1;
    private static final long ONE_TIME_PREKEY_ID = 100;
    private static final long KEM_PREKEY_ID = 1;

    public final IdentityKeyPair identity;
    public final Capabilities capabilities;
    private final SignedPreKey signedPreKey;
    private final OneTimePreKey oneTimePreKey;
    private final KemPreKey kemPreKey;
    private final Map<Long, OneTimePreKey> oneTimePreKeys = new HashMap<>();

    public ParleyDevice(Randomness randomness) {
        identity = IdentityKeyPair.generate(randomness);
        capabilities = Capabilities.sign(identity, 0);
        signedPreKey = SignedPreKey.generate(identity, SIGNED_PREKEY_ID, randomness);
        oneTimePreKey = OneTimePreKey.generate(ONE_TIME_PREKEY_ID, randomness);
        kemPreKey = KemPreKey.generate(identity, KEM_PREKEY_ID, KemKeyKind.LAST_RESORT, randomness);
        restoreOneTimePreKey();
    }

    /** The bundle a server would hand out: signed prekey, the one-time prekey, the KEM prekey. */
    public PreKeyBundle bundle() {
        return new PreKeyBundle(identity.publicIdentity(), Optional.of(capabilities), signedPreKey.publicKey(),
                Optional.of(oneTimePreKey.publicKey()), Optional.of(kemPreKey.publicKey()));
    }

    /** Publishes the one-time prekey again after a handshake consumed it. */
    void restoreOneTimePreKey() {
        oneTimePreKeys.put(oneTimePreKey.id(), oneTimePreKey);
    }

    @Override
    public Optional<SignedPreKey> signedPreKey(long id) {
        return id == signedPreKey.id() ? Optional.of(signedPreKey) : Optional.empty();
    }

    @Override
    public Optional<OneTimePreKey> oneTimePreKey(long id) {
        return Optional.ofNullable(oneTimePreKeys.get(id));
    }

    @Override
    public Optional<KemPreKey> kemPreKey(long id, KemKeyKind kind) {
        return id == kemPreKey.id() && kind == kemPreKey.kind() ? Optional.of(kemPreKey) : Optional.empty();
    }

    @Override
    public void consumeOneTimePreKey(long id) {
        oneTimePreKeys.remove(id);
    }

    @Override
    public void consumeOneTimeKemPreKey(long id) {
        // The benchmark's KEM prekey is last-resort: never consumed.
    }
}
