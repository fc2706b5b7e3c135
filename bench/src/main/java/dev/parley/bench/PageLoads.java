package dev.parley.bench;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.options.ServiceWorkerPolicy;
import com.microsoft.playwright.options.WaitUntilState;
import dev.parley.web.testing.Chromium;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The loads of {@link PageLoadCommand} in headless Chromium ({@link Chromium}: the system's,
 * nothing downloaded). Each load is a new page: navigation, then a wait for the app's first
 * screen, whose time the page itself records ({@link #MARK_FIRST_SCREEN}, relative to
 * navigation start), then the page's own account of its requests ({@link #REQUESTS}).
 */
final class PageLoads {

    /**
     * Installed before any script of the page: records {@code performance.now()} (milliseconds
     * since navigation start) when {@code #app} first has {@code aria-busy="false"}.
     */
    static final String MARK_FIRST_SCREEN = """
            (() => {
              const observer = new MutationObserver(() => {
                const app = document.getElementById('app');
                if (app && app.getAttribute('aria-busy') === 'false') {
                  window.__parleyFirstScreen = performance.now();
                  observer.disconnect();
                }
              });
              observer.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-busy'] });
            })();
            """;

    /**
     * The navigation and every resource fetched before the first screen: how many, how many
     * went to the network (a transfer size above 0: a 200 or a 304), the bytes transferred, the
     * modules, and of those the ones the page names in a modulepreload link, whether a
     * service worker controls the page, and whether the first screen is the welcome screen.
     */
    static final String REQUESTS = """
            () => {
              const shown = window.__parleyFirstScreen;
              const all = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
              const entries = all.filter((e) => e.startTime <= shown);
              const modules = entries.filter((e) => /\\/js\\/.*\\.js$/.test(new URL(e.name).pathname));
              const preloads = new Set([...document.querySelectorAll('link[rel=modulepreload]')].map((l) => l.href));
              return {
                firstScreenMs: shown,
                domContentLoadedMs: performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd,
                requests: entries.length,
                networkRequests: entries.filter((e) => e.transferSize > 0).length,
                transferKiB: entries.reduce((sum, e) => sum + e.transferSize, 0) / 1024,
                bodyKiB: entries.reduce((sum, e) => sum + e.encodedBodySize, 0) / 1024,
                modules: modules.length,
                modulesPreloaded: modules.filter((e) => preloads.has(e.name)).length,
                controlled: navigator.serviceWorker?.controller != null,
                welcome: document.querySelector('[data-testid="register-username"]') !== null,
              };
            }""";

    private PageLoads() {
    }

    /** One load's figures, as {@link #REQUESTS} reports them. */
    record Load(double firstScreenMs, double domContentLoadedMs, double requests, double networkRequests, double transferKiB,
                double bodyKiB, double modules, double modulesPreloaded, boolean controlled, boolean welcome, double browserCpuMs,
                double serverCpuMs) {
    }

    static void measure(Target target, int loads, int warmupLoads, double timeoutMs, Result result) {
        String url = target.httpBase() + "/";
        var cpu = new Cpu(target);
        result.extra.put("load_average_start", loadAverage());
        try (Chromium chromium = Chromium.launch()) {
            Browser browser = chromium.browser();
            result.extra.put("browser", "Chromium " + browser.version());
            for (int i = 0; i < warmupLoads; i++) {
                coldLoad(browser, url, timeoutMs, cpu);
            }
            List<Load> cold = new ArrayList<>();
            for (int i = 0; i < loads; i++) {
                record(cold, result, () -> coldLoad(browser, url, timeoutMs, cpu));
            }
            List<Load> warmHttp = new ArrayList<>();
            try (BrowserContext context = browser.newContext(new Browser.NewContextOptions().setServiceWorkers(ServiceWorkerPolicy.BLOCK))) {
                context.addInitScript(MARK_FIRST_SCREEN);
                load(context, url, timeoutMs, cpu); // fills the HTTP cache
                for (int i = 0; i < loads; i++) {
                    record(warmHttp, result, () -> load(context, url, timeoutMs, cpu));
                }
            }
            List<Load> warmWorker = new ArrayList<>();
            try (BrowserContext context = browser.newContext()) {
                context.addInitScript(MARK_FIRST_SCREEN);
                Page first = context.newPage();
                first.navigate(url);
                // Installed (the whole shell in its cache: activation waits for the install), active,
                // and in control of the page (the worker claims open pages when it activates).
                first.waitForFunction("() => navigator.serviceWorker.controller !== null", null,
                        new Page.WaitForFunctionOptions().setTimeout(timeoutMs));
                first.close();
                for (int i = 0; i < loads; i++) {
                    record(warmWorker, result, () -> load(context, url, timeoutMs, cpu));
                }
            } catch (PlaywrightException e) {
                result.errors++;
                result.extra.put("warm_sw_error", "the service worker did not become active: " + e.getMessage().lines().findFirst().orElse(""));
            }
            List<Load> returningHttp = returningLoads(browser, false, url, loads, timeoutMs, cpu, result);
            List<Load> returningWorker = returningLoads(browser, true, url, loads, timeoutMs, cpu, result);
            report(result, "cold", cold);
            report(result, "warm_http", warmHttp);
            report(result, "warm_sw", warmWorker);
            report(result, "returning_http", returningHttp);
            report(result, "returning_sw", returningWorker);
            if (warmWorker.stream().anyMatch(l -> !l.controlled()) || returningWorker.stream().anyMatch(l -> !l.controlled())) {
                result.errors++;
                result.extra.put("warm_sw_error", "a load was not controlled by the service worker");
            }
            if (Stream.of(cold, warmHttp, warmWorker).flatMap(List::stream).anyMatch(l -> !l.welcome())
                    || Stream.of(returningHttp, returningWorker).flatMap(List::stream).anyMatch(Load::welcome)) {
                result.errors++;
                result.extra.put("screen_error", "a load without an account did not show the welcome screen, or one with an account did");
            }
        }
        result.extra.put("load_average_end", loadAverage());
        result.connections = 1;
    }

    /**
     * CPU time (user and system, from /proc; 10 ms ticks) of the browser, Chromium and its
     * Playwright driver (every process this JVM started but the server), and of the server. A
     * load's figure is the sum over the processes alive at its first screen of what each used
     * since its navigation (all of it for a process started meanwhile, such as the page's
     * renderer): the cost of a load, which other work on the machine does not inflate as it
     * inflates the time. A process that exited meanwhile (the previous page's renderer) is left
     * out, and so are reaped children's times, which would bring in whole earlier lifetimes.
     */
    private record Cpu(Target target) {
        Map<Long, Long> browser() {
            long server = target.stats() == null ? -1 : target.stats().pid();
            Map<Long, Long> micros = new java.util.HashMap<>();
            ProcessHandle.current().descendants().filter(p -> p.pid() != server).forEach(p -> {
                try {
                    micros.put(p.pid(), new ProcessStats(p.pid()).cpuMicros());
                } catch (RuntimeException e) { // exited meanwhile
                }
            });
            return micros;
        }

        static long since(Map<Long, Long> start, Map<Long, Long> end) {
            return end.entrySet().stream().mapToLong(e -> e.getValue() - start.getOrDefault(e.getKey(), 0L)).sum();
        }

        long serverMicros() {
            return target.cpuMicros();
        }
    }

    /** The machine's 1-minute load average (the loads share its cores with everything else running), or -1. */
    private static double loadAverage() {
        try {
            return Double.parseDouble(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }

    private static void record(List<Load> loads, Result result, java.util.function.Supplier<Load> load) {
        try {
            loads.add(load.get());
        } catch (PlaywrightException e) {
            result.errors++;
            System.err.println("page-load: a load failed: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /**
     * A returning user's loads: in one context (with the service worker, or with it blocked so
     * that the HTTP cache answers), an account is created on the welcome screen first, unmeasured;
     * then each load opens that account (app.js: the browser's only account, free) and its first
     * screen is the chat's shell, which loads the rest of the app (account-session.js).
     */
    private static List<Load> returningLoads(Browser browser, boolean worker, String url, int loads, double timeoutMs, Cpu cpu,
                                             Result result) {
        var options = new Browser.NewContextOptions().setServiceWorkers(worker ? ServiceWorkerPolicy.ALLOW : ServiceWorkerPolicy.BLOCK);
        List<Load> measured = new ArrayList<>();
        try (BrowserContext context = browser.newContext(options)) {
            context.addInitScript(MARK_FIRST_SCREEN);
            Page first = context.newPage();
            first.navigate(url);
            first.getByTestId("register-username").fill("pl" + Long.toString(System.nanoTime(), 36));
            first.getByTestId("register-submit").click();
            first.getByTestId("recovery-done").click(new Locator.ClickOptions().setTimeout(timeoutMs));
            if (worker) {
                first.waitForFunction("() => navigator.serviceWorker.controller !== null", null,
                        new Page.WaitForFunctionOptions().setTimeout(timeoutMs));
            }
            first.close(); // releases the account's Web Lock, so the next page opens it
            for (int i = 0; i < loads; i++) {
                record(measured, result, () -> load(context, url, timeoutMs, cpu));
            }
        } catch (PlaywrightException e) {
            result.errors++;
            result.extra.put("returning_error", "the account for returning loads was not created: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        return measured;
    }

    private static Load coldLoad(Browser browser, String url, double timeoutMs, Cpu cpu) {
        try (BrowserContext context = browser.newContext()) {
            context.addInitScript(MARK_FIRST_SCREEN);
            return load(context, url, timeoutMs, cpu);
        }
    }

    /** A new page of {@code context} loads {@code url} up to the first screen; the page is closed after. */
    private static Load load(BrowserContext context, String url, double timeoutMs, Cpu cpu) {
        Page page = context.newPage();
        try {
            Map<Long, Long> browserCpu = cpu.browser();
            long serverCpu = cpu.serverMicros();
            page.navigate(url, new Page.NavigateOptions().setWaitUntil(WaitUntilState.COMMIT).setTimeout(timeoutMs));
            page.waitForFunction("() => window.__parleyFirstScreen !== undefined", null,
                    new Page.WaitForFunctionOptions().setTimeout(timeoutMs).setPollingInterval(10));
            double browserCpuMs = Cpu.since(browserCpu, cpu.browser()) / 1000.0;
            double serverCpuMs = serverCpu < 0 ? -1 : (cpu.serverMicros() - serverCpu) / 1000.0;
            @SuppressWarnings("unchecked")
            Map<String, Object> r = (Map<String, Object>) page.evaluate(REQUESTS);
            return new Load(number(r, "firstScreenMs"), number(r, "domContentLoadedMs"), number(r, "requests"),
                    number(r, "networkRequests"), number(r, "transferKiB"), number(r, "bodyKiB"), number(r, "modules"),
                    number(r, "modulesPreloaded"), Boolean.TRUE.equals(r.get("controlled")), Boolean.TRUE.equals(r.get("welcome")),
                    browserCpuMs, serverCpuMs);
        } finally {
            page.close();
        }
    }

    private static double number(Map<String, Object> map, String key) {
        return ((Number) map.get(key)).doubleValue();
    }

    /** {@code <kind>_ms_median} etc.: the first-screen times (median, mean, min, max, all) and the medians of the rest. */
    private static void report(Result result, String kind, List<Load> loads) {
        result.extra.put(kind + "_loads", loads.size());
        if (loads.isEmpty()) {
            return;
        }
        List<Double> times = loads.stream().map(Load::firstScreenMs).sorted().toList();
        result.extra.put(kind + "_ms_median", Result.median(times));
        result.extra.put(kind + "_ms_mean", times.stream().mapToDouble(Double::doubleValue).average().orElse(-1));
        result.extra.put(kind + "_ms_min", times.getFirst());
        result.extra.put(kind + "_ms_max", times.getLast());
        result.extra.put(kind + "_ms", loads.stream().map(l -> Math.round(l.firstScreenMs() * 10) / 10.0).toList());
        Map<String, Function<Load, Double>> medians = new LinkedHashMap<>();
        medians.put("dom_content_loaded_ms", Load::domContentLoadedMs);
        medians.put("requests", Load::requests);
        medians.put("network_requests", Load::networkRequests);
        medians.put("transfer_kib", Load::transferKiB);
        medians.put("body_kib", Load::bodyKiB);
        medians.put("modules", Load::modules);
        medians.put("modules_preloaded", Load::modulesPreloaded);
        medians.put("browser_cpu_ms", Load::browserCpuMs);
        medians.put("server_cpu_ms", Load::serverCpuMs);
        medians.forEach((name, figure) -> result.extra.put(kind + "_" + name,
                Result.median(loads.stream().map(figure).sorted(Comparator.naturalOrder()).toList())));
    }
}
