package dev.parley.protocol.groups;

/**
 * {@link GroupRules#apply} refused a change; the held state is unchanged. Clients show the
 * reason as a warning in the group and write it to the security log. Messages name the rule
 * that failed, never a group name.
 */
public final class GroupChangeRefused extends Exception {

    /** Why; {@link #code()} is the stable text both implementations use. */
    public enum Reason {
        /** The signature does not verify under the author's identity as this device knows it. */
        BAD_SIGNATURE("bad_signature"),
        /** The author is not an admin of the held state (or, for leave, not a member). */
        NOT_ADMIN("not_admin"),
        /** The change's version is not above the held state's: a replay or a change that lost a race. */
        STALE("stale"),
        /** The change follows the held version but names another parent state. */
        FORKED("forked"),
        /** Versions between the held state and the change are missing; the caller may hold the change. */
        GAP("gap"),
        /** Anything else the rules forbid (wrong group, adding a member, removing a non-member, ...). */
        INVALID("invalid");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private final Reason reason;

    public GroupChangeRefused(Reason reason, String message) {
        super(reason.code() + ": " + message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
