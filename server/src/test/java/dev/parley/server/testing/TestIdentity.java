package dev.parley.server.testing;

import dev.parley.wire.frames.AuthFrames.IdentityKeys;
import dev.parley.wire.signed.SignedBytes;
import java.security.SecureRandom;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/** A device identity for tests: Ed25519 signing key and an X25519 key bound to it. */
public final class TestIdentity {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] signingPrivate = new byte[32];
    final byte[] signingPublic = new byte[32];
    final byte[] dhPublic = new byte[32];
    final byte[] binding;

    public TestIdentity() {
        RANDOM.nextBytes(signingPrivate);
        Ed25519.generatePublicKey(signingPrivate, 0, signingPublic, 0);
        byte[] dhPrivate = new byte[32];
        X25519.generatePrivateKey(RANDOM, dhPrivate);
        X25519.generatePublicKey(dhPrivate, 0, dhPublic, 0);
        binding = sign(SignedBytes.identityBinding(dhPublic));
    }

    public byte[] sign(byte[] message) {
        byte[] signature = new byte[64];
        Ed25519.sign(signingPrivate, 0, message, 0, message.length, signature, 0);
        return signature;
    }

    /** The public identity as register and reset carry it. */
    public IdentityKeys keys() {
        return new IdentityKeys(signingPublic.clone(), dhPublic.clone(), binding.clone());
    }

    public byte[] signingPublic() {
        return signingPublic.clone();
    }

    public byte[] dhPublic() {
        return dhPublic.clone();
    }
}
