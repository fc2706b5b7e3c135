package dev.parley.protocol.link;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ProtocolException.Failure;
import dev.parley.protocol.codec.Bytes;
import dev.parley.protocol.crypto.AesGcm;
import dev.parley.protocol.crypto.Digests;
import dev.parley.protocol.crypto.Hkdf;
import dev.parley.protocol.crypto.Randomness;
import dev.parley.protocol.crypto.X25519;
import dev.parley.protocol.keys.X25519KeyPair;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The two encrypted layouts of linking (CRYPTO.md §10.2, §10.3), keyed by the new device's
 * one-time X25519 pair {@code E} whose public half is the link code:
 *
 * <pre>
 * channel = SHA-256(E_pub)
 * k_req   = HKDF(salt = 32 zero bytes, ikm = E_pub, info = "parley-link-request-v1", 32)
 * request = AEAD_ENC(k_req, 12 zero bytes, LinkRequest, ad = channel)
 *
 * ek      = fresh X25519 pair (the approving device)
 * k       = HKDF(salt = 32 zero bytes, ikm = DH(ek, E_pub), info = "parley-link-v1" || ek_pub || E_pub, 32)
 * sealed  = ek_pub || AEAD_ENC(k, 12 zero bytes, LinkMessage, ad = channel)
 * </pre>
 *
 * <p>Each key encrypts one plaintext: {@code k_req} depends only on {@code E}, which a device
 * draws afresh for every linking attempt and uses for one request; {@code k} depends on a fresh
 * {@code ek}. So the zero nonce never repeats under a key. An all-zero DH output is refused on
 * both sides. Opening fails with {@link Failure#DECRYPT_FAILED} on any change to the bytes, the
 * channel or the key, and with {@link Failure#MALFORMED} on a bad length or layout.
 */
public final class LinkSealing {

    static final byte[] REQUEST_INFO = "parley-link-request-v1".getBytes(StandardCharsets.US_ASCII);
    static final byte[] MESSAGE_INFO = "parley-link-v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ZERO_SALT = new byte[32];
    private static final byte[] ZERO_NONCE = new byte[AesGcm.NONCE_SIZE];

    private LinkSealing() {}

    /** {@code SHA-256(E_pub)}: the only thing the server learns about the code. */
    public static byte[] channel(byte[] ePublic) {
        return Digests.sha256(Bytes.requireLength(ePublic, X25519.KEY_SIZE, "link public key"));
    }

    /** The new device seals its request under the code. */
    public static byte[] sealRequest(byte[] ePublic, LinkRequest request) {
        return AesGcm.encrypt(requestKey(ePublic), ZERO_NONCE, request.encode(), channel(ePublic));
    }

    /** The approving device, which knows the code, opens the request the server holds for its channel. */
    public static LinkRequest openRequest(byte[] ePublic, byte[] sealedRequest) throws ProtocolException {
        return LinkRequest.decode(AesGcm.decrypt(requestKey(ePublic), ZERO_NONCE, sealedRequest, channel(ePublic)));
    }

    /**
     * The approving device seals the link message (opaque bytes here: the clients' LinkMessage
     * JSON) to {@code E_pub}; draws 32 bytes for {@code ek}.
     *
     * @throws ProtocolException {@link Failure#LOW_ORDER_POINT} if {@code E_pub} gives an all-zero DH
     */
    public static byte[] sealMessage(byte[] ePublic, byte[] plaintext, Randomness randomness) throws ProtocolException {
        byte[] channel = channel(ePublic);
        X25519KeyPair ek = X25519KeyPair.generate(randomness);
        byte[] key = messageKey(ek.agree(ePublic), ek.publicKey(), ePublic);
        return Bytes.concat(ek.publicKey(), AesGcm.encrypt(key, ZERO_NONCE, plaintext, channel));
    }

    /** The new device opens the link message with {@code E}. */
    public static byte[] openMessage(X25519KeyPair e, byte[] sealed) throws ProtocolException {
        if (sealed.length < X25519.KEY_SIZE + AesGcm.TAG_SIZE) {
            throw new ProtocolException(Failure.MALFORMED, "sealed link message too short");
        }
        byte[] ekPublic = Arrays.copyOf(sealed, X25519.KEY_SIZE);
        byte[] ciphertext = Arrays.copyOfRange(sealed, X25519.KEY_SIZE, sealed.length);
        byte[] key = messageKey(e.agree(ekPublic), ekPublic, e.publicKey());
        return AesGcm.decrypt(key, ZERO_NONCE, ciphertext, channel(e.publicKey()));
    }

    private static byte[] requestKey(byte[] ePublic) {
        return Hkdf.derive(ZERO_SALT, Bytes.requireLength(ePublic, X25519.KEY_SIZE, "link public key"), REQUEST_INFO, 32);
    }

    private static byte[] messageKey(byte[] dh, byte[] ekPublic, byte[] ePublic) {
        return Hkdf.derive(ZERO_SALT, dh, Bytes.concat(MESSAGE_INFO, ekPublic, ePublic), 32);
    }
}
