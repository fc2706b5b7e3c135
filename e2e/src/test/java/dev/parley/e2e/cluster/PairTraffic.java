package dev.parley.e2e.cluster;

import dev.parley.client.ClientException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pairs of SDK clients ({@link SdkPeer}) that send each other texts without pause, each on its
 * own thread, one text per {@code interval} at most: the load of the failure tests. Every text
 * is unique and carries the moment its send began ({@code @nanos}), so a recipient's arrivals
 * show when delivery resumed after a failure. A send that times out or finds the client
 * disconnected is not repeated (the SDK keeps it in its outbox and sends it itself); any other
 * failure is recorded and fails {@link #verify}.
 */
final class PairTraffic implements AutoCloseable {

    private static final Pattern STARTED = Pattern.compile("@(-?\\d+)$");

    private final List<SdkPeer> peers;
    private final Duration interval;
    private final List<Thread> senders = new ArrayList<>();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong attempted = new AtomicLong();
    private volatile boolean running;

    private PairTraffic(List<SdkPeer> peers, Duration interval) {
        this.peers = peers;
        this.interval = interval;
    }

    /**
     * Registers {@code pairs} pairs named {@code prefix}_aN / {@code prefix}_bN (all at once)
     * through {@code server(i)} (the address peer {@code i} uses: the proxy, or a node), in homes
     * under {@code homes}, and starts their senders.
     */
    static PairTraffic start(Path homes, String prefix, int pairs, java.util.function.IntFunction<String> server, Duration interval)
            throws ClientException {
        List<java.util.concurrent.Future<SdkPeer>> registering = new ArrayList<>();
        try (var parallel = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < pairs * 2; i++) {
                String name = prefix + "_" + (i % 2 == 0 ? "a" : "b") + (i / 2 + 1);
                String address = server.apply(i);
                registering.add(parallel.submit(() -> SdkPeer.register(homes, address, name)));
            }
        }
        List<SdkPeer> peers = new ArrayList<>();
        for (var peer : registering) {
            try {
                peers.add(peer.get());
            } catch (java.util.concurrent.ExecutionException e) {
                peers.forEach(SdkPeer::close);
                if (e.getCause() instanceof ClientException refused) {
                    throw refused;
                }
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        var traffic = new PairTraffic(List.copyOf(peers), interval);
        traffic.running = true;
        for (int i = 0; i < peers.size(); i++) {
            SdkPeer from = peers.get(i);
            SdkPeer to = peers.get(i ^ 1);
            traffic.senders.add(Thread.ofPlatform().name("traffic-" + from.name()).daemon().start(() -> traffic.send(from, to)));
        }
        return traffic;
    }

    private void send(SdkPeer from, SdkPeer to) {
        long next = System.nanoTime();
        for (long n = 1; running; n++) {
            long started = System.nanoTime();
            String text = from.name() + "->" + to.name() + " #" + n + " @" + started;
            attempted.incrementAndGet();
            try {
                from.client().send(to.name(), text);
            } catch (ClientException e) {
                if (e.reason() != ClientException.Reason.TIMEOUT && e.reason() != ClientException.Reason.SERVER_UNREACHABLE) {
                    failures.add(from.name() + " #" + n + ": " + e.reason() + " " + e.getMessage());
                }
            }
            next += interval.toNanos();
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            } else {
                next = System.nanoTime();
            }
        }
    }

    List<SdkPeer> peers() {
        return peers;
    }

    /** Texts whose send was begun so far. */
    long attempted() {
        return attempted.get();
    }

    /** Waits until every peer has been shown a text from its partner. */
    void awaitFlowing(Duration timeout) {
        awaitDeliveryAfter(Long.MIN_VALUE, timeout);
    }

    /**
     * Waits until every peer has been shown a text whose send began after {@code nanos}, and
     * returns how long after {@code nanos} the last of them got its first such text: the time
     * delivery took to resume everywhere after something that happened at {@code nanos}. Fails
     * after {@code bound}.
     */
    Duration awaitDeliveryAfter(long nanos, Duration bound) {
        long[] firstArrival = new long[peers.size()];
        Waits.until(bound, () -> "every peer shown a text sent after the event; still waiting: " + waitingFor(nanos), () -> {
            for (int i = 0; i < peers.size(); i++) {
                if (firstArrival[i] == 0) {
                    firstArrival[i] = firstArrivalAfter(peers.get(i), nanos);
                }
                if (firstArrival[i] == 0) {
                    return false;
                }
            }
            return true;
        });
        long last = 0;
        for (long arrival : firstArrival) {
            last = Math.max(last, arrival);
        }
        return Duration.ofNanos(nanos == Long.MIN_VALUE ? 0 : last - nanos);
    }

    private String waitingFor(long nanos) {
        return peers.stream().filter(p -> firstArrivalAfter(p, nanos) == 0)
                .map(p -> p.name() + (p.client().isConnected() ? " (connected" : " (not connected") + ", shown " + p.shown().size()
                        + ", own texts acknowledged " + p.acked().size() + ", outbox " + p.client().outboxSize() + ")")
                .toList() + "; " + attempted.get() + " sends begun, failures " + failures.subList(0, Math.min(5, failures.size()));
    }

    /** When {@code peer} was first shown a text whose send began after {@code nanos} (any text: MIN_VALUE); 0 if not yet. */
    private static long firstArrivalAfter(SdkPeer peer, long nanos) {
        for (SdkPeer.Shown shown : peer.shown()) {
            Matcher m = STARTED.matcher(shown.text());
            if (m.find() && (nanos == Long.MIN_VALUE || Long.parseLong(m.group(1)) - nanos > 0)) {
                return shown.receivedNanos();
            }
        }
        return 0;
    }

    /**
     * How long each text whose send began in {@code [fromNanos, toNanos)} took from the start of
     * its send until its recipient was shown it; texts not shown yet are left out.
     */
    List<Duration> latencies(long fromNanos, long toNanos) {
        List<Duration> latencies = new ArrayList<>();
        for (SdkPeer peer : peers) {
            for (SdkPeer.Shown shown : peer.shown()) {
                Matcher m = STARTED.matcher(shown.text());
                if (m.find()) {
                    long started = Long.parseLong(m.group(1));
                    if (started - fromNanos >= 0 && started - toNanos < 0) {
                        latencies.add(Duration.ofNanos(shown.receivedNanos() - started));
                    }
                }
            }
        }
        latencies.sort(null);
        return latencies;
    }

    /** Stops the senders (each finishes the send it is in). */
    void stop() throws InterruptedException {
        running = false;
        for (Thread sender : senders) {
            sender.join(Duration.ofSeconds(60));
            if (sender.isAlive()) {
                throw new AssertionError(sender.getName() + " still sending 60 s after the stop");
            }
        }
    }

    /**
     * After {@link #stop}: waits (at most {@code timeout}) until every outbox is empty and every
     * acknowledged text was shown to its recipient, then counts. Lost: acknowledged ({@code stored}
     * reached the sender) and never shown to the recipient. Shown twice: a {@code (sender, id)}
     * the recipient's listener was told of more than once, or a text shown under two ids.
     */
    Verdict verify(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> unflushed = new ArrayList<>();
        for (SdkPeer peer : peers) {
            if (!peer.client().flush(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                unflushed.add(peer.name() + " (" + peer.client().outboxSize() + " entries)");
            }
        }
        try {
            Waits.until(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())), () -> "", () -> lost().isEmpty());
        } catch (AssertionError stillLost) {
            // counted below
        }
        long checked = 0;
        List<String> twice = new ArrayList<>();
        List<String> historyTwice = new ArrayList<>();
        for (int i = 0; i < peers.size(); i++) {
            SdkPeer peer = peers.get(i);
            SdkPeer partner = peers.get(i ^ 1);
            checked += partner.acked().size();
            peer.shownTwiceById().forEach(k -> twice.add(peer.name() + " shown twice: " + k));
            peer.shownTwiceByText().forEach(t -> twice.add(peer.name() + " shown twice (text): " + t));
            var history = peer.client().history(partner.name()).stream().filter(e -> !e.outgoing()).toList();
            long distinct = history.stream().map(e -> e.id()).distinct().count();
            if (distinct != history.size()) {
                historyTwice.add(peer.name() + ": " + history.size() + " rows, " + distinct + " distinct ids");
            }
        }
        List<String> disconnected = peers.stream().filter(p -> !p.disconnects().isEmpty())
                .map(p -> p.name() + " gave up: " + p.disconnects()).toList();
        return new Verdict(checked, attempted.get(), lost(), twice, historyTwice, unflushed, List.copyOf(failures), disconnected);
    }

    /** {@code sender->recipient/id} of every acknowledged text its recipient was not shown. */
    private List<String> lost() {
        List<String> lost = new ArrayList<>();
        for (int i = 0; i < peers.size(); i++) {
            SdkPeer sender = peers.get(i);
            SdkPeer recipient = peers.get(i ^ 1);
            for (String acked : sender.acked()) {
                String id = acked.substring(acked.indexOf('/') + 1);
                if (recipient.timesShown(sender.name(), id) == 0) {
                    lost.add(sender.name() + "->" + acked);
                }
            }
        }
        return lost;
    }

    /**
     * What {@link #verify} found.
     *
     * @param checked      acknowledged texts checked at their recipients
     * @param attempted    texts whose send was begun
     * @param lost         acknowledged and never shown
     * @param shownTwice   shown more than once by a recipient's listener
     * @param historyTwice a recipient's history with two rows of one id
     * @param unflushed    outboxes still holding entries at the end
     * @param failures     sends refused for a reason other than a lost connection or a timeout
     * @param gaveUp       clients that stopped reconnecting
     */
    record Verdict(long checked, long attempted, List<String> lost, List<String> shownTwice, List<String> historyTwice,
                   List<String> unflushed, List<String> failures, List<String> gaveUp) {

        @Override
        public String toString() {
            return "checked " + checked + " acknowledged texts (of " + attempted + " sends begun): lost " + lost.size()
                    + " " + first(lost) + ", shown twice " + shownTwice.size() + " " + first(shownTwice) + ", history rows twice "
                    + historyTwice + ", outboxes not empty " + unflushed + ", send failures " + failures.size() + " " + first(failures)
                    + ", clients that gave up " + gaveUp;
        }

        private static List<String> first(List<String> items) {
            return items.subList(0, Math.min(10, items.size()));
        }
    }

    @Override
    public void close() {
        running = false;
        peers.forEach(SdkPeer::close);
    }
}
