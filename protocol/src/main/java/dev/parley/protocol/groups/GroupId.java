package dev.parley.protocol.groups;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ProtocolException.Failure;
import dev.parley.protocol.codec.Bytes;
import dev.parley.protocol.crypto.Randomness;
import java.util.Arrays;

/**
 * A group's id: 32 random bytes chosen by its creator (CRYPTO.md §11); its text form is
 * {@code b64} (43 characters). Not secret: the server sees it only inside end-to-end encrypted
 * payloads, but clients name group conversations by it.
 */
public final class GroupId {

    public static final int SIZE = 32;

    private final byte[] bytes;

    private GroupId(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Draws exactly 32 bytes from {@code randomness}. */
    public static GroupId random(Randomness randomness) {
        return new GroupId(randomness.bytes(SIZE));
    }

    /** @throws IllegalArgumentException unless {@code bytes} is 32 bytes */
    public static GroupId of(byte[] bytes) {
        return new GroupId(Bytes.requireLength(bytes, SIZE, "group id").clone());
    }

    /** Parses the text form; anything but 43 characters of base64url decoding to 32 bytes is refused. */
    public static GroupId parse(String b64) throws ProtocolException {
        byte[] decoded;
        try {
            decoded = b64 == null ? null : Bytes.fromB64(b64);
        } catch (IllegalArgumentException e) {
            decoded = null;
        }
        if (decoded == null || decoded.length != SIZE || !Bytes.b64(decoded).equals(b64)) {
            throw new ProtocolException(Failure.MALFORMED, "group id must be 43 characters of base64url");
        }
        return new GroupId(decoded);
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /** base64url without padding, 43 characters. */
    public String text() {
        return Bytes.b64(bytes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GroupId that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return text();
    }
}
