package dev.parley.e2e.cluster;

import dev.parley.client.ClientException;
import dev.parley.client.GroupEntry;
import dev.parley.client.IncomingMessage;
import dev.parley.client.ParleyClient;
import dev.parley.client.ParleyListener;
import dev.parley.client.net.ServerAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One account on one SDK client ({@link ParleyClient}, its own home) with a record of what its
 * listener was told: every text shown ({@link ParleyListener#onMessage}, counted per
 * {@code (sender, id)} and per text), when each arrived, and which of its own texts the server
 * acknowledged ({@link ParleyListener#onSent}: the {@code stored} answer reached it).
 */
final class SdkPeer implements AutoCloseable {

    /** A text as the recipient's listener was told of it. */
    record Shown(String from, String id, String text, long receivedNanos) {
    }

    private final String name;
    private final ParleyClient client;
    private final Map<String, AtomicInteger> shownPerId = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> shownPerText = new ConcurrentHashMap<>();
    private final List<Shown> shown = Collections.synchronizedList(new ArrayList<>());
    private final List<GroupEntry> groupTexts = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> acked = ConcurrentHashMap.newKeySet();
    private final List<String> disconnects = Collections.synchronizedList(new ArrayList<>());

    private SdkPeer(String name, Path home) throws ClientException {
        this.name = name;
        ParleyListener listener = new ParleyListener() {
            @Override
            public void onMessage(IncomingMessage message) {
                shownPerId.computeIfAbsent(message.from() + "/" + message.id(), k -> new AtomicInteger()).incrementAndGet();
                shownPerText.computeIfAbsent(message.text(), k -> new AtomicInteger()).incrementAndGet();
                shown.add(new Shown(message.from(), message.id(), message.text(), System.nanoTime()));
            }

            @Override
            public void onGroupMessage(GroupEntry message) {
                groupTexts.add(message);
            }

            @Override
            public void onSent(String to, String messageId) {
                acked.add(to + "/" + messageId);
            }

            @Override
            public void onDisconnected(String reason) {
                disconnects.add(reason);
            }
        };
        this.client = ParleyClient.open(home, ParleyClient.Options.defaults().withListener(listener)
                .withAckTimeout(Duration.ofSeconds(30)));
    }

    /** Registers {@code name} on {@code server} (a node, or the proxy) from a new home under {@code homes}. */
    static SdkPeer register(Path homes, String server, String name) throws ClientException {
        var peer = new SdkPeer(name, homes.resolve(name));
        peer.client.register(ServerAddress.parse(server), name);
        return peer;
    }

    String name() {
        return name;
    }

    ParleyClient client() {
        return client;
    }

    /** {@code to/id} of every text of this peer that the server acknowledged as stored. */
    Set<String> acked() {
        return Set.copyOf(acked);
    }

    /** Every text shown, in arrival order. */
    List<Shown> shown() {
        synchronized (shown) {
            return List.copyOf(shown);
        }
    }

    /** Every group text shown (received, or sent by another device of this account), in arrival order. */
    List<GroupEntry> groupTexts() {
        synchronized (groupTexts) {
            return List.copyOf(groupTexts);
        }
    }

    /** Whether the listener showed a 1:1 text {@code text} from {@code from}. */
    boolean wasShown(String from, String text) {
        return shown().stream().anyMatch(s -> s.from().equals(from) && s.text().equals(text));
    }

    /** How many times the listener showed the text {@code from/id}. */
    int timesShown(String from, String id) {
        AtomicInteger n = shownPerId.get(from + "/" + id);
        return n == null ? 0 : n.get();
    }

    /** The {@code from/id} keys shown more than once. */
    List<String> shownTwiceById() {
        return shownPerId.entrySet().stream().filter(e -> e.getValue().get() > 1).map(Map.Entry::getKey).sorted().toList();
    }

    /** Texts shown more than once (under any id: a text sent once must arrive once). */
    List<String> shownTwiceByText() {
        return shownPerText.entrySet().stream().filter(e -> e.getValue().get() > 1).map(Map.Entry::getKey).sorted().toList();
    }

    /** Why the connection ended for good, if it did ({@link ParleyListener#onDisconnected}): the SDK stopped reconnecting. */
    List<String> disconnects() {
        synchronized (disconnects) {
            return List.copyOf(disconnects);
        }
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return name;
    }
}
