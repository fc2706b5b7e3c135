package dev.parley.server.storage.sqlite;

import dev.parley.server.storage.WriteQueue;
import javax.sql.DataSource;

/**
 * What every SQLite store shares: reads go to the pool's connections, writes through the one
 * group-committing {@link WriteQueue} (the only writer of the database).
 */
abstract class SqliteStore {

    /** The pool: reads only, concurrently with the writer (WAL). */
    final DataSource dataSource;
    /** Every write, in the writer's transactions. */
    final WriteQueue writes;

    SqliteStore(DataSource dataSource, WriteQueue writes) {
        this.dataSource = dataSource;
        this.writes = writes;
    }
}
