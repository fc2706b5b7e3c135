package dev.parley.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Rotations after removals: each removes the last member still in the group and sends the next
 * group message as the model requires after anyone left (docs/design/GROUPS.md, "Rotation"): a
 * new sender chain, its distribution pairwise-encrypted for every remaining device, beside the
 * chain's first message, in as many {@code send_multi} frames as the frame limit needs. The group
 * change that removes the member travels separately (pairwise, to every member) and is not part
 * of this cost. Measured per rotation: the sending thread's CPU to build it (new chain, the
 * distributions, the message, the frames), the bytes and frames uploaded, the server's CPU until
 * every remaining device had its copy, and the time from the first frame sent to the last copy.
 */
final class GroupRotation {

    private final GroupMembers members;
    private final GroupSender sender;
    private final GroupDeliveries deliveries;
    private final Target target;

    GroupRotation(GroupMembers members, GroupSender sender, GroupDeliveries deliveries, Target target) {
        this.members = members;
        this.sender = sender;
        this.deliveries = deliveries;
        this.target = target;
    }

    /** {@code rotations} removals and rotations, one after the other; returns each one's figures. */
    List<Map<String, Object>> run(int rotations) throws Exception {
        var threads = ManagementFactory.getThreadMXBean();
        List<GroupSender.Member> all = members.members();
        List<Map<String, Object>> figures = new ArrayList<>();
        for (int r = 0; r < rotations; r++) {
            List<GroupSender.Member> remaining = all.subList(0, all.size() - 1 - r);
            deliveries.reset();
            String id = GroupLoad.messageId('r', r);

            long cpuStart = threads.getCurrentThreadCpuTime();
            GroupSender.Upload upload = sender.newChain(id, System.currentTimeMillis(), remaining);
            long cpuEnd = threads.getCurrentThreadCpuTime();

            long serverBefore = target.cpuMicros();
            long start = System.nanoTime();
            deliveries.window(start, Long.MAX_VALUE);
            deliveries.expect(id, upload.copies(), start);
            members.send(upload);
            long missing = deliveries.awaitAll(GroupLoad.DRAIN_TIMEOUT.toNanos());
            long end = deliveries.lastCompletion();
            while (!members.settled() && System.nanoTime() - start < GroupLoad.DRAIN_TIMEOUT.toNanos()) {
                RelayScenario.parkUntil(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2));
            }
            long serverAfter = target.cpuMicros();

            Map<String, Object> one = new LinkedHashMap<>();
            one.put("members", remaining.size() + 1);
            one.put("distributions", upload.copies());
            one.put("sender_cpu_ms", (cpuEnd - cpuStart) / 1e6);
            one.put("bytes", upload.bytes());
            one.put("frames", upload.frames().size());
            one.put("largest_frame_bytes", upload.frames().stream().mapToInt(String::length).max().orElse(0));
            one.put("server_cpu_ms", serverBefore >= 0 ? (serverAfter - serverBefore) / 1e3 : -1.0);
            one.put("until_all_ms", missing == 0 ? (end - start) / 1e6 : -1.0);
            one.put("missing_copies", missing);
            figures.add(one);
        }
        return figures;
    }
}
