package dev.parley.protocol.keys;

/** Prekey ids are {@code u32}; {@code 0xFFFFFFFF} is reserved for "no one-time prekey" (§2.1). */
public final class PreKeyIds {

    /** {@code opk_id} of a PreKeyMessage that used no one-time prekey. */
    public static final long NO_ONE_TIME_PREKEY = 0xFFFF_FFFFL;

    private PreKeyIds() {}

    public static long requireU32(long id) {
        if (id < 0 || id > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("prekey id must be a u32");
        }
        return id;
    }

    /** One-time prekey ids must not collide with {@link #NO_ONE_TIME_PREKEY}. */
    public static long requireOneTimeId(long id) {
        if (requireU32(id) == NO_ONE_TIME_PREKEY) {
            throw new IllegalArgumentException("one-time prekey id 0xFFFFFFFF is reserved");
        }
        return id;
    }
}
