package dev.parley.protocol.handshake;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ProtocolException.Failure;
import java.nio.charset.StandardCharsets;

/**
 * The key agreement of a PreKeyMessage (CRYPTO.md §2, §2.4) with its HKDF {@code info}.
 * PQXDH is what Parley clients use; X3DH exists only for a peer without ML-KEM whose
 * <em>signed</em> capabilities allow it.
 */
public enum HandshakeMode {
    /** {@code info = utf8("Parley_PQXDH_X25519_SHA-256_ML-KEM-768")}; ikm ends with the KEM secret. */
    PQXDH(0x01, "Parley_PQXDH_X25519_SHA-256_ML-KEM-768"),
    /** {@code info = utf8("Parley_X3DH_X25519_SHA-256")}; no KEM fields, no KEM secret. */
    X3DH(0x02, "Parley_X3DH_X25519_SHA-256");

    private final int wire;
    private final byte[] info;

    HandshakeMode(int wire, String info) {
        this.wire = wire;
        this.info = info.getBytes(StandardCharsets.US_ASCII);
    }

    public int wire() {
        return wire;
    }

    /** HKDF {@code info} deriving {@code SK}. */
    public byte[] info() {
        return info.clone();
    }

    public static HandshakeMode fromWire(int wire) throws ProtocolException {
        for (HandshakeMode mode : values()) {
            if (mode.wire == wire) {
                return mode;
            }
        }
        throw new ProtocolException(Failure.MALFORMED, "unknown handshake mode");
    }
}
