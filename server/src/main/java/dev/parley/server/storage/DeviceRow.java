package dev.parley.server.storage;

/**
 * One of the server's device rows ({@code get_devices}'s {@code servers}). Rows are made at
 * register, reset and link approval and deleted at unlink; they do not decide routing or
 * logins (the signed list does), so a row without a list entry receives nothing.
 *
 * @param lastSeen start (ms since the epoch, UTC) of the day of the device's last login or logout; null if never
 */
public record DeviceRow(int id, byte[] key, long linkedAt, Long lastSeen) {
}
