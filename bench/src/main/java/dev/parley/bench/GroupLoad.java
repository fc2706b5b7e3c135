package dev.parley.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The group at a sustained rate: the sender sends a text to every member at {@code rate}
 * messages per second, open loop (message k is due at a fixed time, and the time until all
 * member devices have it counts from then, so a stall cannot hide), either as group messages
 * or as pairwise fan-outs, each encrypted for real when due. Members acknowledge every copy.
 * A group message names its recipient set once the server has answered one for the group's
 * list ({@link GroupSender#group}), so the first of a run's group messages carry the list.
 * Measured after the warm-up, for the duration: copies delivered per second, the server's CPU
 * per message (its process CPU over the window, divided by the messages' worth of copies
 * delivered in it), the time from a message's due time to its last device's copy (p50/p99 of
 * the messages due in the window), and the sender thread's CPU per message.
 */
final class GroupLoad {

    /** After sending stops, how long to wait for copies still in flight before counting them missing. */
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);
    /** Message ids are as long as a client's (16 random bytes, base64url), so that frame sizes are a client's. */
    static final int ID_CHARS = 22;

    enum Mode { GROUP, PAIRWISE }

    private final GroupMembers members;
    private final GroupSender sender;
    private final GroupDeliveries deliveries;
    private final Target target;
    private long sequence;

    GroupLoad(GroupMembers members, GroupSender sender, GroupDeliveries deliveries, Target target) {
        this.members = members;
        this.sender = sender;
        this.deliveries = deliveries;
        this.target = target;
    }

    /** A message id unique in this run: the kind ({@code g} group, {@code p} pairwise, {@code r} rotation...), a sequence, padding. */
    static String messageId(char kind, long sequence) {
        StringBuilder id = new StringBuilder().append(kind).append(Long.toString(sequence, 36)).append('-');
        while (id.length() < ID_CHARS) {
            id.append('_');
        }
        return id.toString();
    }

    /** Whether {@code id} is a pairwise message's (for {@link GroupVerifier}). */
    static boolean isPairwise(String id) {
        return id.charAt(0) == 'p';
    }

    /** One phase; returns its figures as result fields (prefixed by the caller). */
    Map<String, Object> run(Mode mode, double rate, Duration warmup, Duration duration) throws Exception {
        deliveries.reset();
        long interval = (long) (1e9 / rate);
        long origin = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        long measureStart = origin + warmup.toNanos();
        long measureEnd = measureStart + duration.toNanos();
        deliveries.window(measureStart, measureEnd);
        var senderCpu = new long[2];
        var sent = new long[1];
        // Upload of the messages sent: [0, 1] those naming recipients (all pairwise ones; a group
        // message whose list's sets were not known yet), [2, 3] those naming recipient sets only.
        var upload = new long[4];
        var failure = new AtomicReference<Exception>();
        Thread loop = Thread.ofPlatform().name("group-sender").start(() -> {
            var threads = ManagementFactory.getThreadMXBean();
            senderCpu[0] = threads.getCurrentThreadCpuTime();
            try {
                for (long k = 0; ; k++) {
                    long due = origin + k * interval;
                    if (due >= measureEnd) {
                        break;
                    }
                    RelayScenario.parkUntil(due);
                    String id = messageId(mode == Mode.GROUP ? 'g' : 'p', sequence++);
                    long now = System.currentTimeMillis();
                    GroupSender.Upload message = mode == Mode.GROUP ? sender.group(id, now, members.members())
                            : sender.pairwise(id, now, members.members());
                    deliveries.expect(id, message.copies(), due);
                    members.send(message);
                    sent[0]++;
                    int kind = message.namesSetsOnly() ? 2 : 0;
                    upload[kind]++;
                    upload[kind + 1] += message.bytes();
                }
            } catch (Exception e) {
                failure.set(e);
            }
            senderCpu[1] = threads.getCurrentThreadCpuTime();
        });
        var self = new ProcessStats(ProcessHandle.current().pid());
        RelayScenario.parkUntil(measureStart);
        long cpuBefore = target.cpuMicros();
        long selfBefore = self.cpuMicros();
        RelayScenario.parkUntil(measureEnd);
        long cpuAfter = target.cpuMicros();
        long selfAfter = self.cpuMicros();
        long rss = target.rssBytes();
        loop.join();
        if (failure.get() != null) {
            throw failure.get();
        }
        long missing = deliveries.awaitAll(DRAIN_TIMEOUT.toNanos());
        long settleDeadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        while (!members.settled() && System.nanoTime() < settleDeadline) {
            RelayScenario.parkUntil(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5));
        }

        int copiesPerMessage = GroupSender.copies(members.members());
        double seconds = duration.toNanos() / 1e9;
        long copies = deliveries.copiesInWindow();
        double messagesWorth = (double) copies / copiesPerMessage;
        var untilAll = deliveries.untilAll();
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("rate_per_s", rate);
        figures.put("messages_sent", sent[0]);
        figures.put("copies_per_message", copiesPerMessage);
        figures.put("deliveries_per_s", copies / seconds);
        figures.put("server_cpu_us_per_msg", cpuBefore >= 0 && copies > 0 ? (cpuAfter - cpuBefore) / messagesWorth : -1.0);
        figures.put("server_cpu_us_per_copy", cpuBefore >= 0 && copies > 0 ? (double) (cpuAfter - cpuBefore) / copies : -1.0);
        figures.put("server_cpu_s", (cpuAfter - cpuBefore) / 1e6);
        figures.put("until_all_p50_ms", untilAll.getTotalCount() > 0 ? untilAll.getValueAtPercentile(50) / 1e6 : -1.0);
        figures.put("until_all_p99_ms", untilAll.getTotalCount() > 0 ? untilAll.getValueAtPercentile(99) / 1e6 : -1.0);
        figures.put("until_all_max_ms", untilAll.getTotalCount() > 0 ? untilAll.getMaxValue() / 1e6 : -1.0);
        figures.put("measured_messages", untilAll.getTotalCount());
        figures.put("list_messages", upload[0]);
        figures.put("list_bytes_per_msg", upload[0] > 0 ? (double) upload[1] / upload[0] : -1.0);
        figures.put("set_messages", upload[2]);
        figures.put("set_bytes_per_msg", upload[2] > 0 ? (double) upload[3] / upload[2] : -1.0);
        figures.put("upload_bytes_per_s", (upload[1] + upload[3]) / ((measureEnd - origin) / 1e9));
        figures.put("sender_cpu_us_per_msg", sent[0] > 0 ? (senderCpu[1] - senderCpu[0]) / 1e3 / sent[0] : -1.0);
        figures.put("bench_cpu_s", (selfAfter - selfBefore) / 1e6);
        figures.put("server_rss_mb", rss >= 0 ? rss / (1024.0 * 1024.0) : -1.0);
        figures.put("missing_copies", missing);
        return figures;
    }
}
