package dev.parley.server.config;

import static picocli.CommandLine.Help.Visibility.NEVER;

import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The command-line options of {@link ConnectionLimits}, mixed into {@link ServerCommand}. Like
 * every option, each reads a {@code PARLEY_*} variable; docs/OPERATIONS.md gives the reasons
 * for the defaults.
 */
final class ConnectionOptions {

    @Option(names = "--trusted-proxies", split = ",", defaultValue = "", showDefaultValue = NEVER,
            description = "Comma-separated CIDRs of reverse proxies whose Forwarded / X-Forwarded-For headers name the "
                    + "client (default: none, the TCP peer is the client).")
    List<String> trustedProxies;

    @Option(names = "--bad-frames-per-minute", defaultValue = "20",
            description = "Refused frames a socket may send per minute before it is closed.")
    int badFramesPerMinute;

    @Option(names = "--outgoing-frames", defaultValue = "1024",
            description = "Answers waiting to be sent on one socket before it is no longer read; 8x closes it.")
    int outgoingFrames;

    @Option(names = "--outgoing-bytes", defaultValue = "1048576",
            description = "The same bound in bytes (characters) of JSON text; 8x closes the socket.")
    long outgoingBytes;

    @Option(names = "--outgoing-grace", defaultValue = "PT30S",
            description = "Close a socket over that bound from which nothing was sent for this long, ISO-8601.")
    Duration outgoingGrace;

    ConnectionLimits toLimits() {
        return new ConnectionLimits(ServerCommand.entries(trustedProxies), badFramesPerMinute, outgoingFrames, outgoingBytes, outgoingGrace);
    }
}
