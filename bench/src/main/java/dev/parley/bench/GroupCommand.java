package dev.parley.bench;

import dev.parley.protocol.crypto.Randomness;
import dev.parley.wire.WireLimits;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code parley-bench group}: a group of {@code --members} accounts (the sender and simulated
 * members, every device logged in to the server), sending the same text as group messages
 * (Sender Keys, {@code send_multi}) and as pairwise fan-outs (one {@code send_message} per
 * member), side by side. Phases, in order (docs/BENCHMARKS.md, "Groups"):
 * <ol>
 *   <li>the chain's first message, which starts the sender chain with its distributions (not measured);</li>
 *   <li>the first group message to the members' list, naming its recipients: the server answers
 *       a recipient set, which every later group message names instead (the scenario fails if
 *       none is issued, or if a load round's group messages never name it);</li>
 *   <li>cost: the sender's CPU and upload bytes per message, group (naming recipients, and naming
 *       the set) and pairwise, at each of {@code --sizes} ({@link GroupCost});</li>
 *   <li>load: {@code --rounds} rounds of the group at {@code --rate}, then pairwise at {@code --pairwise-rate}
 *       ({@code --modes} picks either or both; {@link GroupLoad});</li>
 *   <li>rotations: {@code --rotations} removals, each followed by a new chain ({@link GroupRotation});</li>
 *   <li>verification: the sampled members open every copy they received ({@link GroupVerifier}).</li>
 * </ol>
 */
@Command(name = "group", mixinStandardHelpOptions = true,
        description = "A group of simulated members: the sender's CPU and upload bytes per message as a group message "
                + "and as pairwise fan-outs, server CPU and deliveries per second at a sustained rate, the time until "
                + "all members have a message, and the cost of a rotation after a removal.")
final class GroupCommand implements Callable<Integer> {

    @Option(names = "--members", defaultValue = "1000",
            description = "Group members, the sender included (2 to 1000; default ${DEFAULT-VALUE}).")
    int members;

    @Option(names = "--devices", defaultValue = "1", description = "Devices per simulated member, 1 to 6 (default ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = "--size", defaultValue = "100", description = "Bytes of text per message (default ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--sizes", defaultValue = "10,100,1000", split = ",",
            description = "Group sizes of the cost phase, those up to --members (default ${DEFAULT-VALUE}).")
    List<Integer> sizes;

    @Option(names = "--cpu-rounds", defaultValue = "5", description = "Measured rounds of the cost phase (default ${DEFAULT-VALUE}).")
    int cpuRounds;

    @Option(names = "--rate", defaultValue = "10", description = "Group messages per second in the load phase (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--pairwise-rate", defaultValue = "-1",
            description = "Pairwise messages per second in the load phase (default: --rate).")
    double pairwiseRate;

    @Option(names = "--rounds", defaultValue = "2", description = "Load rounds, each group then pairwise (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--modes", defaultValue = "group,pairwise", split = ",",
            description = "What each load round sends, in order: group, pairwise or both (default ${DEFAULT-VALUE}).")
    List<GroupLoad.Mode> modes;

    @Option(names = "--rotations", defaultValue = "3", description = "Removals, each followed by a rotation (default ${DEFAULT-VALUE}).")
    int rotations;

    @Option(names = "--verify-members", defaultValue = "3",
            description = "Members whose devices keep and then open every copy they received (default ${DEFAULT-VALUE}).")
    int verifyMembers;

    @Mixin
    MeasuredWindow measured;

    @Mixin
    ScenarioOptions scenario;

    @Override
    public Integer call() throws Exception {
        check(members >= 2 && members <= WireLimits.MAX_MULTI_RECIPIENTS, "--members must be 2 to " + WireLimits.MAX_MULTI_RECIPIENTS);
        check(devices >= 1 && devices <= WireLimits.MAX_DEVICES, "--devices must be 1 to " + WireLimits.MAX_DEVICES);
        check(rotations >= 0 && rotations <= members - 2 - Math.min(verifyMembers, members - 2),
                "--rotations must leave the sender and the verified members in the group");
        check(rate > 0 && rounds >= 0 && cpuRounds >= 1, "--rate must be above 0, --rounds at least 0, --cpu-rounds at least 1");
        double pairwise = pairwiseRate > 0 ? pairwiseRate : rate;
        return scenario.runOnParley((parley, executor) -> {
            var deliveries = new GroupDeliveries();
            try (var group = new GroupMembers(parley, members, devices, verifyMembers)) {
                group.open(deliveries);
                var result = new Result("group", parley.kind());
                result.connections = group.connections();
                result.extra.put("members", members);
                result.extra.put("devices_per_member", devices);
                result.extra.put("text_bytes", size);

                var sender = new GroupSender(Randomness.from(new SecureRandom()), size);
                long missing = startChain(group, sender, deliveries);
                Map<String, Object> first = firstMessage(group, sender, deliveries);
                result.extra.put("first_message", first);
                missing += (Long) first.get("missing_copies");
                List<String> sets = sender.knownSets(group.members());
                if (sets == null) {
                    throw new IllegalStateException("the server answered no recipient set for the group's list ("
                            + group.setsIssued() + " answers named one; first error: " + group.firstError() + ")");
                }

                List<Map<String, Object>> cost = new ArrayList<>();
                new GroupCost(group, size, cpuRounds).measure(sizes, sets).forEach(row -> cost.add(row.json()));
                result.extra.put("cost", cost);

                var load = new GroupLoad(group, sender, deliveries, parley);
                List<Map<String, Object>> phases = new ArrayList<>();
                Map<String, Object> lastGroup = null;
                for (int round = 1; round <= rounds; round++) {
                    for (GroupLoad.Mode mode : modes) {
                        var phase = phase(phases, round, mode, load.run(mode, mode == GroupLoad.Mode.GROUP ? rate : pairwise,
                                measured.warmup, measured.duration));
                        if (mode == GroupLoad.Mode.GROUP) {
                            lastGroup = phase;
                        }
                    }
                }
                result.extra.put("load", phases);
                long setless = 0;
                for (Map<String, Object> phase : phases) {
                    missing += (Long) phase.get("missing_copies");
                    if ("group".equals(phase.get("mode")) && (Long) phase.get("set_messages") == 0) {
                        setless++;
                    }
                }
                if (setless > 0) {
                    result.extra.put("first_error", "no group message of " + setless + " load round(s) named a recipient set");
                }

                List<Map<String, Object>> rotated = new GroupRotation(group, sender, deliveries, parley).run(rotations);
                result.extra.put("rotations", rotated);
                for (Map<String, Object> rotation : rotated) {
                    missing += (Long) rotation.get("missing_copies");
                }

                GroupVerifier.Outcome verified = new GroupVerifier(sender.groupId()).verify(group, GroupLoad::isPairwise);
                result.extra.put("verified_copies", verified.verified());
                result.extra.put("verify_failures", verified.failed());
                if (verified.firstFailure() != null) {
                    result.extra.put("first_verify_failure", verified.firstFailure());
                }
                summarize(result, lastGroup);
                result.extra.put("missing_copies", missing);
                result.extra.put("unexpected_copies", deliveries.unexpected());
                result.errors = group.errors() + missing + deliveries.unexpected() + verified.failed() + setless;
                if (group.firstError() != null) {
                    result.extra.put("first_error", group.firstError());
                }
                return result;
            }
        });
    }

    /** The group's first message: a new chain distributed to every device (as a client's first send); not measured. */
    private static long startChain(GroupMembers group, GroupSender sender, GroupDeliveries deliveries) throws Exception {
        deliveries.reset();
        String id = GroupLoad.messageId('s', 0);
        GroupSender.Upload first = sender.newChain(id, System.currentTimeMillis(), group.members());
        deliveries.expect(id, first.copies(), System.nanoTime());
        group.send(first);
        return deliveries.awaitAll(GroupLoad.DRAIN_TIMEOUT.toNanos());
    }

    /**
     * The first group message to the members' list (as a client's first after the chain's):
     * it names the recipients, and the server's answer names their recipient set, which the
     * sender keeps. Waits for every copy and for the answer; not part of the load figures.
     */
    private static Map<String, Object> firstMessage(GroupMembers group, GroupSender sender, GroupDeliveries deliveries)
            throws Exception {
        deliveries.reset();
        String id = GroupLoad.messageId('f', 0);
        GroupSender.Upload upload = sender.group(id, System.currentTimeMillis(), group.members());
        deliveries.expect(id, upload.copies(), System.nanoTime());
        group.send(upload);
        long missing = deliveries.awaitAll(GroupLoad.DRAIN_TIMEOUT.toNanos());
        long deadline = System.nanoTime() + GroupLoad.DRAIN_TIMEOUT.toNanos();
        while (sender.knownSets(group.members()) == null && System.nanoTime() < deadline) {
            RelayScenario.parkUntil(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2));
        }
        Map<String, Object> first = new LinkedHashMap<>();
        first.put("bytes", upload.bytes());
        first.put("frames", upload.frames().size());
        first.put("set_frames", upload.setFrames());
        first.put("copies", upload.copies());
        first.put("sets_issued", group.setsIssued());
        first.put("missing_copies", missing);
        return first;
    }

    private static Map<String, Object> phase(List<Map<String, Object>> phases, int round, GroupLoad.Mode mode,
                                             Map<String, Object> figures) {
        Map<String, Object> phase = new LinkedHashMap<>();
        phase.put("round", round);
        phase.put("mode", mode.name().toLowerCase(java.util.Locale.ROOT));
        phase.putAll(figures);
        phases.add(phase);
        return phase;
    }

    /** The headline fields of the result line: the last group round's (the other rounds are in "load"). */
    private static void summarize(Result result, Map<String, Object> group) {
        if (group == null) {
            return;
        }
        result.offeredPerSecond = (Double) group.get("rate_per_s");
        result.msgsPerSecond = (Double) group.get("deliveries_per_s");
        result.p50Ms = (Double) group.get("until_all_p50_ms");
        result.p99Ms = (Double) group.get("until_all_p99_ms");
        result.maxMs = (Double) group.get("until_all_max_ms");
        result.serverCpuMicrosPerMessage = (Double) group.get("server_cpu_us_per_msg");
        result.serverRssMb = (Double) group.get("server_rss_mb");
    }

    private void check(boolean ok, String message) {
        if (!ok) {
            throw new CommandLine.ParameterException(new CommandLine(this), message);
        }
    }
}
