package dev.parley.protocol.payload;

/** The trust decision a device shares with the account's other devices (sync payload 0x08). */
public enum TrustState {
    /** The user has not compared safety numbers (or withdrew a verification). */
    UNVERIFIED(0),
    /** The user compared safety numbers and marked the contact verified. */
    VERIFIED(1),
    /** The user accepted the contact's identity change. */
    ACCEPTED_CHANGE(2);

    private final int code;

    TrustState(int code) {
        this.code = code;
    }

    /** The state byte. */
    public int code() {
        return code;
    }

    /** @throws IllegalArgumentException for a byte that names no state */
    public static TrustState fromCode(int code) {
        for (TrustState state : values()) {
            if (state.code == code) {
                return state;
            }
        }
        throw new IllegalArgumentException("trust state byte " + code + " names no state");
    }
}
