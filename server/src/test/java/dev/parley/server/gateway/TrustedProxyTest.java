package dev.parley.server.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.server.config.ConnectionLimits;
import dev.parley.server.testing.TestClient;
import dev.parley.server.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * Per-address limits behind a reverse proxy, with loopback as the proxy: a trusted peer's
 * {@code X-Forwarded-For} / {@code Forwarded} names the client; an untrusted peer's is ignored.
 */
class TrustedProxyTest {

    private static TestServer server(List<String> trustedProxies) {
        return TestServer.start(TestServer.testLimits().withConnectionsPerIp(2).withRegistrationsPerIpPerHour(1),
                ConnectionLimits.defaults().withTrustedProxies(trustedProxies));
    }

    private static TestClient from(TestServer server, String header, String value) {
        return TestClient.connect(server, Map.of(header, value));
    }

    @Test
    void behindATrustedProxyEachClientHasItsOwnLimits() {
        try (var server = server(List.of("127.0.0.0/8", "::1/128"))) {
            List<TestClient> open = new ArrayList<>();
            open.add(from(server, "X-Forwarded-For", "198.51.100.1"));
            open.add(from(server, "X-Forwarded-For", "198.51.100.1"));
            assertThrows(CompletionException.class, () -> from(server, "X-Forwarded-For", "198.51.100.1"),
                    "a third socket of one client is refused");
            // Others behind the same proxy are not locked out, and a forged left hop changes nothing.
            open.add(from(server, "X-Forwarded-For", "198.51.100.2"));
            open.add(from(server, "Forwarded", "for=198.51.100.3"));
            assertThrows(CompletionException.class, () -> from(server, "X-Forwarded-For", "203.0.113.9, 198.51.100.1"));
            open.forEach(TestClient::close);

            try (var one = from(server, "X-Forwarded-For", "198.51.100.4");
                 var two = from(server, "X-Forwarded-For", "198.51.100.5");
                 var again = from(server, "X-Forwarded-For", "198.51.100.4")) {
                assertEquals("registered", one.register("proxied_one").path("type").asText());
                assertEquals("registered", two.register("proxied_two").path("type").asText(), "registrations are per client");
                assertEquals("rate_limited", again.register("proxied_three").path("code").asText());
            }
        }
    }

    @Test
    void anUntrustedPeerCannotForgeItsAddress() {
        try (var server = server(List.of("10.0.0.0/8"))) {
            try (var a = from(server, "X-Forwarded-For", "198.51.100.1"); var b = from(server, "Forwarded", "for=198.51.100.2")) {
                assertThrows(CompletionException.class, () -> from(server, "X-Forwarded-For", "198.51.100.3"),
                        "forged headers from an untrusted peer all count as the peer");
            }
        }
    }
}
