package dev.parley.protocol.groups;

import dev.parley.protocol.Limits;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ProtocolException.Failure;
import dev.parley.protocol.codec.ByteReader;
import dev.parley.protocol.codec.ByteWriter;
import dev.parley.protocol.codec.Bytes;
import dev.parley.protocol.crypto.AesGcm;
import dev.parley.protocol.crypto.Ed25519;
import dev.parley.protocol.payload.Padding;
import dev.parley.protocol.payload.Payload;
import java.util.Arrays;

/**
 * A message encrypted once for a whole group with its sender's chain (CRYPTO.md §11):
 *
 * <pre>
 * header       = u8 0x04 || 16 chainId || u32 iteration
 * GroupMessage = header || AEAD_ENC(aesKey, nonce, padded_payload, ad = 32 groupId || header) || 64 signature
 * signature    = SIG(chain's signing key, utf8("parley-group-message-v1") || 0x00 || 32 groupId || header || ciphertext)
 * </pre>
 *
 * The group id is not sent: the receiver finds the chain by sender device and chain id, and the
 * associated data and the signature bind the group. The first byte tells a group message
 * ({@link #KIND}) from a fan-out content (0x03) in a {@code send_multi}.
 */
public final class GroupMessage {

    public static final int KIND = 0x04;
    public static final int HEADER_SIZE = 1 + SenderKeyDistribution.CHAIN_ID_SIZE + 4;
    /** Smallest message: header, an empty ciphertext's tag, signature. */
    static final int MIN_SIZE = HEADER_SIZE + AesGcm.TAG_SIZE + Ed25519.SIGNATURE_SIZE;
    static final int MAX_SIZE = HEADER_SIZE + Limits.MAX_PADDED_PAYLOAD + AesGcm.TAG_SIZE + Ed25519.SIGNATURE_SIZE;

    private GroupMessage() {}

    /** The parts of a message, as parsed; the signature not yet verified. */
    record Parsed(byte[] chainId, long iteration, byte[] header, byte[] ciphertext, byte[] signature) {
        byte[] headerAndCiphertext() {
            return Bytes.concat(header, ciphertext);
        }
    }

    /** True if {@code bytes} starts like a group message (its first byte is {@link #KIND}). */
    public static boolean isGroupMessage(byte[] bytes) {
        return bytes != null && bytes.length > 0 && (bytes[0] & 0xFF) == KIND;
    }

    /** The chain id in the header, to find the receiving chain; nothing is verified. */
    public static byte[] chainId(byte[] message) throws ProtocolException {
        return parse(message).chainId();
    }

    /**
     * The payload inside an opened group message: only a text ({@code 0x01}), a typing
     * ({@code 0x04}) or a content payload of {@code 0x0F..0x13} (message, edit, delete, reaction,
     * timer) may travel in a group message; any other type is refused (the own-device
     * {@code 0x14} and {@code 0x15} in particular).
     *
     * @throws ProtocolException {@link Failure#MALFORMED} for bad padding, a bad payload or another type
     */
    public static Payload payload(byte[] paddedPayload) throws ProtocolException {
        Payload payload = Padding.unpadAndDecode(paddedPayload);
        if (!allowed(payload)) {
            throw new ProtocolException(Failure.MALFORMED, "payload type " + payload.type() + " in a group message");
        }
        return payload;
    }

    /** Whether {@code payload} may travel in a group message (see {@link #payload}). */
    public static boolean allowed(Payload payload) {
        return switch (payload) {
            case Payload.Text p -> true;
            case Payload.Typing p -> true;
            case Payload.Message p -> true;
            case Payload.Edit p -> true;
            case Payload.Delete p -> true;
            case Payload.Reaction p -> true;
            case Payload.Timer p -> true;
            default -> false;
        };
    }

    static byte[] header(byte[] chainId, long iteration) {
        return new ByteWriter(HEADER_SIZE).u8(KIND).bytes(chainId).u32(iteration).toByteArray();
    }

    static Parsed parse(byte[] message) throws ProtocolException {
        if (message.length > MAX_SIZE) {
            throw new ProtocolException(Failure.TOO_LARGE, "group message larger than the largest payload");
        }
        ByteReader in = new ByteReader(message, "group message");
        if (message.length < MIN_SIZE) {
            throw in.malformed("truncated");
        }
        if (in.u8() != KIND) {
            throw in.malformed("not a group message");
        }
        byte[] chainId = in.bytes(SenderKeyDistribution.CHAIN_ID_SIZE);
        long iteration = in.u32();
        if (iteration > Limits.MAX_MESSAGE_NUMBER) {
            throw in.malformed("iteration beyond the last usable one");
        }
        byte[] ciphertext = in.bytes(in.remaining() - Ed25519.SIGNATURE_SIZE);
        byte[] signature = in.bytes(Ed25519.SIGNATURE_SIZE);
        in.expectEnd();
        return new Parsed(chainId, iteration, Arrays.copyOf(message, HEADER_SIZE), ciphertext, signature);
    }
}
