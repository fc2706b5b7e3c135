package dev.parley.protocol.payload;

import dev.parley.protocol.Limits;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ProtocolException.Failure;
import java.util.Arrays;

/**
 * Size-bucket padding (CRYPTO.md §4): {@code padded = payload || 0x80 || 0x00...} up to the
 * smallest of 256, 512, ..., 32768 that holds {@code len(payload) + 1}. Unpadding strips
 * trailing 0x00s and exactly one 0x80; anything else is refused.
 */
public final class Padding {

    /** Largest payload that fits the largest bucket with its 0x80 marker. */
    public static final int MAX_PAYLOAD = Limits.MAX_PADDED_PAYLOAD - 1;

    private static final byte MARKER = (byte) 0x80;

    private Padding() {}

    /** The bucket a payload of {@code payloadLength} bytes is padded to. */
    public static int bucketFor(int payloadLength) throws ProtocolException {
        if (payloadLength < 0 || payloadLength > MAX_PAYLOAD) {
            throw new ProtocolException(Failure.TOO_LARGE, "payload larger than " + MAX_PAYLOAD + " bytes");
        }
        int bucket = Limits.MIN_PADDED_PAYLOAD;
        while (bucket < payloadLength + 1) {
            bucket *= 2;
        }
        return bucket;
    }

    public static byte[] pad(byte[] payload) throws ProtocolException {
        byte[] padded = Arrays.copyOf(payload, bucketFor(payload.length));
        padded[payload.length] = MARKER;
        return padded;
    }

    public static byte[] unpad(byte[] padded) throws ProtocolException {
        if (padded.length > Limits.MAX_PADDED_PAYLOAD) {
            throw new ProtocolException(Failure.TOO_LARGE, "padded payload above the largest bucket");
        }
        int end = padded.length - 1;
        while (end >= 0 && padded[end] == 0x00) {
            end--;
        }
        if (end < 0 || padded[end] != MARKER) {
            throw new ProtocolException(Failure.MALFORMED, "padding has no 0x80 marker");
        }
        return Arrays.copyOf(padded, end);
    }

    /** {@code pad(PayloadCodec.encode(payload))}. */
    public static byte[] encodeAndPad(Payload payload) throws ProtocolException {
        return pad(PayloadCodec.encode(payload));
    }

    /** {@code PayloadCodec.decode(unpad(padded))}. */
    public static Payload unpadAndDecode(byte[] padded) throws ProtocolException {
        return PayloadCodec.decode(unpad(padded));
    }
}
