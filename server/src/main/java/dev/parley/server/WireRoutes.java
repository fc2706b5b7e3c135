package dev.parley.server;

import dev.parley.server.auth.AuthHandlers;
import dev.parley.server.blobs.BlobUploads;
import dev.parley.server.config.BlobLimits;
import dev.parley.server.config.DirectorySettings;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.delivery.DeliveryHandlers;
import dev.parley.server.devices.DeviceHandlers;
import dev.parley.server.devices.LinkHandlers;
import dev.parley.server.directory.DirectoryHandlers;
import dev.parley.server.gateway.ClientConnection;
import dev.parley.server.gateway.Route;
import dev.parley.server.gateway.Routes;
import dev.parley.server.prekeys.PreKeyHandlers;
import dev.parley.wire.frames.AuthFrames.Login;
import dev.parley.wire.frames.AuthFrames.Register;
import dev.parley.wire.frames.AuthFrames.Reset;
import dev.parley.wire.frames.BlobFrames.BlobUpload;
import dev.parley.wire.frames.DeliveryFrames.Ack;
import dev.parley.wire.frames.DeliveryFrames.SendMessage;
import dev.parley.wire.frames.DeliveryFrames.SendMulti;
import dev.parley.wire.frames.DeviceFrames.GetDevices;
import dev.parley.wire.frames.DeviceFrames.LinkApprove;
import dev.parley.wire.frames.DeviceFrames.LinkOpen;
import dev.parley.wire.frames.DeviceFrames.LinkPeek;
import dev.parley.wire.frames.DeviceFrames.PublishDevices;
import dev.parley.wire.frames.DirectoryFrames.FindUsers;
import dev.parley.wire.frames.DirectoryFrames.GetPublicKeys;
import dev.parley.wire.frames.PreKeyFrames.GetPreKeyBundle;
import dev.parley.wire.frames.PreKeyFrames.GetPreKeyCount;
import dev.parley.wire.frames.PreKeyFrames.UploadPreKeys;
import dev.parley.wire.frames.SessionFrames.GetServerLimits;
import dev.parley.wire.frames.SessionFrames.Ping;
import dev.parley.wire.frames.SessionFrames.Pong;
import dev.parley.wire.frames.SessionFrames.ServerLimits;

/**
 * The one table of which handler answers each request frame a client may send, and under which
 * rule ({@link Route}: open before login, logged in, or run on the connection's reader without
 * blocking). A frame type not in it is refused by the gateway.
 */
final class WireRoutes {

    /** The handlers the table routes to, built by {@link ParleyServer}. */
    record Handlers(AuthHandlers auth, DirectoryHandlers directory, DeviceHandlers devices, LinkHandlers links,
                    PreKeyHandlers preKeys, DeliveryHandlers delivery, BlobUploads blobUploads) {
    }

    private WireRoutes() {
    }

    static Routes table(Handlers h, ServerConfig config) {
        var limits = config.limits();
        var auth = h.auth();
        return new Routes()
                .add(Register.class, Route.open(auth::register).afterRefusal(auth::refused))
                .add(Login.class, Route.open(auth::login).afterRefusal(auth::refused))
                .add(Reset.class, Route.open(auth::reset).afterRefusal(auth::refused))
                .add(Ping.class, Route.nonBlocking((connection, ping) -> connection.send(new Pong(ping.id())), false))
                .add(GetServerLimits.class, Route.nonBlocking((connection, get) -> connection.send(
                        serverLimits(get.id(), limits, config.blobs(), config.directory())), false))
                .add(GetPublicKeys.class, Route.loggedIn(h.directory()::getPublicKeys))
                .add(FindUsers.class, Route.loggedIn(h.directory()::findUsers))
                .add(GetDevices.class, Route.loggedIn(h.devices()::get).allowingUnlisted())
                .add(PublishDevices.class, Route.loggedIn(h.devices()::publish).allowingUnlisted())
                .add(LinkOpen.class, Route.open(h.links()::open))
                .add(LinkPeek.class, Route.loggedIn(h.links()::peek))
                .add(LinkApprove.class, Route.loggedIn(h.links()::approve))
                .add(UploadPreKeys.class, Route.loggedIn(h.preKeys()::upload))
                .add(GetPreKeyCount.class, Route.loggedIn(h.preKeys()::count))
                .add(GetPreKeyBundle.class, Route.loggedIn(h.preKeys()::bundle))
                .add(SendMessage.class, Route.nonBlocking(h.delivery()::send, true))
                .add(SendMulti.class, Route.nonBlocking(h.delivery()::sendMulti, true))
                .add(Ack.class, Route.nonBlocking(h.delivery()::acknowledge, true))
                .add(BlobUpload.class, Route.loggedIn(h.blobUploads()::upload));
    }

    /** The answer to {@code get_server_limits}: the settings a client adapts to (docs/PROTOCOL.md §1). */
    static ServerLimits serverLimits(String re, ServerConfig.Limits limits, BlobLimits blobs, DirectorySettings directory) {
        return new ServerLimits(re, limits.maxEnvelopeChars(), ClientConnection.MAX_UNCOMMITTED_SENDS,
                limits.messagesPerSecond(), limits.messageBurst(), limits.queueTtl().toSeconds(), blobs.maxAttachmentBytes(),
                directory.mode().wireName());
    }
}
