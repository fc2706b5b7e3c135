package dev.parley.bench;

import dev.parley.wire.WireFrame;
import dev.parley.wire.WireJson;
import dev.parley.wire.frames.DeliveryFrames;
import dev.parley.wire.frames.SessionFrames;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * Relay pairs on Parley: each sender sends {@code send_message} and gets {@code stored}
 * after the durable commit; each receiver gets {@code relay_message} and acknowledges it, so
 * the server also erases it. Envelopes are random bytes: the server never decrypts, so a
 * benchmark needs no ratchet sessions (they are treated as pre-established).
 *
 * <p>With {@code devices} above 1, every account (sender and receiver) has that many devices,
 * linked before measuring. A message is then what a client sends: one {@code send_message} to
 * the receiver with one envelope per receiving device, and one to the sender's own account
 * with one per other sending device (the sent-message transcript). It counts as delivered, and
 * its latency is taken, when the last of the receiver's devices has it; every copy, the
 * transcripts included, is acknowledged. Each frame is a {@link FrameTemplate} encoded once,
 * so a message costs the concatenation of its id.
 */
final class ParleyRelay implements RelayTransport {

    private final RelayPlacement placement;
    private final int devicesPerAccount;
    private final String prefix = Accounts.runPrefix();
    private final HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    private final LongAdder stored = new LongAdder();
    private final LongAdder transcripts = new LongAdder();
    /** Frames sent: every one is answered {@code stored}. */
    private final LongAdder framesSent = new LongAdder();
    /** Copies received so far of messages not yet on every receiving device. */
    private final Map<String, Integer> partlyDelivered = new ConcurrentHashMap<>();
    private final List<Accounts.Device> connected = new ArrayList<>();
    private final RouteProbe routes = new RouteProbe();
    private List<Accounts.Device> senders = List.of();
    private FrameTemplate[] sendMessages;
    private FrameTemplate[] sendTranscripts;

    ParleyRelay(Target target, int devicesPerAccount) {
        this(RelayPlacement.single(target), devicesPerAccount);
    }

    /** Pairs placed on the nodes of {@code placement} (a cluster's nodes, each connected to directly). */
    ParleyRelay(RelayPlacement placement, int devicesPerAccount) {
        this.placement = placement;
        this.devicesPerAccount = devicesPerAccount;
    }

    @Override
    public void open(int pairs, int envelopeBytes, Sink sink) {
        List<String> senderNames = new ArrayList<>();
        List<String> receiverNames = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            senderNames.add(prefix + "_s" + i);
            receiverNames.add(prefix + "_r" + i);
        }
        List<Accounts.Device> receivers = registerOnNodes(receiverNames, placement::receiverNode);
        senders = registerOnNodes(senderNames, placement::senderNode);
        var random = new SecureRandom();
        sendMessages = new FrameTemplate[pairs];
        sendTranscripts = new FrameTemplate[pairs];
        for (int i = 0; i < pairs; i++) {
            for (var device : allDevices(receivers.get(i), placement.receiver(i))) {
                device.client().onFrame((client, frame) -> onReceiverFrame(client, frame, sink));
            }
            List<Accounts.Device> sending = allDevices(senders.get(i), placement.sender(i));
            for (var device : sending) {
                device.client().onFrame((client, frame) -> onSenderFrame(client, frame, sink));
            }
            sendMessages[i] = sendMessage(receiverNames.get(i), 1, devicesPerAccount, envelopeBytes, random);
            if (devicesPerAccount > 1) {
                sendTranscripts[i] = sendMessage(senderNames.get(i), 2, devicesPerAccount, envelopeBytes, random);
            }
        }
        if (placement.probeRoutes()) {
            routes.probe(senders, receiverNames, devicesPerAccount, envelopeBytes);
        }
    }

    /** Registers one account per name, each on the node {@code nodeOf} gives for its pair; in pair order. */
    private List<Accounts.Device> registerOnNodes(List<String> names, java.util.function.IntUnaryOperator nodeOf) {
        Accounts.Device[] devices = new Accounts.Device[names.size()];
        for (int node = 0; node < placement.nodes().size(); node++) {
            List<Integer> pairs = new ArrayList<>();
            for (int pair = 0; pair < names.size(); pair++) {
                if (nodeOf.applyAsInt(pair) == node) {
                    pairs.add(pair);
                }
            }
            List<Accounts.Device> registered = Accounts.register(List.of(http), placement.nodes().get(node),
                    pairs.stream().map(names::get).toList()).all();
            for (int k = 0; k < pairs.size(); k++) {
                devices[pairs.get(k)] = registered.get(k);
            }
        }
        return List.of(devices);
    }

    /** The account's devices, linking devices 2..n to its first (on its node); all are kept for {@link #close}. */
    private List<Accounts.Device> allDevices(Accounts.Device first, Target node) {
        try {
            List<Accounts.Device> devices = LinkedDevices.link(http, node, first, devicesPerAccount);
            connected.addAll(devices);
            return devices;
        } catch (Exception e) {
            throw new IllegalStateException("linking devices to " + first.username() + " failed", e);
        }
    }

    /** {@code send_message} to devices {@code from..to} of {@code to}, each with its own random envelope. */
    private static FrameTemplate sendMessage(String recipient, int fromDevice, int toDevice, int envelopeBytes, SecureRandom random) {
        List<DeliveryFrames.DeviceEnvelope> envelopes = new ArrayList<>();
        for (int device = fromDevice; device <= toDevice; device++) {
            byte[] envelope = new byte[envelopeBytes];
            random.nextBytes(envelope);
            envelopes.add(new DeliveryFrames.DeviceEnvelope(device, WireJson.base64(envelope)));
        }
        return Deliveries.sendMessage(recipient, envelopes);
    }

    private void onReceiverFrame(BenchClient client, WireFrame frame, Sink sink) {
        if (frame instanceof DeliveryFrames.RelayMessage message) {
            Deliveries.acknowledge(client, message);
            if (routes.arrived(message.id())) {
                return;
            }
            if (devicesPerAccount == 1) {
                sink.delivered(message.id());
            } else if (partlyDelivered.merge(message.id(), 1, Integer::sum) == devicesPerAccount) {
                partlyDelivered.remove(message.id());
                sink.delivered(message.id());
            }
        } else if (frame instanceof SessionFrames.ErrorFrame error) {
            sink.error(error.code());
        }
    }

    private void onSenderFrame(BenchClient client, WireFrame frame, Sink sink) {
        if (frame instanceof DeliveryFrames.Stored) {
            stored.increment();
        } else if (frame instanceof DeliveryFrames.RelayMessage transcript) {
            Deliveries.acknowledge(client, transcript);
            transcripts.increment();
        } else if (frame instanceof SessionFrames.ErrorFrame error) {
            sink.error(error.code());
        }
    }

    @Override
    public void send(int pair, String messageId) {
        BenchClient sender = senders.get(pair).client();
        sender.send(sendMessages[pair].with(messageId));
        framesSent.increment();
        if (sendTranscripts[pair] != null) {
            sender.send(sendTranscripts[pair].with(messageId));
            framesSent.increment();
        }
    }

    /** Every frame sent was answered, and each transcript reached all of the sender's other devices. */
    @Override
    public boolean settled() {
        long transcriptFrames = devicesPerAccount > 1 ? framesSent.sum() / 2 : 0;
        return stored.sum() >= framesSent.sum() && transcripts.sum() >= transcriptFrames * (devicesPerAccount - 1);
    }

    /** Messages and transcripts the server acknowledged as durably stored. */
    long stored() {
        return stored.sum();
    }

    /** Transcript copies the sender's other devices received. */
    long transcripts() {
        return transcripts.sum();
    }

    int devicesPerAccount() {
        return devicesPerAccount;
    }

    @Override
    public int connections() {
        return connected.size();
    }

    @Override
    public void close() {
        connected.forEach(device -> device.client().abort());
        http.shutdownNow();
    }
}
