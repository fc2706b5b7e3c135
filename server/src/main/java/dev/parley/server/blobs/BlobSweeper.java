package dev.parley.server.blobs;

import dev.parley.server.config.BlobLimits;
import dev.parley.server.storage.BlobRecords;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes expired blobs: uploads not complete within their window, and complete blobs past
 * their life ({@code --blob-ttl}). The bytes go first ({@link BlobStore#delete}, which leaves a
 * blob alone while a part lands in it or once a part has completed it), then the row, so that a
 * crash between the two leaves a row whose deletion the next pass finishes, never bytes nobody
 * knows of; bytes the database has no record of (left by an older crash or restored from a
 * backup) are deleted too. Runs on the server's housekeeping thread every {@link #interval}; in
 * a cluster every node sweeps, and two nodes sweeping one blob at once do no harm.
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
            int deleted = sweepExpired() + sweepUnrecorded();
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
        do {
            expired = records.expired(now, BATCH);
            List<String> gone = new ArrayList<>();
            for (String id : expired) {
                if (store.delete(id)) {
                    gone.add(id);
                }
            }
            if (gone.isEmpty()) {
                break; // what is left is being written or live again: the next pass
            }
            records.delete(gone, now).join();
            deleted += gone.size();
        } while (expired.size() == BATCH);
        return deleted;
    }

    /** Bytes whose record is gone: a record is committed before its blob's bytes exist, so these have none to come. */
    int sweepUnrecorded() throws IOException {
        int deleted = 0;
        for (String id : store.unrecorded(BATCH)) {
            if (store.delete(id)) {
                deleted++;
            }
        }
        return deleted;
    }
}
