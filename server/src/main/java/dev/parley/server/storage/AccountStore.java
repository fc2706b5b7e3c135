package dev.parley.server.storage;

import dev.parley.wire.frames.AuthFrames.IdentityKeys;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Usernames and the identity each is bound to. */
public interface AccountStore {

    Optional<Account> find(String username);

    /** Every account, ordered by username. */
    List<Account> all();

    /** Every username, in no particular order. */
    List<String> usernames();

    /**
     * Creates the account. Completes exceptionally with {@link UsernameTakenException} if the
     * username exists (first come, first served), and with {@link UsernameConfusableException}
     * if another account's username has the same confusable skeleton
     * ({@link dev.parley.wire.UsernameSkeleton}).
     */
    CompletableFuture<Void> create(Account account);

    /**
     * Rebinds {@code username} to a new identity and recovery hash, in one transaction that
     * also drops everything tied to the old identity: its prekeys and its undelivered queue.
     * Completes with {@code false} if the account does not exist.
     */
    CompletableFuture<Boolean> replaceIdentity(String username, IdentityKeys identity, byte[] recoveryHash, long now);
}
