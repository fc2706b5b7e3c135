package dev.parley.client;

import dev.parley.client.net.ServerConnection;
import dev.parley.client.net.ServerError;
import dev.parley.wire.FrameCatalogue;
import dev.parley.wire.WireFrame;
import dev.parley.wire.frames.DeliveryFrames.RelayMessage;
import dev.parley.wire.frames.DeliveryFrames.Stored;
import dev.parley.wire.frames.DeviceFrames.DevicesChanged;
import dev.parley.wire.frames.DirectoryFrames.Presence;
import dev.parley.wire.frames.DirectoryFrames.PublicKeys;
import dev.parley.wire.frames.PreKeyFrames.PreKeysLow;
import java.util.function.Supplier;

/**
 * The frames the server sends unprompted, each handed to its family's class, one at a time on
 * the client's receive thread: relays to {@link Receiver}, directory pushes to
 * {@link Directory}, {@code prekeys_low} to {@link PreKeyUpkeep}, a late {@code stored} to the
 * {@link Outbox}, {@code devices_changed} to {@link OwnDevices}.
 */
final class UnpromptedFrames {

    private static final System.Logger LOG = System.getLogger(UnpromptedFrames.class.getName());

    /** The current identity's messaging; null while there is none, or once the client is closing (frames are dropped). */
    private final Supplier<CurrentIdentity.Identity> identity;
    private final Supplier<ServerConnection> connection;
    private final ParleyListener listener;
    private final Directory directory;
    private final PreKeyUpkeep preKeys;
    private final Outbox outbox;
    private final OwnDevices devices;

    UnpromptedFrames(Supplier<CurrentIdentity.Identity> identity, Supplier<ServerConnection> connection, ParleyListener listener,
            Directory directory, PreKeyUpkeep preKeys, Outbox outbox, OwnDevices devices) {
        this.devices = devices;
        this.identity = identity;
        this.connection = connection;
        this.listener = listener;
        this.directory = directory;
        this.preKeys = preKeys;
        this.outbox = outbox;
    }

    /** An unprompted frame, on the receive thread. */
    void handle(WireFrame frame) {
        CurrentIdentity.Identity current = identity.get();
        if (current == null) {
            return;
        }
        try {
            switch (frame) {
                case RelayMessage relay -> current.receiver().receive(relay);
                case PublicKeys push -> directory.observe(push.users());
                case Presence presence -> safely(() -> listener.onPresence(presence.username(), presence.online()));
                case PreKeysLow low -> {
                    ServerConnection open = connection.get();
                    if (open != null && open.isOpen()) {
                        preKeys.replenish(open, current.messaging().identity);
                    }
                }
                case Stored stored -> outbox.acknowledged(stored);
                case DevicesChanged changed -> devices.changed(changed);
                default -> {
                    // error frames without re (session_replaced, identity_reset) end the connection: see AccountLink
                }
            }
        } catch (ClientException | ServerError | RuntimeException e) {
            // A relay stays unacknowledged and is replayed after the next login; prekeys are
            // topped up again on the next prekeys_low or connect. Only the type and the failure
            // are logged: never a frame's content.
            LOG.log(System.Logger.Level.WARNING, "processing a " + FrameCatalogue.typeOf(frame).name() + " frame failed: " + e);
        }
    }

    static void safely(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            // By type only: an application's exception message may quote the message it handled.
            System.err.println("parley: listener failed: " + e.getClass().getName());
        }
    }
}
