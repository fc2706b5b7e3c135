package dev.parley.bench;

import dev.parley.wire.WireFrame;
import dev.parley.wire.WireJson;
import dev.parley.wire.frames.DeliveryFrames;
import dev.parley.wire.frames.SessionFrames;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * Relay pairs on Parley: each sender sends {@code send_message} and gets {@code stored}
 * after the durable commit; each receiver gets {@code relay_message} and acknowledges it, so
 * the server also erases it. Each pair's {@code send_message} is a {@link FrameTemplate}
 * encoded once with its receiver and envelope, so a message costs the concatenation of its id. Envelopes are random bytes: the server never decrypts, so a
 * benchmark needs no ratchet sessions (they are treated as pre-established).
 */
final class ParleyRelay implements RelayTransport {

    private final Target target;
    private final String prefix = Accounts.runPrefix();
    private final HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    private final LongAdder stored = new LongAdder();
    private List<Accounts.Device> senders = List.of();
    private List<Accounts.Device> receivers = List.of();
    private FrameTemplate[] sendMessages;

    ParleyRelay(Target target) {
        this.target = target;
    }

    @Override
    public void open(int pairs, int envelopeBytes, Sink sink) {
        List<String> senderNames = new ArrayList<>();
        List<String> receiverNames = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            senderNames.add(prefix + "_s" + i);
            receiverNames.add(prefix + "_r" + i);
        }
        receivers = Accounts.register(List.of(http), target, receiverNames).all();
        senders = Accounts.register(List.of(http), target, senderNames).all();
        for (var receiver : receivers) {
            receiver.client().onFrame((client, frame) -> onReceiverFrame(client, frame, sink));
        }
        for (var sender : senders) {
            sender.client().onFrame((client, frame) -> onSenderFrame(frame, sink));
        }
        var random = new SecureRandom();
        sendMessages = new FrameTemplate[pairs];
        for (int i = 0; i < pairs; i++) {
            byte[] envelope = new byte[envelopeBytes];
            random.nextBytes(envelope);
            sendMessages[i] = Deliveries.sendMessage(receiverNames.get(i), WireJson.base64(envelope));
        }
    }

    private static void onReceiverFrame(BenchClient client, WireFrame frame, Sink sink) {
        if (frame instanceof DeliveryFrames.RelayMessage message) {
            Deliveries.acknowledge(client, message);
            sink.delivered(message.id());
        } else if (frame instanceof SessionFrames.ErrorFrame error) {
            sink.error(error.code());
        }
    }

    private void onSenderFrame(WireFrame frame, Sink sink) {
        if (frame instanceof DeliveryFrames.Stored) {
            stored.increment();
        } else if (frame instanceof SessionFrames.ErrorFrame error) {
            sink.error(error.code());
        }
    }

    @Override
    public void send(int pair, String messageId) {
        senders.get(pair).client().send(sendMessages[pair].with(messageId));
    }

    /** Messages the server acknowledged as durably stored. */
    long stored() {
        return stored.sum();
    }

    @Override
    public int connections() {
        return senders.size() + receivers.size();
    }

    @Override
    public void close() {
        senders.forEach(device -> device.client().abort());
        receivers.forEach(device -> device.client().abort());
        http.shutdownNow();
    }
}
