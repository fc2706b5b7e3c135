package dev.parley.client;

import dev.parley.client.ClientException.Reason;
import dev.parley.client.net.ServerError;

/** Server {@code error} codes (PROTOCOL.md §7) as the SDK's exceptions, with what the user can do. */
final class ServerErrors {

    private ServerErrors() {
    }

    static ClientException refused(String what, ServerError e) {
        String detail = switch (e.code()) {
            case "username_taken" -> "that name is taken (if it is yours, use 'parley reset' with its recovery code)";
            case "invalid_username" -> "a username is 3 to 32 characters of a-z, 0-9 and _";
            case "bad_recovery_code" -> "the recovery code does not match";
            case "rate_limited" -> "too many attempts; wait and try again";
            case "unknown_user" -> "no such user";
            case "bad_origin" -> "the server does not accept its address as given; use the URL it is served at";
            case "stale_timestamp" -> "this computer's clock is more than 5 minutes off";
            default -> e.getMessage();
        };
        Reason reason = e.code().equals("unknown_user") ? Reason.UNKNOWN_USER : Reason.REFUSED;
        return new ClientException(reason, what + " refused by the server: " + detail);
    }
}
