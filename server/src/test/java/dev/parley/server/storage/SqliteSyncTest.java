package dev.parley.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.server.config.StorageLimits;
import dev.parley.server.testing.TestServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The writer's SQLite connection syncs every commit (FULL) unless the operator chose NORMAL. */
class SqliteSyncTest {

    /** SQLite's {@code PRAGMA synchronous} on the writer's connection: 1 is NORMAL, 2 is FULL. */
    private static int writerSynchronous(StorageLimits limits) {
        try (var database = Database.open("jdbc:sqlite:" + TestServer.newDatabaseFile(), new SimpleMeterRegistry(), limits)) {
            return database.writes().submit(connection -> {
                try (Statement statement = connection.createStatement();
                     ResultSet row = statement.executeQuery("PRAGMA synchronous")) {
                    row.next();
                    return row.getInt(1);
                }
            }).join();
        }
    }

    @Test
    void everyCommitIsSyncedByDefault() {
        assertEquals(2, writerSynchronous(StorageLimits.defaults()));
    }

    @Test
    void normalIsTheOperatorsChoice() {
        assertEquals(1, writerSynchronous(StorageLimits.defaults().withSqliteSync(StorageLimits.SqliteSync.NORMAL)));
    }
}
