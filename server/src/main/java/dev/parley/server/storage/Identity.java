package dev.parley.server.storage;

import java.util.Arrays;

/**
 * A device's public identity as the directory serves it: the Ed25519 signing key, the X25519
 * DH key and the signature binding the second to the first (docs/CRYPTO.md §1.1). Public
 * material only.
 */
public record Identity(byte[] signingKey, byte[] dhKey, byte[] binding) {

    public static final int KEY_BYTES = 32;
    public static final int SIGNATURE_BYTES = 64;

    public Identity {
        if (signingKey.length != KEY_BYTES || dhKey.length != KEY_BYTES || binding.length != SIGNATURE_BYTES) {
            throw new IllegalArgumentException("identity keys must be 32 bytes and the binding 64 bytes");
        }
        signingKey = signingKey.clone();
        dhKey = dhKey.clone();
        binding = binding.clone();
    }

    @Override
    public byte[] signingKey() {
        return signingKey.clone();
    }

    @Override
    public byte[] dhKey() {
        return dhKey.clone();
    }

    @Override
    public byte[] binding() {
        return binding.clone();
    }

    public boolean sameKeysAs(Identity other) {
        return Arrays.equals(signingKey, other.signingKey) && Arrays.equals(dhKey, other.dhKey);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Identity other && sameKeysAs(other) && Arrays.equals(binding, other.binding);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(signingKey);
    }

    @Override
    public String toString() {
        return "Identity[" + java.util.HexFormat.of().formatHex(signingKey, 0, 8) + "…]";
    }
}
