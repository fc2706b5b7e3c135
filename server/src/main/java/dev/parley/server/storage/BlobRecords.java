package dev.parley.server.storage;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code blobs} table: what each blob is (owner, declared size, bytes received, the hash of
 * its upload token, state, times). The bytes themselves are in a
 * {@link dev.parley.server.blobs.BlobStore}. Writes go through the database's single writer.
 */
public interface BlobRecords {

    /** The answer to {@link #create}. */
    sealed interface Creation {
        record Created() implements Creation {
        }

        /** The owner's blobs already declare {@code used} bytes; the new one would pass the quota. Nothing was stored. */
        record QuotaExceeded(long used) implements Creation {
        }
    }

    /**
     * Stores a new pending blob, in the writer's transaction, unless the declared sizes of its
     * owner's blobs (pending and complete, not yet deleted) and its own would pass
     * {@code quotaBytes}.
     */
    CompletableFuture<Creation> create(StoredBlob pending, long quotaBytes);

    Optional<StoredBlob> find(String id);

    /**
     * Records that the pending blob's bytes now reach {@code to} (from {@code from}); when
     * {@code to} is its size it becomes complete and expires at {@code completeExpiresAt}.
     * False, with nothing changed, when the blob is no longer pending at {@code from}, or its
     * upload window has ended at {@code now}.
     */
    CompletableFuture<Boolean> advance(String id, long from, long to, long now, long completeExpiresAt);

    /** Ids of up to {@code limit} blobs whose expiry has passed at {@code now}, pending or complete. */
    List<String> expired(long now, int limit);

    /** Deletes the rows of {@code ids} that have expired at {@code now}; returns how many. */
    CompletableFuture<Integer> delete(List<String> ids, long now);
}
