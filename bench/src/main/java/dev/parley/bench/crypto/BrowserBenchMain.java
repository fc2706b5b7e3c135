package dev.parley.bench.crypto;

import java.util.ArrayList;
import java.util.List;

/**
 * Measures messages/s of the browser protocol in headless Chromium (target in docs/BENCHMARKS.md: 5,000
 * messages/s encrypted and decrypted) and prints a table: same chain and a turn every message,
 * each repeated {@code --rounds} times in fresh pages.
 *
 * <pre>
 * bin/parley-bench-crypto browser [--messages 20000] [--warmup 2000] [--rounds 3]
 * </pre>
 */
public final class BrowserBenchMain {

    private BrowserBenchMain() {}

    public static void main(String[] args) throws Exception {
        int messages = 20_000;
        int warmup = 2_000;
        int rounds = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--messages" -> messages = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> {
                    System.out.println("usage: parley-bench-crypto browser [--messages N] [--warmup N] [--rounds N]");
                    return;
                }
            }
        }
        List<BrowserBench.Result> results = new ArrayList<>();
        try (BrowserBench bench = BrowserBench.start(BrowserBench.repoRoot())) {
            for (int round = 0; round < rounds; round++) {
                for (boolean turns : new boolean[] {false, true}) {
                    BrowserBench.Result r = bench.run(messages, warmup, turns);
                    System.out.printf("round %d, %s: %,.0f msgs/s%n", round + 1, turns ? "turns" : "same chain",
                            r.messagesPerSecond());
                    results.add(r);
                }
            }
            System.out.println("Chromium: " + results.getFirst().userAgent());
        }
        System.out.println();
        System.out.print(BrowserBench.table(results));
    }
}
