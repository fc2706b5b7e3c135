package dev.parley.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * Relay pairs on Parley: each sender sends {@code send_message} and gets {@code ack{stored}}
 * after the durable commit; each receiver gets {@code relay_message} and acknowledges it, so
 * the server also erases it. Envelopes are random bytes: the server never decrypts, so a
 * benchmark needs no ratchet sessions (they are treated as pre-established).
 */
final class ParleyRelay implements RelayTransport {

    private final Target target;
    private final String prefix = Accounts.runPrefix();
    private final HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    private final LongAdder stored = new LongAdder();
    private List<Accounts.Device> senders = List.of();
    private List<Accounts.Device> receivers = List.of();
    private String[] framePrefixes;

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
        framePrefixes = new String[pairs];
        for (int i = 0; i < pairs; i++) {
            byte[] envelope = new byte[envelopeBytes];
            random.nextBytes(envelope);
            // Everything after the id is fixed per pair: "...","to":"<receiver>","envelope":"<b64>"}
            framePrefixes[i] = "\",\"to\":\"" + receiverNames.get(i) + "\",\"envelope\":\"" + Identity.B64.encodeToString(envelope) + "\"}";
        }
    }

    private static void onReceiverFrame(ParleyClient client, JsonNode frame, Sink sink) {
        String type = frame.path("type").asText();
        if (type.equals("relay_message")) {
            String id = frame.get("id").asText();
            client.send("{\"type\":\"ack\",\"id\":\"" + id + "\",\"from\":\"" + frame.get("from").asText() + "\"}");
            sink.delivered(id);
        } else if (type.equals("error")) {
            sink.error(frame.path("code").asText());
        }
    }

    private void onSenderFrame(JsonNode frame, Sink sink) {
        String type = frame.path("type").asText();
        if (type.equals("stored")) {
            stored.increment();
        } else if (type.equals("error")) {
            sink.error(frame.path("code").asText());
        }
    }

    @Override
    public void send(int pair, String messageId) {
        senders.get(pair).client().send("{\"type\":\"send_message\",\"id\":\"" + messageId + framePrefixes[pair]);
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
