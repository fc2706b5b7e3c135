package dev.parley.bench;

import dev.parley.bench.crypto.ParleyDevice;
import dev.parley.protocol.crypto.Randomness;
import dev.parley.wire.WireFrame;
import dev.parley.wire.frames.DeliveryFrames;
import dev.parley.wire.frames.SessionFrames;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The group's accounts on the server, all logged in: the sending account (one device) and
 * {@code members - 1} simulated members with {@code devicesPerMember} devices each (devices 2..n
 * linked as clients link them), every device on its own WebSocket. Each member device
 * acknowledges every copy relayed to it at once and reports it to {@link GroupDeliveries}; the
 * devices of the first {@code sampled} members also keep what they received, for
 * {@link GroupVerifier}. Every member device gets its own protocol keys and a real pairwise
 * session with the sender ({@link PairwiseSessions}). Setup is not measured.
 */
final class GroupMembers implements AutoCloseable {

    /** HttpClients the sockets are spread over (each has its own selector thread). */
    private static final int HTTP_CLIENTS = 4;

    private final Target target;
    private final int memberCount;
    private final int devicesPerMember;
    private final int sampled;
    private final List<HttpClient> https = new ArrayList<>();
    private final List<Accounts.Device> connected = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, List<DeliveryFrames.RelayMessage>> kept = new ConcurrentHashMap<>();
    /** Per message id, the set slots of its frames that named recipients, in the order sent (answers come in that order). */
    private final Map<String, Queue<GroupSender.SetSlot>> awaitingSets = new ConcurrentHashMap<>();
    private final LongAdder setsIssued = new LongAdder();
    private final LongAdder stored = new LongAdder();
    private final LongAdder framesSent = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private final Randomness randomness = Randomness.from(new SecureRandom());
    private List<GroupSender.Member> members = List.of();
    private PairwiseSessions sessions;
    private Accounts.Device sender;

    GroupMembers(Target target, int memberCount, int devicesPerMember, int sampled) {
        this.target = target;
        this.memberCount = memberCount;
        this.devicesPerMember = devicesPerMember;
        this.sampled = sampled;
        for (int i = 0; i < HTTP_CLIENTS; i++) {
            https.add(HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build());
        }
    }

    /** Registers and logs in every account, links devices, sets up the pairwise sessions. */
    void open(GroupDeliveries deliveries) throws Exception {
        String prefix = Accounts.runPrefix();
        sender = Accounts.register(https, target, List.of(prefix + "_sender")).all().getFirst();
        connected.add(sender);
        sender.client().onFrame(this::onSenderFrame);
        List<String> names = new ArrayList<>();
        for (int i = 1; i < memberCount; i++) {
            names.add(prefix + "_m" + i);
        }
        List<Accounts.Device> firsts = Accounts.register(https, target, names).all();
        List<GroupSender.Member> all = new ArrayList<>(firsts.size());
        List<PairwiseSessions.Peer> peers = new ArrayList<>();
        for (int i = 0; i < firsts.size(); i++) {
            Accounts.Device first = firsts.get(i);
            List<Accounts.Device> devices = devicesPerMember == 1 ? List.of(first)
                    : LinkedDevices.link(https.get(i % https.size()), target, first, devicesPerMember);
            connected.addAll(devices);
            boolean keep = i < sampled;
            List<PairwiseSessions.Peer> memberPeers = new ArrayList<>();
            for (Accounts.Device device : devices) {
                var peer = new PairwiseSessions.Peer(device.username(), device.device(), new ParleyDevice(randomness));
                memberPeers.add(peer);
                if (keep) {
                    kept.put(key(device.username(), device.device()), Collections.synchronizedList(new ArrayList<>()));
                }
                device.client().onFrame((client, frame) -> onMemberFrame(device, client, frame, deliveries));
            }
            peers.addAll(memberPeers);
            all.add(new GroupSender.Member(first.username(), memberPeers));
        }
        members = List.copyOf(all);
        sessions = new PairwiseSessions(new ParleyDevice(randomness), randomness);
        sessions.establish(peers);
    }

    private void onMemberFrame(Accounts.Device device, BenchClient client, WireFrame frame, GroupDeliveries deliveries) {
        if (frame instanceof DeliveryFrames.RelayMessage message) {
            Deliveries.acknowledge(client, message);
            List<DeliveryFrames.RelayMessage> keep = kept.get(key(device.username(), device.device()));
            if (keep != null) {
                keep.add(message);
            }
            deliveries.copy(message.id());
        } else if (frame instanceof SessionFrames.ErrorFrame error) {
            error("member " + device.username() + ": " + error.code() + " " + error.message());
        }
    }

    private void onSenderFrame(BenchClient client, WireFrame frame) {
        if (frame instanceof DeliveryFrames.Stored answer) {
            stored.increment();
            answer.refused().forEach(refusal -> error("refused for " + refusal.to() + ": " + refusal.code().wireName()));
            if (answer.recipientSet() != null) {
                setsIssued.increment();
                Queue<GroupSender.SetSlot> slots = awaitingSets.get(answer.re());
                GroupSender.SetSlot slot = slots == null ? null : slots.poll();
                if (slot != null) {
                    slot.learn(answer.recipientSet());
                }
            }
        } else if (frame instanceof SessionFrames.ErrorFrame error) {
            error("sender: " + error.code() + " " + error.message());
        }
    }

    private void error(String what) {
        firstError.compareAndSet(null, what);
        errors.increment();
    }

    /**
     * Uploads a message's frames from the sender's socket, in order; the recipient set each
     * answer names goes to the frame's slot (frames answered in the order sent: one socket, and
     * the server answers a connection's frames in order). A slot filled from the wrong frame
     * would name another part's recipients, which shows as missing and unexpected copies.
     */
    void send(GroupSender.Upload upload) {
        for (int i = 0; i < upload.frames().size(); i++) {
            GroupSender.SetSlot slot = upload.slots().get(i);
            if (slot != null) {
                awaitingSets.computeIfAbsent(upload.id(), id -> new ConcurrentLinkedQueue<>()).add(slot);
            }
            sender.client().send(upload.frames().get(i));
            framesSent.increment();
        }
    }

    /** {@code stored} answers so far that named a recipient set. */
    long setsIssued() {
        return setsIssued.sum();
    }

    /** Every frame sent so far was answered {@code stored}. */
    boolean settled() {
        return stored.sum() >= framesSent.sum();
    }

    List<GroupSender.Member> members() {
        return members;
    }

    PairwiseSessions sessions() {
        return sessions;
    }

    /** What a sampled member device received, in arrival order (null for a device not sampled). */
    List<DeliveryFrames.RelayMessage> kept(PairwiseSessions.Peer peer) {
        return kept.get(key(peer.username, peer.device));
    }

    long errors() {
        return errors.sum();
    }

    String firstError() {
        return firstError.get();
    }

    int connections() {
        return connected.size();
    }

    private static String key(String username, int device) {
        return username + "/" + device;
    }

    @Override
    public void close() {
        connected.forEach(device -> device.client().abort());
        https.forEach(HttpClient::shutdownNow);
    }
}
