package dev.parley.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The used heap of a server process sampled every {@code intervalMs} by the JDK's {@code jstat -gc}
 * (survivor, eden and old generation used, the same figure as Micrometer's
 * {@code jvm_memory_used_bytes{area="heap"}}): {@link #peakSinceMark} is the largest sample since
 * the last {@link #mark}. Garbage not yet collected counts, as it does in the JVM's own figure.
 */
final class HeapSampler implements AutoCloseable {

    private static final List<String> USED_COLUMNS = List.of("S0U", "S1U", "EU", "OU");
    private final Process jstat;
    private final Thread reader;
    private final AtomicLong peakKib = new AtomicLong(-1);
    private final AtomicLong samples = new AtomicLong();

    HeapSampler(long pid, int intervalMs) throws IOException {
        Path javaHome = Path.of(System.getProperty("java.home"));
        jstat = new ProcessBuilder(javaHome.resolve("bin/jstat").toString(), "-gc", Long.toString(pid), Integer.toString(intervalMs))
                .redirectErrorStream(true).start();
        reader = Thread.ofPlatform().daemon().name("heap-sampler").start(this::read);
    }

    private void read() {
        try (var lines = new BufferedReader(new InputStreamReader(jstat.getInputStream(), StandardCharsets.US_ASCII))) {
            int[] columns = null;
            for (String line; (line = lines.readLine()) != null; ) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length > 0 && fields[0].equals("S0C")) {
                    List<String> header = Arrays.asList(fields);
                    columns = USED_COLUMNS.stream().mapToInt(header::indexOf).toArray();
                    continue;
                }
                if (columns == null) {
                    continue;
                }
                double used = 0;
                for (int column : columns) {
                    if (column >= 0 && column < fields.length && !fields[column].equals("-")) {
                        used += Double.parseDouble(fields[column]);
                    }
                }
                long kib = (long) used;
                peakKib.accumulateAndGet(kib, Math::max);
                samples.incrementAndGet();
            }
        } catch (IOException | NumberFormatException ended) {
            // the sampler stops with the process or at an unreadable line; the peak so far stands
        }
    }

    /** Starts a new window: the next {@link #peakSinceMark} covers samples from now on. */
    void mark() {
        peakKib.set(-1);
    }

    /** The largest used heap (MiB) sampled since the last mark, or -1 if none. */
    double peakSinceMark() {
        long kib = peakKib.get();
        return kib < 0 ? -1 : kib / 1024.0;
    }

    long samples() {
        return samples.get();
    }

    @Override
    public void close() {
        jstat.destroy();
        try {
            reader.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
