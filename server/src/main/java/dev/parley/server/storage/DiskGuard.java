package dev.parley.server.storage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether the server may take new data (sends, registrations, prekey uploads): not
 * while the database's file system has less than the watermark free, nor after a write failed
 * on a full disk until space has come back ({@link #RESUME_MARGIN}) or {@link #RETRY_AFTER} has
 * passed. Acknowledgements (erasures) are never refused: they free space.
 *
 * <p>Free space is read by {@link #check} (once a second, off the hot path); {@link #refusing}
 * is two volatile reads. Every change of state is logged once, and exported as metrics:
 * {@code parley_disk_usable_bytes}, {@code parley_storage_refusing} (1 while refusing) and
 * {@code parley_storage_full_refusals_total}.
 */
public final class DiskGuard implements WriteQueue.Health {

    /** How often {@link #check} should run. */
    public static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);
    /** After a write hit a full disk, writes resume once this much more is free than was free at the failure. */
    static final long RESUME_MARGIN = 1024 * 1024;
    /**
     * ... or at the latest this long after the failure, in case free space is not what limits
     * the database (a quota, say): a write that fails again is refused again, never acked.
     */
    static final Duration RETRY_AFTER = Duration.ofSeconds(10);
    private static final int SQLITE_IOERR = 10;
    private static final int SQLITE_FULL = 13;
    private static final Logger log = LoggerFactory.getLogger(DiskGuard.class);

    private final Path folder;
    private final long watermark;
    private final Counter refusals;
    private volatile long usable = Long.MAX_VALUE;
    private volatile boolean belowWatermark;
    private volatile boolean writeHitFullDisk;
    private volatile long usableAtFailure;
    private volatile long failedAtNanos;
    /** The state last logged; guarded by {@code this}. */
    private String loggedState = "ok";

    /**
     * @param folder    the database's folder, or null when it has none (in-memory): then only
     *                  failed writes count
     * @param watermark free bytes under which new data is refused; 0 for none
     */
    public DiskGuard(Path folder, long watermark, MeterRegistry metrics) {
        this.folder = folder;
        this.watermark = watermark;
        this.refusals = Counter.builder("parley_storage_full_refusals")
                .description("Sends, registrations and prekey uploads refused with storage_full").register(metrics);
        Gauge.builder("parley_disk_usable_bytes", this, g -> g.usable == Long.MAX_VALUE ? Double.NaN : g.usable)
                .description("Usable bytes on the database's file system").baseUnit("bytes").register(metrics);
        Gauge.builder("parley_storage_refusing", this, g -> g.refusing() ? 1 : 0)
                .description("1 while new data is refused (disk full or below the watermark)").register(metrics);
        check();
    }

    /** True while new data must be refused with {@code storage_full}. */
    public boolean refusing() {
        return belowWatermark || writeHitFullDisk;
    }

    /**
     * Refuses new data while {@link #refusing}: counts the refusal and throws; the gateway
     * answers it as {@code storage_full}. Call before anything is stored.
     */
    public void ensureAccepting() {
        if (refusing()) {
            countRefusal();
            throw new StorageFullException("the server's disk is full or below its free-space watermark; "
                    + "nothing was stored, try later", null);
        }
    }

    /** Counts a write refused because it failed on a full disk. */
    public void countRefusal() {
        refusals.increment();
    }

    /**
     * Reads the free space and decides whether to take new data again; run every
     * {@link #CHECK_INTERVAL}. (A commit proves nothing about space: an empty or read-only
     * batch commits on a full disk too.)
     */
    public void check() {
        if (folder != null) {
            long free = folder.toFile().getUsableSpace();
            usable = free;
            belowWatermark = free < watermark;
        }
        if (writeHitFullDisk) {
            boolean spaceReturned = usable >= usableAtFailure + RESUME_MARGIN;
            if (spaceReturned || System.nanoTime() - failedAtNanos >= RETRY_AFTER.toNanos()) {
                writeHitFullDisk = false;
                if (!spaceReturned) {
                    log.info("storage: trying writes again {} s after one failed on a full disk ({} bytes usable)",
                            RETRY_AFTER.toSeconds(), usable);
                }
            }
        }
        logTransition();
    }

    @Override
    public Throwable failed(Exception cause) {
        if (!isDiskFull(cause)) {
            return cause;
        }
        usableAtFailure = folder == null ? 0 : folder.toFile().getUsableSpace();
        usable = folder == null ? usable : usableAtFailure;
        failedAtNanos = System.nanoTime();
        writeHitFullDisk = true;
        logTransition();
        return new StorageFullException("the disk is full", cause);
    }

    private boolean isDiskFull(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StorageFullException) {
                return true;
            }
            if (t instanceof SQLException e && "53100".equals(e.getSQLState())) {
                return true; // PostgreSQL: disk_full
            }
            if (t instanceof SQLException e) {
                int primary = e.getErrorCode() & 0xFF;
                if (primary == SQLITE_FULL) {
                    return true;
                }
                // A full disk can also surface as an I/O error (growing the WAL index, say).
                if (primary == SQLITE_IOERR && folder != null && folder.toFile().getUsableSpace() < RESUME_MARGIN) {
                    return true;
                }
            }
        }
        return false;
    }

    private synchronized void logTransition() {
        String state = writeHitFullDisk ? "disk_full" : belowWatermark ? "below_watermark" : "ok";
        if (state.equals(loggedState)) {
            return;
        }
        loggedState = state;
        long free = usable;
        switch (state) {
            case "disk_full" -> log.error("storage full: a write failed on a full disk ({} bytes usable); refusing sends, "
                    + "registrations and prekey uploads with storage_full until space returns", free);
            case "below_watermark" -> log.warn("storage low: {} bytes usable on the database's file system, under the "
                    + "watermark of {}; refusing sends, registrations and prekey uploads with storage_full", free, watermark);
            default -> log.info("storage ok again: {} bytes usable; taking sends again", free);
        }
    }
}
