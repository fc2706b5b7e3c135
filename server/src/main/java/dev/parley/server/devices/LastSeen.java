package dev.parley.server.devices;

/**
 * The server records when a device was last seen by the day only (UTC), as Signal's server
 * does: the owner's devices list shows "last seen" on a date, and the database holds no finer
 * record of when each device comes and goes. It is written when a device logs in on a day it
 * was not yet recorded on (its first login ever also ends the link channel that brought it),
 * and when a connection ends on a later day than its login was recorded on; a device that
 * reconnects many times a day costs one write that day, not one per login and logout.
 */
final class LastSeen {

    static final long DAY_MS = 86_400_000L;

    private LastSeen() {
    }

    /** The start (ms since the epoch) of the UTC day holding {@code millis}. */
    static long day(long millis) {
        return millis - Math.floorMod(millis, DAY_MS);
    }
}
