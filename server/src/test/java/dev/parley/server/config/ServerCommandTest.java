package dev.parley.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ServerCommandTest {

    private static ServerConfig parse(String... args) {
        var captured = new AtomicReference<ServerConfig>();
        int exit = new CommandLine(new ServerCommand(captured::set)).execute(args);
        assertEquals(0, exit);
        return captured.get();
    }

    @Test
    void defaultsServeLocallyOnPort5000WithEmbeddedSqlite() {
        ServerConfig config = parse();
        // Assumes the test environment does not set PARLEY_* variables.
        assertEquals("127.0.0.1", config.host());
        assertEquals(5000, config.port());
        assertEquals("jdbc:sqlite:data/parley.db", config.databaseUrl());
        assertEquals(List.of("http://127.0.0.1:5000", "http://localhost:5000"), config.effectiveOrigins(5000));
        assertEquals(65536, config.limits().maxFrameBytes());
        assertEquals(new MetricsEndpoint("127.0.0.1", 9464, null), config.metrics());
    }

    @Test
    void metricsOffLoopbackNeedATokenAndTheRefusalIsAClearError() {
        assertRefusedNaming("--metrics-token", "--metrics-host", "0.0.0.0");

        ServerConfig config = parse("--metrics-host", "0.0.0.0", "--metrics-port", "9100", "--metrics-token", "s3cret");
        assertEquals(new MetricsEndpoint("0.0.0.0", 9100, "s3cret"), config.metrics());
        assertTrue(!parse("--metrics-port", "-1").metrics().enabled());
    }

    @Test
    void flagsOverrideDefaults() {
        ServerConfig config = parse("--port", "6001", "--allowed-origins", "https://chat.example.org, https://b.example",
                "--queue-ttl", "P7D", "--message-rate", "5");
        assertEquals(6001, config.port());
        assertEquals(List.of("https://chat.example.org", "https://b.example"), config.effectiveOrigins(6001));
        assertEquals(Duration.ofDays(7), config.limits().queueTtl());
        assertEquals(5, config.limits().messagesPerSecond());
    }

    @Test
    void storageLimitsHaveTheirDefaultsAndFlags() {
        assertEquals(StorageLimits.defaults(), parse().storage());
        StorageLimits storage = parse("--queue-share", "50", "--queued-mib-per-account", "2", "--disk-watermark-mib", "0",
                "--one-time-prekeys-per-target", "3", "--erasure-bound", "PT2S", "--link-ttl", "PT3M",
                "--recipient-sets-mib", "5", "--commit-linger", "PT0.0005S", "--sqlite-synchronous", "NORMAL").storage();
        assertEquals(new StorageLimits(3, 50, 2 * StorageLimits.MIB, 0, Duration.ofSeconds(2), Duration.ofMinutes(3),
                5 * StorageLimits.MIB).withCommitLinger(Duration.ofNanos(500_000)).withSqliteSync(StorageLimits.SqliteSync.NORMAL),
                storage);
        assertEquals(StorageLimits.SqliteSync.FULL, StorageLimits.defaults().sqliteSync());
        assertEquals(64 * StorageLimits.MIB, StorageLimits.defaults().recipientSetBytes());
        assertEquals(Duration.ofMinutes(10), StorageLimits.defaults().linkTtl());
    }

    @Test
    void blobLimitsHaveTheirDefaultsFlagsAndVariables() {
        assertEquals(BlobLimits.defaults(), parse().blobs());
        assertEquals(104_857_600L, BlobLimits.defaults().maxAttachmentBytes());
        assertEquals(1024 * StorageLimits.MIB, BlobLimits.defaults().quotaBytes());
        assertEquals(100, BlobLimits.defaults().uploadsPerHour());
        assertEquals(Duration.ofHours(1), BlobLimits.defaults().uploadWindow());
        assertEquals(Duration.ofDays(30), BlobLimits.defaults().ttl());
        BlobLimits blobs = parse("--blob-dir", "/srv/parley/blobs", "--max-attachment-mib", "20", "--blob-quota-mib", "64",
                "--uploads-per-hour", "7", "--blob-ttl", "P7D").blobs();
        assertEquals(new BlobLimits(java.nio.file.Path.of("/srv/parley/blobs"), 20 * StorageLimits.MIB, 64 * StorageLimits.MIB, 7,
                Duration.ofHours(1), Duration.ofDays(7)), blobs);
        assertEquals(java.nio.file.Path.of("/var/lib/parley/blobs"),
                BlobLimits.defaults().directoryFor(java.nio.file.Path.of("/var/lib/parley/parley.db")), "next to the database");

        var environment = java.util.Map.of("PARLEY_BLOB_QUOTA_MIB", "3", "PARLEY_BLOB_DIR", "/data/blobs");
        var captured = new AtomicReference<ServerConfig>();
        new CommandLine(new ServerCommand(captured::set)).setDefaultValueProvider(new EnvironmentDefaults(environment::get))
                .execute();
        assertEquals(3 * StorageLimits.MIB, captured.get().blobs().quotaBytes());
        assertEquals(java.nio.file.Path.of("/data/blobs"), captured.get().blobs().directory());
    }

    @Test
    void theWebBundleIsServedUnlessTurnedOff() {
        assertTrue(parse().webBundle());
        assertTrue(parse("--web-bundle").webBundle());
        assertFalse(parse("--no-web-bundle").webBundle());
        var environment = java.util.Map.of("PARLEY_WEB_BUNDLE", "false");
        var captured = new AtomicReference<ServerConfig>();
        new CommandLine(new ServerCommand(captured::set)).setDefaultValueProvider(new EnvironmentDefaults(environment::get))
                .execute();
        assertFalse(captured.get().webBundle());
    }

    @Test
    void connectionLimitsHaveFlagsAndDefaults() {
        assertEquals(ConnectionLimits.defaults(), parse().connections());
        ServerConfig config = parse("--trusted-proxies", "127.0.0.1/32, 10.0.0.0/8", "--bad-frames-per-minute", "5",
                "--outgoing-frames", "100", "--outgoing-bytes", "65536", "--outgoing-grace", "PT5S");
        assertEquals(new ConnectionLimits(List.of("127.0.0.1/32", "10.0.0.0/8"), 5, 100, 65536, Duration.ofSeconds(5)),
                config.connections());
    }

    @Test
    void theDrainNoticeDefaultsByModeAndAFlagSetsIt() {
        assertEquals(java.time.Duration.ZERO, parse().cluster().noticeBeforeDrain(), "a single node has nowhere to send its clients");
        assertEquals(ClusterSettings.DEFAULT_CLUSTER_DRAIN_NOTICE,
                parse("--redis-url", "redis://127.0.0.1:6379").cluster().noticeBeforeDrain());
        assertEquals(java.time.Duration.ofSeconds(7), parse("--drain-notice", "PT7S").cluster().noticeBeforeDrain());
        assertRefusedNaming("--drain-notice", "--drain-notice", "-PT1S");
    }

    @Test
    void helpListsEveryOptionWithItsEnvironmentVariable() {
        var out = new StringWriter();
        var commandLine = new CommandLine(new ServerCommand(c -> { }));
        commandLine.setOut(new PrintWriter(out));
        assertEquals(0, commandLine.execute("--help"));
        String help = out.toString();
        for (String variable : new String[] {"PARLEY_HOST", "PARLEY_PORT", "PARLEY_DATABASE_URL", "PARLEY_ALLOWED_ORIGINS",
                "PARLEY_MAX_FRAME_BYTES", "PARLEY_QUEUE_CAP", "PARLEY_CONNECTIONS_PER_IP", "PARLEY_QUEUE_SHARE",
                "PARLEY_QUEUED_MIB_PER_ACCOUNT", "PARLEY_DISK_WATERMARK_MIB", "PARLEY_ONE_TIME_PREKEYS_PER_TARGET",
                "PARLEY_ERASURE_BOUND", "PARLEY_METRICS_PORT", "PARLEY_METRICS_TOKEN",
                "PARLEY_TRUSTED_PROXIES",
                "PARLEY_BAD_FRAMES_PER_MINUTE", "PARLEY_OUTGOING_FRAMES", "PARLEY_OUTGOING_BYTES", "PARLEY_OUTGOING_GRACE",
                "PARLEY_BLOB_DIR", "PARLEY_MAX_ATTACHMENT_MIB", "PARLEY_BLOB_QUOTA_MIB", "PARLEY_UPLOADS_PER_HOUR",
                "PARLEY_BLOB_TTL"}) {
            assertTrue(help.contains(variable), variable + " missing from --help");
        }
    }

    @Test
    void eachOptionReadsTheVariableNamedAfterItAndAFlagWinsOverIt() {
        var environment = java.util.Map.of("PARLEY_QUEUE_SHARE", "7", "PARLEY_METRICS_PORT", "-1", "PARLEY_PORT", "6000");
        var captured = new AtomicReference<ServerConfig>();
        var commandLine = new CommandLine(new ServerCommand(captured::set))
                .setDefaultValueProvider(new EnvironmentDefaults(environment::get));
        assertEquals(0, commandLine.execute("--port", "6001"));
        assertEquals(7, captured.get().storage().queueShare());
        assertEquals(-1, captured.get().metrics().port());
        assertEquals(6001, captured.get().port(), "the flag wins");
    }

    @Test
    void aBadValueIsAClearErrorNotAStackTrace() {
        assertRefusedNaming("--port", "--port", "not-a-number");
    }

    /** The command line {@code args} is refused with an error that names {@code option}, without a stack trace. */
    private static void assertRefusedNaming(String option, String... args) {
        var err = new StringWriter();
        var commandLine = new CommandLine(new ServerCommand(c -> { }));
        commandLine.setErr(new PrintWriter(err));
        assertNotEquals(0, commandLine.execute(args));
        assertTrue(err.toString().contains(option), err.toString());
        assertTrue(!err.toString().contains("\tat "), "no stack trace");
    }
}
