package dev.parley.bench;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.crypto.Randomness;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sender's cost of one message to a group of {@code n} members (the sender and the first
 * {@code n - 1} simulated members), as a group message naming its recipients (a first message
 * to the list), as one naming the recipient set the server answered (the steady state), and as
 * pairwise fan-outs, side by side:
 * CPU time of the sending thread (encryption, signature and the frames' text, as
 * {@link GroupSender} builds them; garbage collection runs on other threads and is not in it)
 * per message, and the exact bytes of the frames. Nothing is sent: the messages are built and
 * dropped, on a group of its own and on the saved pairwise sessions, which are put back after
 * (so the delivered sessions and chain do not skip ahead).
 *
 * <p>The set frames name the sets the server issued for the real group's list: a set id is 22
 * characters whatever list it names, so the frame is the same size at every group size (and the
 * load phase sends such frames for real).
 *
 * <p>Each size runs an unmeasured warm-up round, then {@code rounds} rounds of a group block
 * (recipients), a group block (set) and a pairwise block, in turn, so all meet the same machine
 * load.
 */
final class GroupCost {

    /** Group messages per block, and pairwise encryptions (one per device) per block. */
    static final int GROUP_MESSAGES_PER_BLOCK = 500;
    static final int PAIRWISE_COPIES_PER_BLOCK = 20_000;

    /** One group size: CPU per message (µs, every measured round) and bytes per message, both ways. */
    record Row(int members, int copies, List<Double> groupMicros, List<Double> setMicros, List<Double> pairwiseMicros,
               long groupBytes, int groupFrames, long setBytes, int setFrames, long pairwiseBytes, int pairwiseFrames) {

        double groupMicrosMean() {
            return mean(groupMicros);
        }

        double setMicrosMean() {
            return mean(setMicros);
        }

        double pairwiseMicrosMean() {
            return mean(pairwiseMicros);
        }

        private static double mean(List<Double> values) {
            return values.stream().mapToDouble(Double::doubleValue).average().orElse(-1);
        }

        /** As JSON fields of the result line. */
        Map<String, Object> json() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("members", members);
            json.put("copies", copies);
            json.put("group_cpu_us", round(groupMicrosMean()));
            json.put("pairwise_cpu_us", round(pairwiseMicrosMean()));
            json.put("cpu_ratio", round(pairwiseMicrosMean() / groupMicrosMean()));
            json.put("group_bytes", groupBytes);
            json.put("group_frames", groupFrames);
            json.put("pairwise_bytes", pairwiseBytes);
            json.put("pairwise_frames", pairwiseFrames);
            json.put("bytes_ratio", round((double) pairwiseBytes / groupBytes));
            json.put("group_set_cpu_us", round(setMicrosMean()));
            json.put("set_cpu_ratio", round(pairwiseMicrosMean() / setMicrosMean()));
            json.put("group_set_bytes", setBytes);
            json.put("group_set_frames", setFrames);
            json.put("set_bytes_ratio", round((double) pairwiseBytes / setBytes));
            json.put("group_cpu_us_rounds", groupMicros.stream().map(GroupCost::round).toList());
            json.put("group_set_cpu_us_rounds", setMicros.stream().map(GroupCost::round).toList());
            json.put("pairwise_cpu_us_rounds", pairwiseMicros.stream().map(GroupCost::round).toList());
            return json;
        }
    }

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final GroupMembers members;
    private final int textBytes;
    private final int rounds;
    private long sequence;

    GroupCost(GroupMembers members, int textBytes, int rounds) {
        this.members = members;
        this.textBytes = textBytes;
        this.rounds = rounds;
    }

    /**
     * Measures each size of {@code sizes} (group members, the sender included) that the group
     * has; {@code sets}: the recipient sets the server issued for the group's list, one per frame.
     */
    List<Row> measure(List<Integer> sizes, List<String> sets) throws ProtocolException {
        List<GroupSender.Member> all = members.members();
        List<PairwiseSessions.Peer> peers = new ArrayList<>();
        all.forEach(member -> peers.addAll(member.devices()));
        Runnable restore = PairwiseSessions.saveSenderEnds(peers);
        try {
            var sender = new GroupSender(Randomness.from(new SecureRandom()), textBytes);
            sender.newChain(GroupLoad.messageId('c', sequence++), System.currentTimeMillis(), all);
            List<Row> rows = new ArrayList<>();
            for (int size : sizes) {
                if (size >= 2 && size - 1 <= all.size()) {
                    rows.add(measure(sender, all.subList(0, size - 1), sets));
                }
            }
            return rows;
        } finally {
            restore.run();
        }
    }

    private Row measure(GroupSender sender, List<GroupSender.Member> to, List<String> sets) throws ProtocolException {
        int copies = GroupSender.copies(to);
        int pairwiseMessages = Math.max(2, PAIRWISE_COPIES_PER_BLOCK / copies);
        List<Double> group = new ArrayList<>();
        List<Double> toSet = new ArrayList<>();
        List<Double> pairwise = new ArrayList<>();
        GroupSender.Upload lastGroup = null;
        GroupSender.Upload lastSet = null;
        GroupSender.Upload lastPairwise = null;
        for (int round = 0; round <= rounds; round++) {
            long start = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < GROUP_MESSAGES_PER_BLOCK; i++) {
                lastGroup = sender.groupWithList(GroupLoad.messageId('c', sequence++), System.currentTimeMillis(), to);
            }
            long listed = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < GROUP_MESSAGES_PER_BLOCK; i++) {
                lastSet = sender.groupToSets(GroupLoad.messageId('c', sequence++), System.currentTimeMillis(), sets, copies);
            }
            long middle = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < pairwiseMessages; i++) {
                lastPairwise = sender.pairwise(GroupLoad.messageId('c', sequence++), System.currentTimeMillis(), to);
            }
            long end = threads.getCurrentThreadCpuTime();
            if (round > 0) { // round 0 warms the JIT up
                group.add((listed - start) / 1e3 / GROUP_MESSAGES_PER_BLOCK);
                toSet.add((middle - listed) / 1e3 / GROUP_MESSAGES_PER_BLOCK);
                pairwise.add((end - middle) / 1e3 / pairwiseMessages);
            }
        }
        return new Row(to.size() + 1, copies, group, toSet, pairwise, lastGroup.bytes(), lastGroup.frames().size(),
                lastSet.bytes(), lastSet.frames().size(), lastPairwise.bytes(), lastPairwise.frames().size());
    }

    static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
