package dev.parley.server.storage.sqlite;

/**
 * PostgreSQL: the statements by which a writer batch reads and locks what {@link QueueCounts}
 * checks its sends against, once per batch right after its advisory locks. SQLite keeps its
 * counts in memory for the process's life and runs neither.
 */
final class BatchCountStatements {

    private BatchCountStatements() {
    }

    /**
     * Accounts' counts (PostgreSQL): the device queues of the recipients in the first array
     * (kind 0: recipient, device, sender, count, highest seq), the characters of the senders in the
     * second (kind 1: sender, sum of its copies' and its bodies'), and the recipients' device lists
     * (kind 2: recipient, a listed device or null, {@link BatchDeviceLists}). A batch reads all its sends' at once:
     * on PostgreSQL the cost of a statement is mostly its round trip. Each name is
     * looked up on its own (LATERAL, subqueries) rather than with {@code = ANY}: PostgreSQL
     * plans an array look-up as a bitmap scan, which never marks the index entries of
     * acknowledged copies dead and so visits every copy acknowledged since the last vacuum
     * (docs/BENCHMARKS.md, "PostgreSQL: statements per message").
     */
    static final String LOAD_BATCH = "SELECT 0, r.name, q.recipient_device, q.sender, q.n, q.last "
            + "FROM unnest(?::text[]) AS r (name) CROSS JOIN LATERAL (SELECT recipient_device, sender, COUNT(*) AS n, "
            + "MAX(seq) AS last FROM messages WHERE recipient = r.name AND " + QueueCounts.PENDING + " GROUP BY recipient_device, sender) q "
            + "UNION ALL SELECT 1, s.name, 0, NULL, ((SELECT COALESCE(SUM(stored_chars), 0) FROM messages "
            + "WHERE sender = s.name AND " + QueueCounts.PENDING + ") "
            + "+ (SELECT COALESCE(SUM(stored_chars), 0) FROM message_bodies WHERE sender = s.name))::bigint, 0::bigint "
            + "FROM unnest(?::text[]) AS s (name) "
            + "UNION ALL SELECT 2, l.username, e.device_id, NULL, 0::bigint, 0::bigint FROM unnest(?::text[]) AS d (name) "
            + "JOIN device_lists l ON l.username = d.name LEFT JOIN device_list_entries e ON e.username = l.username";
    /** Locks the batch's candidate bodies in one global order (PostgreSQL). */
    static final String LOCK_BODIES = "SELECT id FROM message_bodies WHERE id = ANY (?) ORDER BY id FOR UPDATE";
}
