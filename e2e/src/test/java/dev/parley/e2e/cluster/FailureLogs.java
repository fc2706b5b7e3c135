package dev.parley.e2e.cluster;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Prints the end of every node's log when a test fails: the fixture's files are deleted with
 * it, so this is what is left to read in the test's output.
 */
public final class FailureLogs implements TestWatcher {

    private static final int TAIL = 6000;
    private final Supplier<ClusterFixture> cluster;

    public FailureLogs(Supplier<ClusterFixture> cluster) {
        this.cluster = cluster;
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        ClusterFixture current = cluster.get();
        if (current == null) {
            return;
        }
        System.out.println("[cluster] " + context.getDisplayName() + " failed on " + current + "; the end of each node's log:");
        for (NodeProcess node : current.nodes()) {
            String log = node.readLog();
            System.out.println("---- " + node + "\n" + log.substring(Math.max(0, log.length() - TAIL)));
        }
    }
}
