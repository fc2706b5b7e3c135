package dev.parley.wire.signed;

import dev.parley.wire.ErrorCode;
import dev.parley.wire.FrameRefused;

/** The two kinds of ML-KEM-768 prekey, with the byte their signature covers and their name in a bundle (docs/CRYPTO.md §1.1). */
public enum KemKeyKind {
    /** Signed, rotated like the signed prekey, reused until rotated. */
    LAST_RESORT((byte) 0x01, "last-resort"),
    /** Signed, handed out once and then deleted. */
    ONE_TIME((byte) 0x02, "one-time");

    private final byte signedByte;
    private final String wireName;

    KemKeyKind(byte signedByte, String wireName) {
        this.signedByte = signedByte;
        this.wireName = wireName;
    }

    public byte signedByte() {
        return signedByte;
    }

    /** The bundle's {@code "kind"}. */
    public String wireName() {
        return wireName;
    }

    public static KemKeyKind fromWire(String wireName) {
        for (KemKeyKind kind : values()) {
            if (kind.wireName.equals(wireName)) {
                return kind;
            }
        }
        throw new FrameRefused(ErrorCode.BAD_FRAME, "'kind' must be \"last-resort\" or \"one-time\"");
    }

    /** The kind whose signed byte is {@code signedByte}; {@link IllegalArgumentException} for any other byte. */
    public static KemKeyKind fromSignedByte(int signedByte) {
        for (KemKeyKind kind : values()) {
            if (kind.signedByte == signedByte) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown KEM prekey kind " + signedByte);
    }
}
