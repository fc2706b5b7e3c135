package dev.parley.bench.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Runs the browser benchmark page for a few hundred messages in real headless Chromium, both
 * workloads, so the page and its runner keep working. Not a measurement (figures from so few
 * messages mean nothing): {@code bin/parley-bench-crypto browser} measures.
 */
class BrowserBenchSmokeTest {

    @Test
    void pageRoundTripsMessagesInChromium() throws Exception {
        try (BrowserBench bench = BrowserBench.start(BrowserBench.repoRoot())) {
            for (boolean turns : new boolean[] {false, true}) {
                BrowserBench.Result result = bench.run(300, 20, turns);
                assertEquals(300, result.messages());
                assertEquals(Payloads.SIZE, result.size());
                assertEquals(turns, result.turns());
                assertTrue(result.seconds() > 0 && result.messagesPerSecond() > 0, result.toString());
                assertTrue(result.userAgent().contains("Chrome"), result.userAgent());
            }
        }
    }
}
