package dev.parley.server.storage;

import dev.parley.wire.frames.AuthFrames.IdentityKeys;
import dev.parley.wire.frames.DeviceFrames.DeviceList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Usernames, the identity each is bound to, and (with it) the account's first device list. */
public interface AccountStore {

    Optional<Account> find(String username);

    /** Every account, ordered by username. */
    List<Account> all();

    /** Every username, in no particular order. */
    List<String> usernames();

    /**
     * Creates the account with its first device list ({@code deviceList}, version 1, device 1)
     * and device 1's row, in one transaction. Completes exceptionally with {@link UsernameTakenException} if the
     * username exists (first come, first served), and with {@link UsernameConfusableException}
     * if another account's username has the same confusable skeleton
     * ({@link dev.parley.wire.UsernameSkeleton}).
     */
    CompletableFuture<Void> create(Account account, DeviceList deviceList);

    /**
     * Rebinds {@code username} to a new identity and recovery hash, in one transaction that
     * also drops everything tied to the old identity: every device (rows, list, prekeys,
     * undelivered queues, link channels); {@code deviceList} (version 1, the resetting device as
     * device 1) becomes the account's list. Completes with {@code false} if the account does not exist.
     */
    CompletableFuture<Boolean> replaceIdentity(String username, IdentityKeys identity, byte[] recoveryHash, DeviceList deviceList,
                                               long now);
}
