package dev.parley.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.microsoft.playwright.Page;
import dev.parley.e2e.support.Browsers;
import dev.parley.e2e.support.ServerProcess;
import dev.parley.web.testing.BrowserSession;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The web client's small building blocks, run as served (same origin, same CSP) in Chromium:
 * recovery codes, message ids, the per-peer mutex, reconnect backoff and the rule that
 * delivery states never go back.
 */
class ClientModulesTest {

    @RegisterExtension
    static final BrowserSession<ServerProcess> SESSION = new BrowserSession<>(ServerProcess::start);

    private static Page page;

    /** One page of the served client for every test: the modules are imported into it. */
    @BeforeAll
    static void openPage() {
        page = Browsers.desktop(SESSION.chromium()).newPage();
        page.navigate(SESSION.server().url("/"));
    }

    private static Object run(String body) {
        return page.evaluate("async () => { " + body + " }");
    }

    @Test
    void recoveryCodesHave160RandomBitsAndACanonicalForm() {
        Object result = run("""
                const ids = await import('/js/wire/recovery.js');
                const codes = Array.from({ length: 200 }, () => ids.generateRecoveryCode());
                const code = codes[0];
                const shown = ids.displayRecoveryCode(code);
                const typed = shown.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o').replace(/1/g, 'l');
                const hash = await ids.recoveryHash(code);
                const expected = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(code)));
                return {
                  lengths: [...new Set(codes.map((c) => c.length))],
                  alphabet: codes.every((c) => /^[0-9A-HJKMNP-TV-Z]{32}$/.test(c)),
                  distinct: new Set(codes).size,
                  groups: shown.split('-').length,
                  roundTrip: ids.canonicalRecoveryCode(typed) === code,
                  tooShort: ids.canonicalRecoveryCode(code.slice(1)),
                  badChar: ids.canonicalRecoveryCode(code.slice(1) + 'U'),
                  hashMatches: hash.length === 32 && hash.every((b, i) => b === expected[i]),
                };
                """);
        assertEquals(Map.of("lengths", List.of(32), "alphabet", true, "distinct", 200, "groups", 8, "roundTrip", true,
                "hashMatches", true), withoutNulls(result));
        assertEquals(null, ((Map<?, ?>) result).get("tooShort"));
        assertEquals(null, ((Map<?, ?>) result).get("badChar"));
    }

    @Test
    void messageIdsAre128RandomBitsInTheWireAlphabet() {
        Object result = run("""
                const { randomId } = await import('/js/lib/ids.js');
                const ids = Array.from({ length: 1000 }, randomId);
                return { ok: ids.every((id) => /^[A-Za-z0-9_-]{22}$/.test(id)), distinct: new Set(ids).size };
                """);
        assertEquals(Map.of("ok", true, "distinct", 1000), result);
    }

    @Test
    void theMutexRunsTasksOfOneKeyInOrderAndOtherKeysConcurrently() {
        Object result = run("""
                const { KeyedMutex } = await import('/js/lib/mutex.js');
                const mutex = new KeyedMutex();
                const log = [];
                const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
                const a1 = mutex.run('a', async () => { log.push('a1 start'); await sleep(50); log.push('a1 end'); return 1; });
                const a2 = mutex.run('a', async () => { log.push('a2 start'); throw new Error('boom'); });
                const a3 = mutex.run('a', async () => { log.push('a3'); return 3; });
                const b1 = mutex.run('b', async () => { log.push('b1'); return 'b'; });
                const results = await Promise.allSettled([a1, a2, a3, b1]);
                return { log, results: results.map((r) => r.status === 'fulfilled' ? r.value : r.reason.message) };
                """);
        assertEquals(Map.of("log", List.of("a1 start", "b1", "a1 end", "a2 start", "a3"), "results", List.of(1, "boom", 3, "b")), result);
    }

    @Test
    void backoffGrowsWithJitterUpToACapAndResets() {
        Object result = run("""
                const { Backoff } = await import('/js/net/backoff.js');
                const low = new Backoff({ random: () => 0 });
                const high = new Backoff({ random: () => 0.999999 });
                const lows = Array.from({ length: 10 }, () => low.next());
                const highs = Array.from({ length: 10 }, () => high.next());
                high.reset();
                return { lows, highs, afterReset: high.next() };
                """);
        assertEquals(Map.of(
                "lows", List.of(250, 500, 1000, 2000, 4000, 8000, 15000, 15000, 15000, 15000),
                "highs", List.of(500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000),
                "afterReset", 500), result);
    }

    @Test
    void deliveryStatesOnlyAdvance() {
        Object result = run("""
                const { advances } = await import('/js/chat/messages.js');
                return [
                  advances('sending', 'stored'), advances('stored', 'delivered'), advances('delivered', 'read'),
                  advances('sending', 'read'), advances('read', 'delivered'), advances('delivered', 'stored'),
                  advances('read', 'read'), advances('sending', 'failed'), advances('failed', 'stored'),
                  advances('stored', 'undelivered'), advances('undelivered', 'delivered'),
                ];
                """);
        assertEquals(List.of(true, true, true, true, false, false, false, true, false, false, true), result);
    }

    private static Map<?, ?> withoutNulls(Object result) {
        var map = new java.util.HashMap<>((Map<?, ?>) result);
        map.values().removeIf(java.util.Objects::isNull);
        return map;
    }
}
