package dev.parley.server.storage;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

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
 *
 * <p>A send also names the accounts whose queue counts it checks ({@link #send}): on
 * PostgreSQL the writer reads the counts of all of a batch's sends in one statement, right
 * after the locks ({@link BatchListener#beforeWrites}), instead of two statements per send.
 */
public final class LockKeys {

    private static final String[] NO_NAMES = new String[0];
    public static final LockKeys NONE = new LockKeys(new long[0]);
    /**
     * Upper bound on the advisory locks one batch takes (a single write with more goes alone).
     * They live in PostgreSQL's shared lock table, which holds {@code max_locks_per_transaction}
     * times {@code max_connections} entries for everything (6400 by default): each node's writer
     * holds at most this many at once.
     */
    static final int PER_BATCH = 512;

    /** The accounts whose queues, and the senders whose characters, a batch's sends check. */
    public record Counted(Set<String> recipients, Set<String> senders) {
        public boolean isEmpty() {
            return recipients.isEmpty() && senders.isEmpty();
        }
    }

    private final long[] keys;
    /** Accounts whose device queues the write checks (a send's recipients). */
    private final String[] countedRecipients;
    /** Accounts whose queued characters the write checks (a send's sender). */
    private final String[] countedSenders;

    private LockKeys(long[] keys) {
        this(keys, NO_NAMES, NO_NAMES);
    }

    private LockKeys(long[] keys, String[] countedRecipients, String[] countedSenders) {
        this.keys = keys;
        this.countedRecipients = countedRecipients;
        this.countedSenders = countedSenders;
    }

    /**
     * A send's: its recipients' accounts (their queues) and its sender's (its quota), all of
     * whose queue counts it checks.
     */
    public static LockKeys send(String sender, Collection<String> recipients) {
        long[] keys = new long[recipients.size() + 1];
        int at = 0;
        for (String recipient : recipients) {
            keys[at++] = key("account", recipient);
        }
        keys[at] = key("account", sender);
        return new LockKeys(keys, recipients.toArray(NO_NAMES), new String[] {sender});
    }

    /** An account's rows: queues (as recipient), quota (as sender), devices, list, prekeys, approved links. */
    public static LockKeys account(String username) {
        return new LockKeys(new long[] {key("account", username)});
    }

    /** Several accounts' rows (a send's recipients and its sender). */
    public static LockKeys accounts(Collection<String> usernames) {
        long[] keys = new long[usernames.size()];
        int at = 0;
        for (String username : usernames) {
            keys[at++] = key("account", username);
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

    /**
     * Takes these keys in the open transaction of {@code connection} (PostgreSQL), ascending,
     * in one statement: for a transaction outside the writer that changes rows under these keys
     * (the blob store's), keeping the same rule. It must wait for nothing else while it holds them.
     */
    public void takeIn(java.sql.Connection connection) throws java.sql.SQLException {
        WriterTransaction.takeLocks(connection, ascending(List.of(this)));
    }

    public LockKeys and(LockKeys other) {
        if (other == NONE) {
            return this;
        }
        if (this == NONE) {
            return other;
        }
        return new LockKeys(concat(keys, other.keys), concat(countedRecipients, other.countedRecipients),
                concat(countedSenders, other.countedSenders));
    }

    private static long[] concat(long[] first, long[] second) {
        long[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    private static String[] concat(String[] first, String[] second) {
        if (second.length == 0) {
            return first;
        }
        String[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    /** The accounts whose queue counts the writes check. */
    static Counted counted(List<LockKeys> writes) {
        Set<String> recipients = new HashSet<>();
        Set<String> senders = new HashSet<>();
        for (LockKeys write : writes) {
            recipients.addAll(Arrays.asList(write.countedRecipients));
            senders.addAll(Arrays.asList(write.countedSenders));
        }
        return new Counted(recipients, senders);
    }

    /** How many of the writes' keys, from the first, fit {@link #PER_BATCH} (counted with repeats); at least one. */
    static int fitting(List<LockKeys> writes) {
        int keys = 0;
        for (int i = 0; i < writes.size(); i++) {
            keys += writes.get(i).keys.length;
            if (keys > PER_BATCH && i > 0) {
                return i;
            }
        }
        return writes.size();
    }

    /** The distinct keys of all the writes, ascending: the order every batch takes them in. */
    static long[] ascending(List<LockKeys> writes) {
        int length = 0;
        for (LockKeys write : writes) {
            length += write.keys.length;
        }
        long[] sorted = new long[length];
        int at = 0;
        for (LockKeys write : writes) {
            System.arraycopy(write.keys, 0, sorted, at, write.keys.length);
            at += write.keys.length;
        }
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
