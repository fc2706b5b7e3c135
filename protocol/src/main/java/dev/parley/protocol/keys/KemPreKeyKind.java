package dev.parley.protocol.keys;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ProtocolException.Failure;

/** The two kinds of ML-KEM-768 prekey, with their wire byte (CRYPTO.md §1.1, §2.1). */
public enum KemPreKeyKind {
    /** Signed, rotated like the SPK, reused until rotated. JSON {@code "last-resort"}. */
    LAST_RESORT(0x01, "last-resort"),
    /** Signed, used once and then deleted. JSON {@code "one-time"}. */
    ONE_TIME(0x02, "one-time");

    private final int wire;
    private final String json;

    KemPreKeyKind(int wire, String json) {
        this.wire = wire;
        this.json = json;
    }

    public int wire() {
        return wire;
    }

    /** The bundle's {@code "kind"} string. */
    public String json() {
        return json;
    }

    public static KemPreKeyKind fromWire(int wire) throws ProtocolException {
        for (KemPreKeyKind kind : values()) {
            if (kind.wire == wire) {
                return kind;
            }
        }
        throw new ProtocolException(Failure.MALFORMED, "unknown KEM prekey kind");
    }

    public static KemPreKeyKind fromJson(String json) throws ProtocolException {
        for (KemPreKeyKind kind : values()) {
            if (kind.json.equals(json)) {
                return kind;
            }
        }
        throw new ProtocolException(Failure.MALFORMED, "unknown KEM prekey kind");
    }
}
