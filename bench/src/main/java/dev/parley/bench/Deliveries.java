package dev.parley.bench;

import dev.parley.wire.frames.DeliveryFrames;
import java.util.List;

/**
 * The delivery frames of the load generator's hot paths (relay, drain), pre-encoded by the
 * catalogue: a {@code send_message} per receiver and envelope, and the receiver's {@code ack}.
 */
final class Deliveries {

    private static final FrameTemplate ACK = FrameTemplate.of((id, from) -> new DeliveryFrames.Ack(id, from));

    private Deliveries() {
    }

    /** {@code send_message} to device 1 of {@code to} with a fixed envelope (base64url); the message id is filled in per message. */
    static FrameTemplate sendMessage(String to, String envelope) {
        return sendMessage(to, List.of(new DeliveryFrames.DeviceEnvelope(1, envelope)));
    }

    /** {@code send_message} to {@code to} with fixed per-device envelopes; the message id is filled in per message. */
    static FrameTemplate sendMessage(String to, List<DeliveryFrames.DeviceEnvelope> envelopes) {
        return FrameTemplate.of(id -> new DeliveryFrames.SendMessage(id, to, null, envelopes));
    }

    /** Tells the server the message is processed, so it erases it. */
    static void acknowledge(BenchClient receiver, DeliveryFrames.RelayMessage message) {
        receiver.send(ACK.with(message.id(), message.from()));
    }
}
