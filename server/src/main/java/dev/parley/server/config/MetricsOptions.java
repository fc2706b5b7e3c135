package dev.parley.server.config;

import static picocli.CommandLine.Help.Visibility.NEVER;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The command-line options of {@link MetricsEndpoint}, mixed into {@link ServerCommand}. */
final class MetricsOptions {

    @Option(names = "--metrics-host", defaultValue = "127.0.0.1",
            description = "Address of the Prometheus endpoint /metrics, never the public port; any non-loopback "
                    + "address needs --metrics-token.")
    String metricsHost;

    @Option(names = "--metrics-port", defaultValue = "" + MetricsEndpoint.DEFAULT_PORT,
            description = "Port of /metrics; 0 picks a free one, -1 turns it off.")
    int metricsPort;

    @Option(names = "--metrics-token", defaultValue = "", showDefaultValue = NEVER,
            description = "Bearer token that scrapes of /metrics must present (default none, "
                    + "allowed only on loopback). Prefer the variable: a flag is visible in the process list.")
    String metricsToken;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    /** The endpoint, or a usage error (not a stack trace) when the options do not make one. */
    MetricsEndpoint toEndpoint() {
        try {
            return new MetricsEndpoint(metricsHost, metricsPort, metricsToken);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
