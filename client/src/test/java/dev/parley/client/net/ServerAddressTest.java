package dev.parley.client.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.client.ClientException;
import java.net.URI;
import org.junit.jupiter.api.Test;

class ServerAddressTest {

    @Test
    void serverAddressesMapToTheWebSocketAndTheSignedOrigin() throws Exception {
        assertEquals(new ServerAddress(URI.create("ws://127.0.0.1:5000/ws"), "http://127.0.0.1:5000"),
                ServerAddress.parse("http://127.0.0.1:5000"));
        assertEquals(new ServerAddress(URI.create("wss://chat.example.org/ws"), "https://chat.example.org"),
                ServerAddress.parse("wss://chat.example.org/ws"));
        assertEquals(new ServerAddress(URI.create("ws://localhost:8080/ws"), "http://localhost:8080"),
                ServerAddress.parse("ws://localhost:8080/anything"));
        assertThrows(ClientException.class, () -> ServerAddress.parse("ftp://example.org"));
        assertThrows(ClientException.class, () -> ServerAddress.parse("not a url"));
    }
}
