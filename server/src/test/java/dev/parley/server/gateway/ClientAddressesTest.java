package dev.parley.server.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressesTest {

    private final ClientAddresses proxies = ClientAddresses.trusting(List.of("10.0.0.0/8", "::1/128", "192.168.1.5"));

    @Test
    void headersOfAnUntrustedPeerAreIgnored() {
        assertEquals("203.0.113.7", proxies.resolve("203.0.113.7", List.of("for=1.2.3.4"), List.of("1.2.3.4")));
        assertEquals("10.1.2.3", ClientAddresses.trusting(List.of()).resolve("10.1.2.3", List.of(), List.of("1.2.3.4")));
    }

    @Test
    void theRightmostUntrustedHopIsTheClient() {
        assertEquals("198.51.100.2", proxies.resolve("10.0.0.1", List.of(), List.of("6.6.6.6, 198.51.100.2")));
        assertEquals("198.51.100.2", proxies.resolve("10.0.0.1", List.of(), List.of("6.6.6.6", "198.51.100.2, 10.9.9.9")));
        assertEquals("10.0.0.2", proxies.resolve("10.0.0.1", List.of(), List.of("10.0.0.2")), "all trusted: the leftmost");
        assertEquals("10.0.0.1", proxies.resolve("10.0.0.1", List.of(), List.of()), "no header: the proxy itself");
    }

    @Test
    void forwardedIsPreferredAndItsFormsAreRead() {
        assertEquals("2001:db8:cafe:0:0:0:0:17", proxies.resolve("0:0:0:0:0:0:0:1",
                List.of("for=\"[2001:db8:cafe::17]:4711\";proto=https"), List.of("9.9.9.9")));
        assertEquals("198.51.100.9", proxies.resolve("192.168.1.5", List.of("for=6.6.6.6, for=198.51.100.9:5555;by=10.0.0.1"), List.of()));
        assertEquals("192.168.1.5", proxies.resolve("192.168.1.5", List.of("for=unknown"), List.of()), "unknown: stop at the proxy");
    }

    @Test
    void spellingsOfOneAddressAreOneKey() {
        assertEquals(proxies.resolve("10.0.0.1", List.of(), List.of("2001:db8::1")),
                proxies.resolve("10.0.0.1", List.of(), List.of("2001:0db8:0:0::1")));
    }

    @Test
    void aBadCidrIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ClientAddresses.trusting(List.of("10.0.0.0/33")));
        assertThrows(IllegalArgumentException.class, () -> ClientAddresses.trusting(List.of("proxy.example.org")));
    }
}
