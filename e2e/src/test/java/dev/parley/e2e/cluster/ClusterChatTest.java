package dev.parley.e2e.cluster;

import dev.parley.e2e.ChatTest;
import dev.parley.e2e.support.ServedBy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link ChatTest}'s tests, unchanged, on three nodes behind HAProxy ({@link ThreeNodeCluster},
 * on a private PostgreSQL): every browser opens the proxy's address, and the proxy spreads their
 * sockets over the nodes. "The server is down" is every node stopped; "every file the server
 * wrote" is the nodes' and the proxy's logs, the PostgreSQL server's files and a dump of every
 * value in the database.
 */
@ServedBy(ThreeNodeCluster.OwnPostgres.class)
class ClusterChatTest extends ChatTest {

    @RegisterExtension
    static final FailureLogs LOGS = new FailureLogs(() -> (ClusterFixture) chatServer());

    @AfterAll
    static void theAccountsWereServedBySeveralNodes() {
        NodeSpread.assertSeveralNodesServed((ClusterFixture) chatServer());
    }
}
