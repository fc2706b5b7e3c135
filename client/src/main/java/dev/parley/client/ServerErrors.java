package dev.parley.client;

import dev.parley.client.ClientException.Reason;
import dev.parley.client.net.ServerError;
import dev.parley.wire.ErrorCode;

/** Server {@code error} codes (PROTOCOL.md §7) as the SDK's exceptions, with what the user can do. */
final class ServerErrors {

    private ServerErrors() {
    }

    static ClientException refused(String what, ServerError e) {
        ErrorCode code = e.code().orElse(null);
        String detail = code == null ? e.getMessage() : switch (code) {
            case USERNAME_TAKEN -> "that name is taken (if it is yours, use 'parley reset' with its recovery code)";
            case INVALID_USERNAME -> "a username is 3 to 32 characters of a-z, 0-9 and _";
            case BAD_RECOVERY_CODE -> "the recovery code does not match";
            case RATE_LIMITED -> "too many attempts; wait and try again";
            case UNKNOWN_USER -> "no such user";
            case BAD_ORIGIN -> "the server does not accept its address as given; use the URL it is served at";
            case STALE_TIMESTAMP -> "this computer's clock is more than 5 minutes off";
            case UNAVAILABLE -> "the server cannot reach its database; try again in a moment";
            default -> e.getMessage();
        };
        // unavailable is an outage, like a lost connection: callers wait and try again (a login reconnects)
        Reason reason = code == ErrorCode.UNKNOWN_USER ? Reason.UNKNOWN_USER
                : code == ErrorCode.UNAVAILABLE ? Reason.SERVER_UNREACHABLE : Reason.REFUSED;
        return new ClientException(reason, what + " refused by the server: " + detail);
    }
}
