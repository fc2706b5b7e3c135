package dev.parley.server.storage;

/**
 * What a login of one device reads: the key its login must be signed by (the key the signed
 * list gives it) and the day the server last recorded it as seen.
 *
 * @param lastSeenDay start (ms since the epoch, UTC) of the day the device was last seen; null if never
 */
public record LoginDevice(byte[] key, Long lastSeenDay) {
}
