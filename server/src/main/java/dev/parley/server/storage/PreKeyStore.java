package dev.parley.server.storage;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Signed, last-resort and one-time prekeys per account. */
public interface PreKeyStore {

    CompletableFuture<Void> store(String username, PreKeys.Upload upload);

    /**
     * Builds a bundle for {@code username}, taking (deleting) one one-time X25519 prekey and
     * one one-time KEM prekey if any are left. The take is atomic: two concurrent calls never
     * receive the same one-time key. Empty when the account has no signed prekey or no
     * last-resort KEM prekey yet.
     */
    default CompletableFuture<Optional<PreKeys.Bundle>> takeBundle(String username) {
        return takeBundle(username, true);
    }

    /**
     * Like {@link #takeBundle(String)}; with {@code oneTime} false no one-time key is taken and
     * the bundle carries the signed prekey and the last-resort KEM key only (the target's
     * one-time allowance is used up, see {@code PreKeyHandlers}).
     */
    CompletableFuture<Optional<PreKeys.Bundle>> takeBundle(String username, boolean oneTime);

    PreKeys.Counts counts(String username);
}
