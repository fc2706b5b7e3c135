package dev.parley.server.storage;

import dev.parley.wire.frames.PreKeyFrames.BundleKeys;
import dev.parley.wire.frames.PreKeyFrames.UploadPreKeys;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Signed, last-resort and one-time prekeys and the signed capabilities per device of an
 * account (each signed by the account's identity), kept as the wire's records: public
 * keys and signatures only. The server checks the signatures on upload (so garbage is refused
 * early) but clients verify them again.
 */
public interface PreKeyStore {

    /** Remaining one-time stock. */
    record Counts(int oneTimePreKeys, int kemOneTimePreKeys) {
    }

    /**
     * Stores a verified upload; absent parts leave what is stored unchanged, one-time keys are
     * added to the stock (an id already present is replaced). The upload's {@code id} is not stored.
     */
    CompletableFuture<Void> store(String username, int device, UploadPreKeys upload);

    /**
     * Builds a bundle for {@code username}'s {@code device}, taking (deleting) one one-time X25519 prekey and
     * one one-time KEM prekey if any are left. The take is atomic: two concurrent calls never
     * receive the same one-time key. Empty when the account has no signed prekey or no
     * last-resort KEM prekey yet.
     */
    default CompletableFuture<Optional<BundleKeys>> takeBundle(String username, int device) {
        return takeBundle(username, device, true);
    }

    /**
     * Like {@link #takeBundle(String, int)}; with {@code oneTime} false no one-time key is taken and
     * the bundle carries the signed prekey and the last-resort KEM key only (the target's
     * one-time allowance is used up, see {@code PreKeyHandlers}).
     */
    CompletableFuture<Optional<BundleKeys>> takeBundle(String username, int device, boolean oneTime);

    Counts counts(String username, int device);
}
