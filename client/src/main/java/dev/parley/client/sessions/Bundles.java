package dev.parley.client.sessions;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.keys.Capabilities;
import dev.parley.protocol.keys.KemPreKeyPublic;
import dev.parley.protocol.keys.OneTimePreKeyPublic;
import dev.parley.protocol.keys.PreKeyBundle;
import dev.parley.protocol.keys.PublicIdentity;
import dev.parley.protocol.keys.SignedPreKeyPublic;
import dev.parley.wire.frames.AuthFrames.IdentityKeys;
import dev.parley.wire.frames.PreKeyFrames.BundleKeys;
import java.util.Optional;

/**
 * Identities and prekey bundles as the wire records carry them (PROTOCOL.md §3-5), turned into
 * the protocol's verified types (CRYPTO.md §1.2). The codec already checked every field's form;
 * here the signatures are checked.
 */
public final class Bundles {

    private Bundles() {
    }

    /** The identity, after its binding signature verified. */
    public static PublicIdentity verifiedIdentity(IdentityKeys keys) throws ProtocolException {
        return PublicIdentity.verify(keys.signingKey(), keys.dhKey(), keys.binding());
    }

    /** The bundle, after every signature in it verified (a bundle with any bad one is refused whole). */
    public static PreKeyBundle verified(BundleKeys keys) throws ProtocolException {
        var kem = keys.kemPreKey();
        var bundle = new PreKeyBundle(verifiedIdentity(keys.identity()),
                Optional.ofNullable(keys.capabilities()).map(c -> new Capabilities(c.flags(), c.signature())),
                new SignedPreKeyPublic(keys.signedPreKey().id(), keys.signedPreKey().key(), keys.signedPreKey().signature()),
                Optional.ofNullable(keys.oneTimePreKey()).map(k -> new OneTimePreKeyPublic(k.id(), k.key())),
                Optional.of(new KemPreKeyPublic(kem.id(), kem.kind(), kem.key(),
                        kem.signature())));
        bundle.verify();
        return bundle;
    }
}
