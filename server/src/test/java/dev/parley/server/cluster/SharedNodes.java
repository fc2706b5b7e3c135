package dev.parley.server.cluster;

import java.time.Duration;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Three nodes shared by every test class that asks for {@link ClusterNodes} (started once per
 * test run, closed at its end), so that the cluster tests do not each pay for starting nodes.
 * Their delivery sweep is long (60 s): a delivery within the tests' waits came from a
 * notification, not from the sweep. Tests share the nodes and the database, so each uses
 * usernames of its own.
 */
final class SharedNodes implements ParameterResolver {

    static final Duration SWEEP = Duration.ofSeconds(60);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ClusterNodes.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(SharedNodes.class, key -> ClusterNodes.start(3, SWEEP), ClusterNodes.class);
    }
}
