package dev.parley.e2e.cluster;

import dev.parley.e2e.GroupsTest;
import dev.parley.e2e.support.ServedBy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link GroupsTest}'s tests, unchanged, on three nodes behind HAProxy ({@link ThreeNodeCluster}):
 * every browser opens the proxy's address, and the proxy spreads their sockets over the nodes.
 */
@ServedBy(ThreeNodeCluster.class)
class ClusterGroupsTest extends GroupsTest {

    @RegisterExtension
    static final FailureLogs LOGS = new FailureLogs(() -> (ClusterFixture) chatServer());

    @AfterAll
    static void theAccountsWereServedBySeveralNodes() {
        NodeSpread.assertSeveralNodesServed((ClusterFixture) chatServer());
    }
}
