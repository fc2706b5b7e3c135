package dev.parley.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The web client's first load in headless Chromium against a real server (docs/BENCHMARKS.md,
 * "Web client first load"): {@code --loads} cold loads (each in a fresh browser context: empty
 * HTTP cache, no service worker), then as many warm loads with the HTTP cache filled by one
 * earlier load and service workers blocked, then as many with the app's service worker active:
 * a first visit's loads, with no account in the browser. Then a returning user's: as many again
 * in a context where an account was created first, from the HTTP cache and through the service
 * worker. Each load is timed from navigation start to the app's first screen: the moment
 * {@code #app} gets {@code aria-busy="false"} (web/js/app.js {@code show()}: the first view is
 * in the document; with no account, the welcome screen; with one, the chat's shell). The
 * requests are the page's navigation and resource entries up to that moment.
 *
 * <p>Chromium is driven through Playwright, which is not in the load generator's shaded jar:
 * bin/parley-bench runs this command on the bench module's class path ({@link PageLoads}).
 */
@Command(name = "page-load", mixinStandardHelpOptions = true,
        description = "Times the web client's first load in headless Chromium: cold, warm (HTTP cache) and warm"
                + " (service worker) with no account, then warm with an account (returning), with the requests and bytes of each.")
final class PageLoadCommand implements Callable<Integer> {

    @Option(names = "--loads", defaultValue = "10", description = "Measured loads of each kind (default ${DEFAULT-VALUE}).")
    int loads;

    @Option(names = "--warmup-loads", defaultValue = "3",
            description = "Unmeasured cold loads first, so that the server's JIT warm-up lands in no figure (default ${DEFAULT-VALUE}).")
    int warmupLoads;

    @Option(names = "--timeout-s", defaultValue = "30", description = "A load that shows nothing within this is an error (default ${DEFAULT-VALUE} s).")
    int timeoutSeconds;

    @Mixin
    ScenarioOptions scenario;

    @Override
    public Integer call() throws Exception {
        try {
            Class.forName("com.microsoft.playwright.Playwright");
        } catch (ClassNotFoundException e) {
            System.err.println("page-load drives Chromium through Playwright, which is not in this jar: run it with"
                    + " bin/parley-bench page-load, which puts the bench module's class path in place");
            return 2;
        }
        return scenario.runOnParley((target, executor) -> {
            var result = new Result("page-load", target.kind());
            result.extra.put("server_jar", scenario.server.serverUrl == null && scenario.server.serverJar != null
                    ? scenario.server.serverJar.toString() : scenario.server.serverUrl == null ? "checkout" : "unknown");
            PageLoads.measure(target, loads, warmupLoads, timeoutSeconds * 1000.0, result);
            result.serverRss(target.rssBytes());
            return result;
        });
    }
}
