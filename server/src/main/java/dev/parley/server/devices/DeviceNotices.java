package dev.parley.server.devices;

import dev.parley.server.directory.DirectoryHandlers;
import dev.parley.server.gateway.ClientConnection;
import dev.parley.server.gateway.OnlineUsers;
import dev.parley.wire.ErrorCode;
import dev.parley.wire.FrameCatalogue;
import dev.parley.wire.frames.DeviceFrames.DevicesChanged;
import dev.parley.wire.frames.SessionFrames.ErrorFrame;
import java.util.Collection;
import java.util.Set;

/**
 * What the connections hear when an account's device list changes: {@code devices_changed} to
 * every directory subscriber, to the connections that found the account ({@code find_users}) and
 * to each of the account's own devices (once each), and, for
 * the devices a list removed, {@code error device_unlinked} before their connection closes.
 */
public final class DeviceNotices {

    private final OnlineUsers online;
    private final DirectoryHandlers directory;

    public DeviceNotices(OnlineUsers online, DirectoryHandlers directory) {
        this.online = online;
        this.directory = directory;
    }

    /** {@code username}'s list is now at {@code version} (register, link, unlink, reset). */
    public void listChanged(String username, long version) {
        Set<ClientConnection> receivers = directory.receivers(username);
        receivers.addAll(online.devicesOf(username));
        if (receivers.isEmpty()) {
            return;
        }
        String text = FrameCatalogue.encode(new DevicesChanged(username, version));
        for (ClientConnection connection : receivers) {
            connection.sendEncoded(text);
        }
    }

    /** The devices of {@code username} left out of its new list: their connections are told and closed. */
    public void unlinked(String username, Collection<Integer> removed) {
        for (int device : removed) {
            ClientConnection connection = online.get(username, device);
            if (connection != null) {
                connection.send(ErrorFrame.of(ErrorCode.DEVICE_UNLINKED, "this device was removed from the account", null));
                connection.close();
            }
        }
    }
}
