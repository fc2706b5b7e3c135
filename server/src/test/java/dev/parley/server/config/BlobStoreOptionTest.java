package dev.parley.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.server.config.BlobLimits.Store;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --blob-store}: where attachment bytes are kept, chosen by the database unless given, and the refused combinations. */
class BlobStoreOptionTest {

    private static final String SQLITE = "jdbc:sqlite:data/parley.db";
    private static final String POSTGRES = "jdbc:postgresql://db:5432/parley?user=parley";

    private static BlobLimits parse(String... args) {
        var captured = new AtomicReference<ServerConfig>();
        assertEquals(0, new CommandLine(new ServerCommand(captured::set)).execute(args));
        return captured.get().blobs();
    }

    @Test
    void theStoreFollowsTheDatabaseUnlessGiven() {
        BlobLimits chosenByDatabase = parse();
        assertNull(chosenByDatabase.store());
        assertEquals(Store.DIRECTORY, chosenByDatabase.storeFor(SQLITE, false));
        assertEquals(Store.DATABASE, chosenByDatabase.storeFor(POSTGRES, false));
        assertEquals(Store.DATABASE, chosenByDatabase.storeFor(POSTGRES, true));
        assertEquals(Store.DIRECTORY, parse("--blob-store", "directory").storeFor(POSTGRES, false), "a single node on PostgreSQL may keep files");
        assertEquals(Store.DATABASE, parse("--blob-store", "database").storeFor(POSTGRES, false));
    }

    @Test
    void theDatabaseStoreNeedsPostgresqlAndAClusterNeedsIt() {
        var onSqlite = assertThrows(IllegalArgumentException.class, () -> parse("--blob-store", "database").storeFor(SQLITE, false));
        assertTrue(onSqlite.getMessage().contains("PostgreSQL"), onSqlite.getMessage());
        var cluster = assertThrows(IllegalArgumentException.class, () -> parse("--blob-store", "directory").storeFor(POSTGRES, true));
        assertTrue(cluster.getMessage().contains("--blob-store database"), cluster.getMessage());
    }

    @Test
    void anUnknownStoreIsRefusedNamingTheOption() {
        var errors = new StringWriter();
        var command = new CommandLine(new ServerCommand(config -> { }));
        command.setErr(new PrintWriter(errors));
        assertNotEquals(0, command.execute("--blob-store", "s3"));
        assertTrue(errors.toString().contains("--blob-store must be 'directory' or 'database'"), errors.toString());
    }
}
