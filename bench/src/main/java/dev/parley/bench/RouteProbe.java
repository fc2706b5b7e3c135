package dev.parley.bench;

import dev.parley.wire.ErrorCode;
import dev.parley.wire.WireFrame;
import dev.parley.wire.WireJson;
import dev.parley.wire.frames.DeliveryFrames;
import dev.parley.wire.frames.SessionFrames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Before a relay run on several nodes: one message per pair, sent and waited for, so that the
 * run starts only once every route works. A username registered through one node is known to
 * the others after an event between nodes (docs/design/CLUSTER.md), so a send may briefly be
 * answered {@code unknown_user}: that is retried until {@link #TIMEOUT}. Anything else, or a
 * probe that never arrives, fails the run with the reason: a benchmark of a cluster whose
 * cross-node delivery does not work must not print figures.
 *
 * <p>Probe ids start with {@link #PREFIX}; the relay's receivers hand every id they get to
 * {@link #arrived}, which keeps probes out of the measured deliveries.
 */
final class RouteProbe {

    static final String PREFIX = "route-probe-";
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Set<String> pending = ConcurrentHashMap.newKeySet();

    /** Whether {@code messageId} is a probe (then it is no longer pending); false for the workload's messages. */
    boolean arrived(String messageId) {
        if (!messageId.startsWith(PREFIX)) {
            return false;
        }
        pending.remove(messageId);
        return true;
    }

    /** Sends pair {@code i}'s probe from {@code senders[i]} to every device of {@code receivers[i]} and waits for all of them. */
    void probe(List<Accounts.Device> senders, List<String> receivers, int devicesPerReceiver, int envelopeBytes) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        List<DeliveryFrames.DeviceEnvelope> envelopes = new ArrayList<>();
        for (int device = 1; device <= devicesPerReceiver; device++) {
            envelopes.add(new DeliveryFrames.DeviceEnvelope(device, WireJson.base64(new byte[envelopeBytes])));
        }
        for (int pair = 0; pair < senders.size(); pair++) {
            String id = PREFIX + pair;
            pending.add(id);
            storeOnce(senders.get(pair).client(), new DeliveryFrames.SendMessage(id, receivers.get(pair), null, envelopes), deadline);
        }
        while (!pending.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(pending.size() + " of " + senders.size() + " route probes stored but never delivered within "
                        + TIMEOUT + " (first: " + pending.iterator().next() + "): delivery between these nodes does not work");
            }
            ChildProcess.sleep(20);
        }
    }

    private static void storeOnce(BenchClient sender, DeliveryFrames.SendMessage message, long deadline) {
        while (true) {
            WireFrame answer;
            try {
                answer = sender.request(message).get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("route probe " + message.id() + " to " + message.to() + " not answered", e);
            }
            if (answer instanceof DeliveryFrames.Stored) {
                return;
            }
            boolean unknownYet = answer instanceof SessionFrames.ErrorFrame error && ErrorCode.UNKNOWN_USER.wireName().equals(error.code());
            if (!unknownYet || System.nanoTime() > deadline) {
                throw new IllegalStateException("route probe " + message.id() + " to " + message.to() + " refused: " + answer);
            }
            ChildProcess.sleep(200);
        }
    }
}
