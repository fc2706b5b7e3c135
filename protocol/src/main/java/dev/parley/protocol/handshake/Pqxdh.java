package dev.parley.protocol.handshake;

import dev.parley.protocol.codec.Bytes;
import dev.parley.protocol.crypto.Hkdf;
import dev.parley.protocol.keys.PublicIdentity;
import java.util.Arrays;
import java.util.List;

/**
 * The key derivation shared by initiator and responder (CRYPTO.md §2;
 * <a href="https://signal.org/docs/specifications/pqxdh/#sending-the-initial-message">PQXDH §3.3</a>):
 *
 * <pre>
 * F   = 32 bytes of 0xFF
 * SK  = HKDF(salt = 32 zero bytes, ikm = F || DH1 || DH2 || DH3 [|| DH4] [|| SS],
 *            info = mode's label, L = 32)
 * AD  = IK_A || IK_B
 * </pre>
 */
public final class Pqxdh {

    public static final int SHARED_KEY_SIZE = 32;

    /** {@code F}: 32 0xFF bytes, domain separation from XEdDSA-style inputs as in the spec. */
    private static final byte[] F = filled(32, (byte) 0xFF);
    private static final byte[] ZERO_SALT = new byte[32];

    private Pqxdh() {}

    /**
     * {@code SK}.
     *
     * @param dhOutputs DH1, DH2, DH3 and, if a one-time prekey was used, DH4, in this order
     * @param kemSecret {@code SS} for PQXDH; null for X3DH
     */
    public static byte[] sharedKey(HandshakeMode mode, List<byte[]> dhOutputs, byte[] kemSecret) {
        if (dhOutputs.size() < 3 || dhOutputs.size() > 4) {
            throw new IllegalArgumentException("PQXDH uses three or four DH outputs");
        }
        if ((mode == HandshakeMode.PQXDH) != (kemSecret != null)) {
            throw new IllegalArgumentException("a KEM secret is used exactly in PQXDH mode");
        }
        byte[] ikm = Bytes.concat(F, Bytes.concat(dhOutputs.toArray(byte[][]::new)),
                kemSecret == null ? new byte[0] : kemSecret);
        byte[] sharedKey = Hkdf.derive(ZERO_SALT, ikm, mode.info(), SHARED_KEY_SIZE);
        Arrays.fill(ikm, (byte) 0);
        return sharedKey;
    }

    /** {@code AD = IK_A || IK_B} (128 bytes), initiator first. */
    public static byte[] associatedData(PublicIdentity initiator, PublicIdentity responder) {
        return Bytes.concat(initiator.bytes(), responder.bytes());
    }

    private static byte[] filled(int length, byte value) {
        byte[] out = new byte[length];
        Arrays.fill(out, value);
        return out;
    }
}
