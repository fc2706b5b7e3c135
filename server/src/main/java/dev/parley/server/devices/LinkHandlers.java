package dev.parley.server.devices;

import dev.parley.server.cluster.Cluster;
import dev.parley.server.cluster.ClusterEvent.DevicesChanged;
import dev.parley.server.cluster.ClusterEvent.LinkReady;
import dev.parley.server.gateway.ClientConnection;
import dev.parley.server.limits.KeyedRateLimiter;
import dev.parley.server.storage.DeviceStore;
import dev.parley.server.storage.DeviceStore.Approval;
import dev.parley.server.storage.DeviceStore.Opening;
import dev.parley.server.storage.DiskGuard;
import dev.parley.server.storage.LinkChannel;
import dev.parley.wire.ErrorCode;
import dev.parley.wire.FrameRefused;
import dev.parley.wire.frames.DeviceFrames.LinkApprove;
import dev.parley.wire.frames.DeviceFrames.LinkApproved;
import dev.parley.wire.frames.DeviceFrames.LinkOpen;
import dev.parley.wire.frames.DeviceFrames.LinkOpened;
import dev.parley.wire.frames.DeviceFrames.LinkPeek;
import dev.parley.wire.frames.DeviceFrames.LinkRequest;
import dev.parley.wire.frames.DeviceFrames.LinkSealed;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Linking a new device (docs/PROTOCOL.md §4a): the new device opens a channel
 * ({@code link_open}, not logged in), a logged-in device of the account reads the sealed
 * request ({@code link_peek}) and approves it ({@code link_approve}: the list with the new
 * device, and the link message sealed to it, in one transaction), and the new device receives
 * {@code link_sealed} on its waiting connection, or at once when it opens the channel again.
 * A channel lives until the new device's first login or {@code --link-ttl} after it was opened.
 * In cluster mode the new device may wait on another node than the approver's: that node hears
 * of the approval ({@link LinkReady}) and reads the sealed message from the store.
 * New channels count against the address's registrations ({@code --registrations-per-ip}).
 */
public final class LinkHandlers {

    private static final Logger log = LoggerFactory.getLogger(LinkHandlers.class);

    private final DeviceStore devices;
    private final LinkWaiters waiters;
    private final Cluster cluster;
    private final KeyedRateLimiter openings;
    private final DiskGuard disk;
    private final Clock clock;
    private final Duration ttl;

    /** @param openings the registrations-per-address limiter, shared with register and reset */
    public LinkHandlers(DeviceStore devices, LinkWaiters waiters, Cluster cluster, KeyedRateLimiter openings,
                        DiskGuard disk, Clock clock, Duration ttl) {
        this.devices = devices;
        this.waiters = waiters;
        this.cluster = cluster;
        this.openings = openings;
        this.disk = disk;
        this.clock = clock;
        this.ttl = ttl;
    }

    public void open(ClientConnection connection, LinkOpen request) {
        if (connection.isAuthenticated()) {
            throw new FrameRefused(ErrorCode.ALREADY_AUTHENTICATED, "link_open is sent by a new device before it logs in");
        }
        if (devices.link(request.channel()).isEmpty()) {
            if (!openings.tryAcquire(connection.remoteAddress())) {
                throw new FrameRefused(ErrorCode.RATE_LIMITED, "too many registrations and links from this address; try later");
            }
            disk.ensureAccepting();
        }
        long now = clock.millis();
        Opening opening = devices.openLink(request.channel(), request.request(), now, now + ttl.toMillis()).join();
        if (opening instanceof Opening.Refused refused) {
            throw refused.refusal();
        }
        LinkChannel channel = ((Opening.Open) opening).channel();
        waiters.attach(request.channel(), connection);
        connection.send(new LinkOpened(request.id(), channel.expiresAt()));
        // Approved before this connection attached (a reconnect): hand the link message over now.
        // Read again after attaching, so that an approval committed meanwhile is not missed.
        devices.link(request.channel()).filter(LinkChannel::approved).ifPresent(approved -> {
            if (waiters.take(request.channel(), connection)) {
                connection.send(new LinkSealed(approved.channel(), approved.sealed(), approved.device()));
            }
        });
    }

    public void peek(ClientConnection connection, LinkPeek request) {
        LinkChannel channel = devices.link(request.channel())
                .orElseThrow(() -> new FrameRefused(ErrorCode.UNKNOWN_LINK, "no link is waiting under this code"));
        if (channel.expired(clock.millis()) || channel.approved()) {
            throw new FrameRefused(ErrorCode.LINK_EXPIRED, "this link code has expired or was used");
        }
        connection.send(new LinkRequest(request.id(), channel.channel(), channel.request(), channel.expiresAt()));
    }

    public void approve(ClientConnection connection, LinkApprove request) {
        String username = connection.username();
        disk.ensureAccepting();
        Approval approval = devices.approveLink(username, request.channel(), request.list(), request.sealed(), clock.millis(),
                (current, signingKey) -> DeviceListRules.addition(current, request.list(), signingKey)).join();
        switch (approval) {
            case Approval.Refused refused -> throw refused.refusal();
            case Approval.Approved approved -> {
                log.info("device linked account={} device={} version={}", username, approved.device(), approved.version());
                connection.send(new LinkApproved(request.id(), approved.device()));
                cluster.announce(new DevicesChanged(username, approved.version(), List.of()));
                ClientConnection waiting = waiters.take(request.channel());
                if (waiting != null) {
                    waiting.send(new LinkSealed(request.channel(), request.sealed(), approved.device()));
                } else {
                    cluster.announce(new LinkReady(request.channel()));
                }
            }
        }
    }

    /**
     * A link was approved on another node: if the new device waits here, it gets its
     * {@code link_sealed}, read from the store (taken out of the waiters first, so it goes once).
     */
    public void approvedElsewhere(byte[] channel) {
        ClientConnection waiting = waiters.take(channel);
        if (waiting == null) {
            return;
        }
        devices.link(channel).filter(LinkChannel::approved)
                .ifPresent(approved -> waiting.send(new LinkSealed(approved.channel(), approved.sealed(), approved.device())));
    }
}
