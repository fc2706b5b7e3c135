package dev.parley.bench;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;

/** Parses {@code 500ms}, {@code 10s}, {@code 2m} (and ISO-8601 such as {@code PT10S}) on the command line. */
final class Durations implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        String text = value.trim().toLowerCase(java.util.Locale.ROOT);
        if (text.startsWith("pt")) {
            return Duration.parse(value);
        }
        if (text.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
        }
        long amount = Long.parseLong(text.substring(0, text.length() - 1));
        return switch (text.charAt(text.length() - 1)) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            default -> throw new IllegalArgumentException("durations look like 500ms, 10s or 2m, not '" + value + "'");
        };
    }
}
