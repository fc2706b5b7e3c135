package dev.parley.server.storage;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * What a write declares it will change, as keys of PostgreSQL transaction-level advisory locks
 * ({@code pg_advisory_xact_lock}). On PostgreSQL each batch of the {@link WriteQueue} takes the
 * locks of all its writes first, in ascending order and in one statement, before any write
 * runs; on SQLite (one writer) they are ignored.
 *
 * <p>The rule every write on a shared database keeps: a row is changed only by a transaction
 * holding a key that every other writer of that row also takes. An account's rows (its
 * queues, devices, list, prekeys) under {@link #account}; a link channel under
 * {@link #linkChannel} while unapproved, and also under its account once approved; a blob
 * record under {@link #blob}. Then no two transactions ever wait for each other's row locks,
 * and the only waits are for advisory locks, all taken at once in one global order: deadlocks
 * cannot happen. Queued copies for an account are inserted only under its key, so per device
 * queue the commit order is the {@code seq} order, and counts read after the locks stay true
 * until the commit. ({@code send_multi} bodies, shared by several accounts' copies, are locked
 * at the end of the batch, in ascending id order: see {@code QueueCounts}.)
 *
 * <p>Keys are 64-bit hashes of a kind and a name. Two names that collide only serialize their
 * writers a little more; the order stays global, so a collision cannot deadlock either.
 */
public final class LockKeys {

    public static final LockKeys NONE = new LockKeys(new long[0]);

    private final long[] keys;

    private LockKeys(long[] keys) {
        this.keys = keys;
    }

    /** An account's rows: queues (as recipient), quota (as sender), devices, list, prekeys, approved links. */
    public static LockKeys account(String username) {
        return new LockKeys(new long[] {key("account", username)});
    }

    /** Several accounts' rows (a send's recipients and its sender). */
    public static LockKeys accounts(Iterable<String> usernames) {
        long[] keys = new long[0];
        for (String username : usernames) {
            keys = Arrays.copyOf(keys, keys.length + 1);
            keys[keys.length - 1] = key("account", username);
        }
        return new LockKeys(keys);
    }

    /** The registrations of usernames with this confusable skeleton (only one of a look-alike pair may pass). */
    public static LockKeys skeleton(String skeleton) {
        return new LockKeys(new long[] {key("skeleton", skeleton)});
    }

    /** A link channel's row. */
    public static LockKeys linkChannel(byte[] channel) {
        return new LockKeys(new long[] {key("link", HexFormat.of().formatHex(channel))});
    }

    /** A blob record. */
    public static LockKeys blob(String id) {
        return new LockKeys(new long[] {key("blob", id)});
    }

    /** The blob records of an owner, for its quota. */
    public static LockKeys blobOwner(String owner) {
        return new LockKeys(new long[] {key("blob-owner", owner)});
    }

    public LockKeys and(LockKeys other) {
        if (other.keys.length == 0) {
            return this;
        }
        if (keys.length == 0) {
            return other;
        }
        long[] both = Arrays.copyOf(keys, keys.length + other.keys.length);
        System.arraycopy(other.keys, 0, both, keys.length, other.keys.length);
        return new LockKeys(both);
    }

    boolean isEmpty() {
        return keys.length == 0;
    }

    /** Copies the keys into {@code into} from {@code at}; returns the next free index. */
    int copyTo(long[] into, int at) {
        System.arraycopy(keys, 0, into, at, keys.length);
        return at + keys.length;
    }

    int size() {
        return keys.length;
    }

    /** The distinct keys of {@code all}, ascending: the order every batch takes them in. */
    static long[] sortedDistinct(long[] all, int length) {
        long[] sorted = Arrays.copyOf(all, length);
        Arrays.sort(sorted);
        int distinct = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) {
                sorted[distinct++] = sorted[i];
            }
        }
        return Arrays.copyOf(sorted, distinct);
    }

    /** FNV-1a over the kind and name, then a 64-bit finalizer (splitmix64) so that near names spread. */
    private static long key(String kind, String name) {
        long hash = 0xcbf29ce484222325L;
        String text = kind + '\0' + name;
        for (int i = 0; i < text.length(); i++) {
            hash ^= text.charAt(i);
            hash *= 0x100000001b3L;
        }
        hash ^= hash >>> 30;
        hash *= 0xbf58476d1ce4e5b9L;
        hash ^= hash >>> 27;
        hash *= 0x94d049bb133111ebL;
        return hash ^ (hash >>> 31);
    }
}
