package dev.parley.wire.signed;

/** The two kinds of ML-KEM-768 prekey, with the byte their signature covers and their name in a bundle (docs/CRYPTO.md §1.1). */
public enum KemKeyKind {
    /** Signed, rotated like the signed prekey, reused until rotated. */
    LAST_RESORT((byte) 0x01, "last-resort"),
    /** Signed, handed out once and then deleted. */
    ONE_TIME((byte) 0x02, "one-time");

    /** Every kind by its bundle name, in declaration order. */
    public static final java.util.Map<String, KemKeyKind> BY_WIRE_NAME;

    static {
        var byName = new java.util.LinkedHashMap<String, KemKeyKind>();
        for (KemKeyKind kind : values()) {
            byName.put(kind.wireName, kind);
        }
        BY_WIRE_NAME = java.util.Collections.unmodifiableMap(byName);
    }

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

    /** The kind named {@code wireName}; {@link IllegalArgumentException} for any other name. */
    public static KemKeyKind fromWire(String wireName) {
        KemKeyKind kind = BY_WIRE_NAME.get(wireName);
        if (kind == null) {
            throw new IllegalArgumentException("unknown KEM prekey kind " + wireName);
        }
        return kind;
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
