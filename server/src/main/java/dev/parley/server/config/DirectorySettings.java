package dev.parley.server.config;

import java.util.Locale;

/**
 * Who may see which accounts (docs/PROTOCOL.md §4, docs/OPERATIONS.md).
 *
 * @param mode             {@link Mode#OPEN}: {@code get_public_keys} lists every account;
 *                         {@link Mode#PRIVATE}: it is refused, and accounts are found only by exact name
 * @param lookupsPerMinute usernames one account may look up with {@code find_users} per minute
 *                         (names, not frames), so that a private directory cannot be enumerated
 */
public record DirectorySettings(Mode mode, int lookupsPerMinute) {

    /** The directory modes; the wire name ({@code server_limits.directory}) is the lower-case name. */
    public enum Mode {
        OPEN, PRIVATE;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final int DEFAULT_LOOKUPS_PER_MINUTE = 60;

    public DirectorySettings {
        if (mode == null) {
            throw new IllegalArgumentException("a directory mode is required");
        }
        if (lookupsPerMinute < 1) {
            throw new IllegalArgumentException("--lookups-per-minute must be at least 1");
        }
    }

    public static DirectorySettings defaults() {
        return new DirectorySettings(Mode.OPEN, DEFAULT_LOOKUPS_PER_MINUTE);
    }

    public DirectorySettings withMode(Mode newMode) {
        return new DirectorySettings(newMode, lookupsPerMinute);
    }

    public DirectorySettings withLookupsPerMinute(int n) {
        return new DirectorySettings(mode, n);
    }
}
