package dev.parley.server.blobs;

import dev.parley.server.config.BlobLimits;
import dev.parley.server.storage.BlobRecords;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes expired blobs: uploads not complete within their window, and complete blobs past
 * their life ({@code --blob-ttl}). The file goes first, then the row, so that a crash between
 * the two leaves a row whose deletion the next pass finishes, never a file nobody knows of; a
 * file the database does not know (left by an older crash or restored from a backup) is deleted
 * too. Runs on the server's housekeeping thread every {@link #interval}.
 */
public final class BlobSweeper implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(BlobSweeper.class);
    /** Rows deleted per write transaction. */
    private static final int BATCH = 500;

    private final BlobStore store;
    private final BlobRecords records;
    private final Clock clock;

    public BlobSweeper(BlobStore store, BlobRecords records, Clock clock) {
        this.store = store;
        this.records = records;
        this.clock = clock;
    }

    /**
     * How often to sweep: every minute, or more often when the upload window or the blobs'
     * life is shorter than two minutes (half the shorter one).
     */
    public static Duration interval(BlobLimits limits) {
        Duration shortest = limits.uploadWindow().compareTo(limits.ttl()) < 0 ? limits.uploadWindow() : limits.ttl();
        Duration half = shortest.dividedBy(2);
        Duration minute = Duration.ofMinutes(1);
        if (half.compareTo(minute) >= 0) {
            return minute;
        }
        return half.toMillis() < 100 ? Duration.ofMillis(100) : half;
    }

    @Override
    public void run() {
        try {
            int deleted = sweepExpired() + sweepUnknownFiles();
            if (deleted > 0) {
                log.info("deleted {} expired blobs", deleted);
            }
        } catch (IOException | RuntimeException e) {
            log.warn("sweeping blobs failed: {}", e.toString());
        }
    }

    int sweepExpired() throws IOException {
        int deleted = 0;
        long now = clock.millis();
        List<String> expired;
        while (!(expired = records.expired(now, BATCH)).isEmpty()) {
            for (String id : expired) {
                store.delete(id);
            }
            deleted += records.delete(expired, now).join();
            if (expired.size() < BATCH) {
                break;
            }
        }
        return deleted;
    }

    /** Files whose row is gone: a row is committed before its file is created, so such a file has none to come. */
    int sweepUnknownFiles() throws IOException {
        int deleted = 0;
        for (String id : store.list()) {
            if (records.find(id).isEmpty()) {
                store.delete(id);
                deleted++;
            }
        }
        return deleted;
    }
}
