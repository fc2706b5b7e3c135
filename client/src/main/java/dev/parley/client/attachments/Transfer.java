package dev.parley.client.attachments;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One upload or download as the caller sees it: progress reports and cancellation. Progress
 * counts blob bytes (ciphertext) confirmed by the server (upload) or read from it (download),
 * out of the blob length. {@link #cancel} may be called from any thread: the transfer stops at
 * its next read or write and fails with {@link FileTransferException} {@code cancelled}.
 */
public final class Transfer {

    /** Called with the bytes done and the total; from the transferring thread. */
    @FunctionalInterface
    public interface Progress {
        void onProgress(long done, long total);
    }

    private final Progress progress;
    private final AtomicBoolean cancelled = new AtomicBoolean();

    public Transfer(Progress progress) {
        this.progress = progress == null ? (done, total) -> { } : progress;
    }

    /** A transfer nobody watches (it can still be cancelled through this object). */
    public static Transfer quiet() {
        return new Transfer(null);
    }

    public void cancel() {
        cancelled.set(true);
    }

    public boolean isCancelled() {
        return cancelled.get();
    }

    void report(long done, long total) {
        progress.onProgress(done, total);
    }

    /** Throws {@code cancelled} once {@link #cancel} was called. */
    void check() throws FileTransferException {
        if (isCancelled()) {
            throw new FileTransferException(FileTransferException.CANCELLED, "the transfer was cancelled");
        }
    }
}
