package dev.parley.bench;

import java.time.Duration;
import picocli.CommandLine.Option;

/** A picocli mixin: the unmeasured warm-up and the measured time of a scenario that runs for a set time. */
final class MeasuredWindow {

    @Option(names = "--duration", defaultValue = "10s", description = "Measured time (default ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--warmup", defaultValue = "5s", description = "Unmeasured load before measuring (default ${DEFAULT-VALUE}).")
    Duration warmup;

    /** Seconds measured. */
    double seconds() {
        return duration.toNanos() / 1e9;
    }
}
