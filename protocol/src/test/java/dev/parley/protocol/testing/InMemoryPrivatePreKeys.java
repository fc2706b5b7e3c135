package dev.parley.protocol.testing;

import dev.parley.protocol.handshake.PrivatePreKeys;
import dev.parley.protocol.keys.KemPreKey;
import dev.parley.protocol.keys.OneTimePreKey;
import dev.parley.protocol.keys.SignedPreKey;
import dev.parley.wire.signed.KemKeyKind;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A map-backed {@link PrivatePreKeys} that counts consumptions. */
public final class InMemoryPrivatePreKeys implements PrivatePreKeys {

    public final Map<Long, SignedPreKey> signedPreKeys = new LinkedHashMap<>();
    public final Map<Long, OneTimePreKey> oneTimePreKeys = new LinkedHashMap<>();
    public final Map<Long, KemPreKey> lastResortKemPreKeys = new LinkedHashMap<>();
    public final Map<Long, KemPreKey> oneTimeKemPreKeys = new LinkedHashMap<>();

    @Override
    public Optional<SignedPreKey> signedPreKey(long id) {
        return Optional.ofNullable(signedPreKeys.get(id));
    }

    @Override
    public Optional<OneTimePreKey> oneTimePreKey(long id) {
        return Optional.ofNullable(oneTimePreKeys.get(id));
    }

    @Override
    public Optional<KemPreKey> kemPreKey(long id, KemKeyKind kind) {
        return Optional.ofNullable((kind == KemKeyKind.ONE_TIME ? oneTimeKemPreKeys : lastResortKemPreKeys).get(id));
    }

    @Override
    public void consumeOneTimePreKey(long id) {
        oneTimePreKeys.remove(id);
    }

    @Override
    public void consumeOneTimeKemPreKey(long id) {
        oneTimeKemPreKeys.remove(id);
    }
}
