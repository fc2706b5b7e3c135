package dev.parley.client;

import dev.parley.client.ClientException.Reason;
import dev.parley.client.net.ServerConnection;
import dev.parley.client.net.ServerError;
import dev.parley.client.store.ClientStore;
import dev.parley.client.store.HistoryStore;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.crypto.Randomness;
import dev.parley.protocol.link.LinkCode;
import dev.parley.protocol.link.LinkRequest;
import dev.parley.protocol.link.LinkSealing;
import dev.parley.protocol.payload.HistoryChunks;
import dev.parley.protocol.payload.HistoryEntry;
import dev.parley.protocol.payload.Payload;
import dev.parley.wire.ErrorCode;
import dev.parley.wire.WireLimits;
import dev.parley.wire.frames.DeviceFrames.DeviceEntry;
import dev.parley.wire.frames.DeviceFrames.DeviceList;
import dev.parley.wire.frames.DeviceFrames.LinkApprove;
import dev.parley.wire.frames.DeviceFrames.LinkApproved;
import dev.parley.wire.frames.DeviceFrames.LinkPeek;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Linking, on the existing device (LINKED-DEVICES.md, "Linking" steps 2, 3 and 5): the link code
 * the user typed opens the new device's request ({@link #peek}); once the user compared the name
 * and the device-key fingerprint, {@link #approve} signs the next list version with the new
 * device at the next id, seals the link message (identity, list, contacts with their trust,
 * device names) to the code, and sends {@code link_approve}; the server stores the list, the
 * device row and the sealed message in one transaction. History, if offered, follows as
 * {@code history} sync payloads through the outbox.
 */
final class LinkApproval {

    /** What a new device is offered by default: the last 30 days, at most 10,000 messages. */
    static final Duration HISTORY_SPAN = Duration.ofDays(30);
    static final int HISTORY_MAX = 10_000;
    /** A device id the server refuses as not larger than every id ever used is retried with the next ones, this often. */
    private static final int ID_ATTEMPTS = 8;

    private final ClientStore store;
    private final Supplier<Messaging> messaging;
    private final Supplier<ServerConnection> connection;
    private final Outbox outbox;
    private final Randomness randomness;
    private final Clock clock;
    private final Duration timeout;

    LinkApproval(ClientStore store, Supplier<Messaging> messaging, Supplier<ServerConnection> connection, Outbox outbox,
            Randomness randomness, Clock clock, Duration timeout) {
        this.store = store;
        this.messaging = messaging;
        this.connection = connection;
        this.outbox = outbox;
        this.randomness = randomness;
        this.clock = clock;
        this.timeout = timeout;
    }

    /** Opens the request of the device waiting with {@code code}; nothing is approved yet. */
    PendingLink peek(String code) throws ClientException {
        byte[] linkKey;
        try {
            linkKey = LinkCode.parse(code);
        } catch (ProtocolException e) {
            throw new ClientException(Reason.REFUSED, "that is not a link code (52 letters and digits in groups of four,"
                    + " as the new device shows it): " + e.getMessage());
        }
        var answer = request(new LinkPeek(open().nextRequestId(), LinkSealing.channel(linkKey)),
                dev.parley.wire.frames.DeviceFrames.LinkRequest.class);
        LinkRequest request;
        try {
            request = LinkSealing.openRequest(linkKey, answer.request());
        } catch (ProtocolException e) {
            throw new ClientException(Reason.REFUSED, "the new device's request does not open with this code: it was"
                    + " altered on the way; do not approve it (" + e.failure() + ")");
        }
        return new PendingLink(request.name(), PendingLink.fingerprint(request.deviceKey()), answer.expiresAt(), linkKey,
                request.deviceKey());
    }

    /**
     * Approves {@code pending}: returns the new device's id. With {@code history}, the texts of
     * the last {@link #HISTORY_SPAN} (at most {@link #HISTORY_MAX}) are queued for it as history
     * chunks; {@link #historyChunks} says how many.
     */
    Approved approve(PendingLink pending, boolean history) throws ClientException {
        Messaging current = messaging.get();
        current.lock.lock();
        try {
            DeviceList held = current.lists.refresh(current.username).list();
            if (held.devices().size() >= WireLimits.MAX_DEVICES) {
                throw tooMany();
            }
            if (held.devices().stream().anyMatch(e -> java.util.Arrays.equals(e.key(), pending.deviceKey()))) {
                throw new ClientException(Reason.REFUSED, "this device key is already linked to the account");
            }
            int next = Math.max(held.devices().getLast().id(), store.devices.largestDeviceId(current.username)) + 1;
            ServerError lastRefusal = null;
            for (int attempt = 0; attempt < ID_ATTEMPTS && next <= WireLimits.MAX_DEVICE_ID; attempt++, next++) {
                long now = clock.millis();
                List<DeviceEntry> entries = new ArrayList<>(held.devices());
                entries.add(new DeviceEntry(next, pending.deviceKey(), now));
                DeviceList list = DeviceLists.sign(current.identity, held.version() + 1, now, entries);
                Map<Integer, String> names = new TreeMap<>(store.devices.names());
                names.put(next, pending.name());
                byte[] sealed = seal(pending, new LinkMessage(current.username, next, current.identity, list, true,
                        store.contacts().stream().map(LinkMessage.LinkedContact::of).toList(), names, history));
                try {
                    LinkApproved approved = open().request(new LinkApprove(open().nextRequestId(),
                            LinkSealing.channel(pending.linkKey()), list, sealed), LinkApproved.class, timeout);
                    int device = approved.device();
                    store.transaction(() -> {
                        store.devices.saveList(current.username, list);
                        store.devices.saveName(device, pending.name());
                    });
                    int chunks = history ? queueHistory(current.username) : 0;
                    outbox.pump();
                    return new Approved(device, chunks);
                } catch (ServerError e) {
                    if (!e.is(ErrorCode.BAD_DEVICE_LIST)) {
                        throw refused(e);
                    }
                    lastRefusal = e; // an id below one used before (a device this device never saw): the next one
                }
            }
            throw ServerErrors.refused("the new device list", lastRefusal);
        } finally {
            current.lock.unlock();
        }
    }

    /** The new device's id and the number of history chunks queued for it. */
    record Approved(int device, int historyChunks) {}

    private byte[] seal(PendingLink pending, LinkMessage message) throws ClientException {
        try {
            return LinkSealing.sealMessage(pending.linkKey(), message.encode(), randomness);
        } catch (ProtocolException e) {
            throw new ClientException(Reason.REFUSED, "the link code is not a usable key (" + e.failure() + ")");
        }
    }

    /** Queues the recent history as chunks to this account's other devices (the new one keeps them), in one transaction. */
    private int queueHistory(String self) throws ClientException {
        long since = clock.millis() - HISTORY_SPAN.toMillis();
        List<HistoryEntry> entries = new ArrayList<>();
        for (HistoryStore.Entry entry : store.history.since(since, HISTORY_MAX)) {
            entries.add(new HistoryEntry(entry.outgoing() ? HistoryEntry.Direction.OUTGOING : HistoryEntry.Direction.INCOMING,
                    entry.peer(), entry.id(), entry.sentAt(), entry.text()));
        }
        String sampleId = MessageIds.random(randomness);
        var packed = HistoryChunks.pack(entries, sampleId.getBytes(StandardCharsets.UTF_8).length);
        List<List<HistoryEntry>> chunks = packed.chunks().isEmpty() ? List.of(List.of()) : packed.chunks();
        store.transaction(() -> {
            for (int i = 0; i < chunks.size(); i++) {
                outbox.queue(self, new Payload.HistoryChunk(MessageIds.random(randomness), clock.millis(), i, chunks.size(),
                        chunks.get(i)));
            }
        });
        return chunks.size();
    }

    private ServerConnection open() throws ClientException {
        ServerConnection open = connection.get();
        if (open == null || !open.isOpen()) {
            throw new ClientException(Reason.SERVER_UNREACHABLE, "not connected: linking a device needs the server");
        }
        return open;
    }

    private <A extends dev.parley.wire.WireFrame.Answer> A request(dev.parley.wire.WireFrame.Request frame, Class<A> answer)
            throws ClientException {
        try {
            return open().request(frame, answer, timeout);
        } catch (ServerError e) {
            throw refused(e);
        }
    }

    private static ClientException refused(ServerError e) {
        if (e.is(ErrorCode.UNKNOWN_LINK)) {
            return new ClientException(Reason.REFUSED, "no device is waiting with this link code: check the code on the"
                    + " new device (" + e.getMessage() + ")");
        }
        if (e.is(ErrorCode.LINK_EXPIRED)) {
            return new ClientException(Reason.REFUSED, "this link code expired or was already used: start 'parley link'"
                    + " on the new device again (" + e.getMessage() + ")");
        }
        if (e.is(ErrorCode.TOO_MANY_DEVICES)) {
            return tooMany();
        }
        return ServerErrors.refused("linking", e);
    }

    private static ClientException tooMany() {
        return new ClientException(Reason.REFUSED, "this account already has " + WireLimits.MAX_DEVICES
                + " devices (the first and " + OwnDevices.MAX_LINKED + " linked): unlink one first ('parley devices unlink ID')");
    }
}
