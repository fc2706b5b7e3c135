package dev.parley.client;

/**
 * One device of this account, as {@link ParleyClient#devices()} lists it.
 *
 * @param id the device id (1 is the first device; ids are never reused within one identity)
 * @param name the name this device learnt for it (at linking or from its "device linked" notice), else "device N"
 * @param linkedAt when it was added to the signed list, ms since the Unix epoch
 * @param lastSeen the day the server last saw it: the UTC day's start, ms (null: the server did not say, or never)
 * @param thisDevice whether it is the device this client runs on
 */
public record DeviceInfo(int id, String name, long linkedAt, Long lastSeen, boolean thisDevice) {}
