package dev.parley.server.storage;

import dev.parley.wire.FrameRefused;
import dev.parley.wire.frames.DeviceFrames.DeviceList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Accounts' signed device lists, the server's device rows, and link channels. Every change of
 * a list runs in one writer transaction with the check that allows it ({@link ListCheck}), so
 * two changes can never both pass against the same stored version, and a reset in between
 * is seen.
 */
public interface DeviceStore {

    /**
     * Decides, inside the writer's transaction, whether a new list may replace the stored one.
     * {@code current} is null for an account without a list; {@code signingKey} is the account's
     * identity key in the same transaction. Returns the refusal, or null to go on.
     */
    @FunctionalInterface
    interface ListCheck {
        FrameRefused refusal(StoredDeviceList current, byte[] signingKey);
    }

    /** The result of {@link #publish}. */
    sealed interface Publication {
        /** Stored; {@code removed} are the devices the new list left out (rows, prekeys and queues deleted). */
        record Published(long version, List<Integer> removed) implements Publication {
        }

        record Refused(FrameRefused refusal) implements Publication {
        }
    }

    /** The result of {@link #approveLink}. */
    sealed interface Approval {
        /** The list is stored, the device row made, and the channel holds {@code sealed} for the new device. */
        record Approved(int device, long version) implements Approval {
        }

        record Refused(FrameRefused refusal) implements Approval {
        }
    }

    /** The result of {@link #openLink}: the channel as it now is, or why it cannot be opened. */
    sealed interface Opening {
        /** {@code opened}: the channel was created by this call (not re-attached). */
        record Open(LinkChannel channel, boolean opened) implements Opening {
        }

        record Refused(FrameRefused refusal) implements Opening {
        }
    }

    Optional<StoredDeviceList> list(String username);

    /** The server's device rows of the account, by id. */
    List<DeviceRow> rows(String username);

    /**
     * What a login of {@code device} needs: the key the signed list gives it and its last-seen
     * day, if the account's list names it and the device has a row; empty otherwise.
     */
    Optional<LoginDevice> loginDevice(String username, int device);

    /**
     * A list that only removes devices, or an account's first list (an account from before
     * devices, listing its device 1). In one transaction: the list is stored, the removed
     * devices' rows, prekeys, queues and link channels deleted; for a first list, the device row
     * of device 1 is made (with the capabilities the account had uploaded).
     */
    CompletableFuture<Publication> publish(String username, DeviceList list, ListCheck check);

    /** Opens a link channel, or finds the one open under {@code channel} (a re-attach after a reconnect). */
    CompletableFuture<Opening> openLink(byte[] channel, byte[] request, long now, long expiresAt);

    /** The link channel, expired or not; empty if there is none. */
    Optional<LinkChannel> link(byte[] channel);

    /**
     * Approves a link: in one transaction, checks that the channel is open (neither expired nor
     * approved), runs {@code check}, stores the list, makes the new device's row (its key and
     * linkedAt from its list entry: the one entry with an id above every id used before) and
     * keeps {@code sealed} in the channel for the new device.
     */
    CompletableFuture<Approval> approveLink(String username, byte[] channel, DeviceList list, byte[] sealed, long now,
                                            ListCheck check);

    /**
     * A device logged in on a day it was not yet recorded on: its last-seen day ({@code day},
     * the UTC day's start in ms), and the end of the link channel that brought it (if any).
     */
    CompletableFuture<Void> loggedIn(String username, int device, long day);

    /** A device's connection ended on a later day than its login was recorded on: its last-seen day. */
    CompletableFuture<Void> loggedOut(String username, int device, long day);

    /** Deletes link channels whose expiry has passed; returns how many. */
    CompletableFuture<Integer> purgeExpiredLinks(long now);
}
