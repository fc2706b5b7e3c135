package dev.parley.server.config;

import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The command-line options of {@link ConnectionLimits}, mixed into {@link ServerCommand}. Like
 * every option, each reads a {@code PARLEY_*} variable; docs/OPERATIONS.md gives the reasons
 * for the defaults.
 */
final class ConnectionOptions {

    @Option(names = "--trusted-proxies", split = ",", defaultValue = "${env:PARLEY_TRUSTED_PROXIES:-}",
            description = "Comma-separated CIDRs of reverse proxies whose Forwarded / X-Forwarded-For headers name the "
                    + "client (env PARLEY_TRUSTED_PROXIES; default: none, the TCP peer is the client).")
    List<String> trustedProxies;

    @Option(names = "--bad-frames-per-minute", defaultValue = "${env:PARLEY_BAD_FRAMES_PER_MINUTE:-20}",
            description = "Refused frames a socket may send per minute before it is closed "
                    + "(env PARLEY_BAD_FRAMES_PER_MINUTE, default ${DEFAULT-VALUE}).")
    int badFramesPerMinute;

    @Option(names = "--outgoing-frames", defaultValue = "${env:PARLEY_OUTGOING_FRAMES:-1024}",
            description = "Answers waiting to be sent on one socket before it is no longer read; 8x closes it "
                    + "(env PARLEY_OUTGOING_FRAMES, default ${DEFAULT-VALUE}).")
    int outgoingFrames;

    @Option(names = "--outgoing-bytes", defaultValue = "${env:PARLEY_OUTGOING_BYTES:-1048576}",
            description = "The same bound in bytes (characters) of JSON text; 8x closes the socket "
                    + "(env PARLEY_OUTGOING_BYTES, default ${DEFAULT-VALUE}).")
    long outgoingBytes;

    @Option(names = "--outgoing-grace", defaultValue = "${env:PARLEY_OUTGOING_GRACE:-PT30S}",
            description = "Close a socket over that bound from which nothing was sent for this long, ISO-8601 "
                    + "(env PARLEY_OUTGOING_GRACE, default ${DEFAULT-VALUE}).")
    Duration outgoingGrace;

    ConnectionLimits toLimits() {
        List<String> proxies = trustedProxies == null ? List.of()
                : trustedProxies.stream().map(String::strip).filter(p -> !p.isEmpty()).toList();
        return new ConnectionLimits(proxies, badFramesPerMinute, outgoingFrames, outgoingBytes, outgoingGrace);
    }
}
