package dev.parley.wire.frames;

import dev.parley.wire.FieldReader;
import dev.parley.wire.FieldWriter;
import dev.parley.wire.WireLimits;

/**
 * The optional {@code expiresIn} of {@code send_message} and {@code send_multi}
 * (docs/PROTOCOL.md §6): a disappearing message's timer in seconds, 1 to
 * {@link WireLimits#MAX_EXPIRES_IN_SECONDS}; null (absent on the wire) for a message that does
 * not disappear.
 */
public final class ExpiresIn {

    private ExpiresIn() {
    }

    /** Refuses a timer out of range; null passes. */
    public static void check(Integer expiresIn) {
        if (expiresIn != null && (expiresIn < 1 || expiresIn > WireLimits.MAX_EXPIRES_IN_SECONDS)) {
            throw new IllegalArgumentException("expiresIn must be 1 to " + WireLimits.MAX_EXPIRES_IN_SECONDS + " seconds");
        }
    }

    static Integer read(FieldReader f) {
        Long seconds = f.optionalInteger("expiresIn", 1, WireLimits.MAX_EXPIRES_IN_SECONDS);
        return seconds == null ? null : seconds.intValue();
    }

    static void write(Integer expiresIn, FieldWriter w) {
        if (expiresIn != null) {
            w.integer("expiresIn", expiresIn);
        }
    }
}
