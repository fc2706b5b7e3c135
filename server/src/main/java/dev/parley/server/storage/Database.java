package dev.parley.server.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.parley.server.config.StorageLimits;
import dev.parley.server.storage.sqlite.QueueCounts;
import dev.parley.server.storage.sqlite.SqliteAccountStore;
import dev.parley.server.storage.sqlite.SqliteBlobRecords;
import dev.parley.server.storage.sqlite.SqliteDeviceStore;
import dev.parley.server.storage.sqlite.SqliteMessageStore;
import dev.parley.server.storage.sqlite.SqlitePreKeyStore;
import dev.parley.server.storage.sqlite.WalTruncation;
import dev.parley.server.storage.postgres.PostgresPool;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.slf4j.LoggerFactory;

/**
 * Opens the database named by a JDBC URL, migrates it with its engine's migrations
 * ({@link Engine}), and exposes the stores. The connection settings that make each engine
 * durable are decided in one place per engine: for SQLite ({@code jdbc:sqlite:path}) here:
 * WAL journal (readers never block the writer), {@code synchronous=FULL} (a commit is on disk
 * when it returns; NORMAL only where the operator chose it, {@link StorageLimits.SqliteSync}),
 * foreign keys on, a busy timeout for readers, and {@code secure_delete} (erased
 * envelopes are overwritten with zeros, see {@link WalTruncation}); for PostgreSQL
 * ({@code jdbc:postgresql://...}) in {@link PostgresPool} (durable commits checked at start,
 * bounded waits for a connection).
 *
 * <p>Two housekeeping tasks run on a thread of their own: the free-space check of
 * {@link DiskGuard} every second, and, on SQLite, the WAL truncation every
 * {@link StorageLimits#erasureBound}. A write or read that fails because the database is
 * unreachable fails with {@link StorageUnavailableException}.
 */
public final class Database implements AutoCloseable {

    private final HikariDataSource dataSource;
    private final WriteQueue writes;
    private final AccountStore accounts;
    private final PreKeyStore preKeys;
    private final MessageStore messages;
    private final DeviceStore devices;
    private final BlobRecords blobs;
    private final DiskGuard disk;
    private final Engine engine;
    private final Path file;
    private final ScheduledExecutorService housekeeping = Executors.newScheduledThreadPool(2,
            Thread.ofPlatform().name("parley-storage-housekeeping", 0).daemon(true).factory());

    private Database(HikariDataSource dataSource, Engine engine, MeterRegistry metrics, Path file, StorageLimits limits) {
        this.dataSource = dataSource;
        this.engine = engine;
        this.disk = new DiskGuard(file == null ? null : file.toAbsolutePath().getParent(), limits.diskWatermarkBytes(), metrics);
        this.writes = new WriteQueue(dataSource, engine, metrics, limits.commitLinger(), cause -> unavailableOr(disk.failed(cause), cause));
        var queueCounts = new QueueCounts(engine);
        writes.listen(queueCounts);
        this.accounts = new SqliteAccountStore(dataSource, writes, queueCounts);
        this.preKeys = new SqlitePreKeyStore(dataSource, writes);
        this.messages = new SqliteMessageStore(dataSource, writes, queueCounts);
        this.devices = new SqliteDeviceStore(dataSource, writes, queueCounts);
        this.blobs = new SqliteBlobRecords(dataSource, writes);
        this.file = file;
        long checkMillis = DiskGuard.CHECK_INTERVAL.toMillis();
        housekeeping.scheduleWithFixedDelay(disk::check, checkMillis, checkMillis, TimeUnit.MILLISECONDS);
        if (file != null) {
            long boundMillis = limits.erasureBound().toMillis();
            housekeeping.scheduleWithFixedDelay(new WalTruncation(dataSource, file), boundMillis, boundMillis,
                    TimeUnit.MILLISECONDS);
        }
    }

    public static Database open(String jdbcUrl, MeterRegistry metrics) {
        return open(jdbcUrl, metrics, StorageLimits.defaults());
    }

    public static Database open(String jdbcUrl, MeterRegistry metrics, StorageLimits limits) {
        Engine engine = Engine.of(jdbcUrl);
        Path file = engine == Engine.SQLITE ? databaseFile(jdbcUrl.substring("jdbc:sqlite:".length())) : null;
        HikariDataSource dataSource = engine == Engine.SQLITE ? sqlitePool(jdbcUrl, file, limits.sqliteSync())
                : PostgresPool.open(jdbcUrl, limits.databasePool());
        try {
            Flyway.configure().dataSource(dataSource).locations(engine.migrations()).load().migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return new Database(dataSource, engine, metrics, file, limits);
    }

    /** What a failed write completes with: the disk's verdict, else unavailability when the database is unreachable. */
    private static Throwable unavailableOr(Throwable diskVerdict, Exception cause) {
        if (diskVerdict == cause && StorageUnavailableException.isUnreachable(cause)) {
            return new StorageUnavailableException(cause);
        }
        return diskVerdict;
    }

    private static HikariDataSource sqlitePool(String jdbcUrl, Path file, StorageLimits.SqliteSync sync) {
        if (file != null) {
            createParentFolder(file);
        }
        var config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setPoolName("parley-sqlite");
        // One connection is held by the writer; the rest serve concurrent reads (WAL).
        config.setMaximumPoolSize(5);
        config.setMinimumIdle(2);
        config.addDataSourceProperty("journal_mode", "WAL");
        config.addDataSourceProperty("synchronous", sync.name());
        if (sync != StorageLimits.SqliteSync.FULL) {
            LoggerFactory.getLogger(Database.class).warn("SQLite synchronous={} (--sqlite-synchronous): commits are synced "
                    + "at checkpoints only; messages acknowledged just before a power loss or kernel crash can be lost", sync);
        }
        config.addDataSourceProperty("foreign_keys", "true");
        config.addDataSourceProperty("busy_timeout", "10000");
        config.addDataSourceProperty("secure_delete", "true");
        return new HikariDataSource(config);
    }

    /** The database file named by the part of a JDBC URL after {@code jdbc:sqlite:}; null if none (in memory, URI form). */
    private static Path databaseFile(String path) {
        int query = path.indexOf('?');
        String file = query >= 0 ? path.substring(0, query) : path;
        if (file.isEmpty() || file.equals(":memory:") || file.startsWith("file:")) {
            return null;
        }
        return Path.of(file).toAbsolutePath();
    }

    private static void createParentFolder(Path file) {
        Path parent = file.getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the database folder " + parent, e);
        }
    }

    public AccountStore accounts() {
        return accounts;
    }

    public PreKeyStore preKeys() {
        return preKeys;
    }

    public MessageStore messages() {
        return messages;
    }

    public DeviceStore devices() {
        return devices;
    }

    /** What each attachment blob is (its bytes are in the blob store). */
    public BlobRecords blobs() {
        return blobs;
    }

    /** The engine this database runs on. */
    public Engine engine() {
        return engine;
    }

    /** The database file, or null when the database has none (in memory, or PostgreSQL). */
    public Path file() {
        return file;
    }

    /**
     * Runs a trivial query on a pooled connection ({@code /readyz}): returns once the database
     * answered, throws when it cannot be reached.
     */
    public void ping() throws SQLException {
        try (var connection = dataSource.getConnection(); var statement = connection.createStatement()) {
            statement.execute("SELECT 1");
        }
    }

    /** The writer, for tests that must put a failing write into a batch. */
    WriteQueue writes() {
        return writes;
    }

    /**
     * Whether the database answers now: a pooled connection passes its validity check. Waits at
     * most the pool's connection timeout (3 s on PostgreSQL); for readiness checks.
     */
    public boolean answers() {
        try (java.sql.Connection connection = dataSource.getConnection()) {
            return connection.isValid(2);
        } catch (java.sql.SQLException e) {
            return false;
        }
    }

    /** Whether new data may be stored (free disk, watermark). */
    public DiskGuard disk() {
        return disk;
    }

    @Override
    public void close() {
        housekeeping.shutdownNow();
        writes.close();
        dataSource.close();
    }
}
