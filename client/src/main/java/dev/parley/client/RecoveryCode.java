package dev.parley.client;

import dev.parley.wire.signed.RecoveryCodes;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * An account recovery code as a value: the canonical form of {@link RecoveryCodes} (the one
 * definition, shared with the server and the web client), its display form and its hash.
 * Prints nothing secret in {@link #toString()}.
 */
public final class RecoveryCode {

    private final String canonical;

    private RecoveryCode(String canonical) {
        this.canonical = canonical;
    }

    public static RecoveryCode generate(SecureRandom random) {
        return new RecoveryCode(RecoveryCodes.generate(random));
    }

    /** Parses a code as a user typed it ({@link RecoveryCodes#canonical}); empty if it is not a recovery code. */
    public static Optional<RecoveryCode> parse(String typed) {
        return RecoveryCodes.canonical(typed).map(RecoveryCode::new);
    }

    /** The canonical form sent in a {@code reset}. */
    public String canonical() {
        return canonical;
    }

    /** Eight groups of four, for showing once to the user. */
    public String display() {
        return RecoveryCodes.display(canonical);
    }

    /** The {@code recoveryHash} of register and reset. */
    public byte[] hash() {
        return RecoveryCodes.hash(canonical);
    }

    @Override
    public String toString() {
        return "RecoveryCode[hidden]";
    }
}
