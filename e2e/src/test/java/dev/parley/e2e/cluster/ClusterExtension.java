package dev.parley.e2e.cluster;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * One {@link ClusterFixture} per test class: started before its first test, closed after its
 * last. Register it as a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ClusterExtension CLUSTER = new ClusterExtension(ClusterFixture.Options.threeNodes());
 * ... CLUSTER.cluster().url("/"), CLUSTER.cluster().kill(2) ...
 * }</pre>
 *
 * When a test fails, the end of each node's log is printed ({@link FailureLogs}).
 */
public final class ClusterExtension implements BeforeAllCallback, AfterAllCallback, TestWatcher {

    private final ClusterFixture.Options options;
    private ClusterFixture cluster;

    public ClusterExtension(ClusterFixture.Options options) {
        this.options = options;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster = ClusterFixture.start(options);
        System.out.println("[cluster] " + cluster);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (cluster != null) {
            cluster.close();
        }
        cluster = null;
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        new FailureLogs(() -> cluster).testFailed(context, cause);
    }

    public ClusterFixture cluster() {
        if (cluster == null) {
            throw new IllegalStateException("the cluster runs only while the test class does");
        }
        return cluster;
    }
}
