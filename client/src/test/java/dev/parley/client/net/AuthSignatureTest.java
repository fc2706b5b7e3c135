package dev.parley.client.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.client.ClientException;
import dev.parley.wire.signed.SignedBytes;
import java.net.URI;
import org.junit.jupiter.api.Test;

class AuthSignatureTest {

    @Test
    void signsExactlyTheBytesTheServerVerifies() {
        byte[] nonce = new byte[32];
        for (int i = 0; i < nonce.length; i++) {
            nonce[i] = (byte) (i * 7);
        }
        for (String action : new String[] {"register", "login", "reset"}) {
            assertArrayEquals(SignedBytes.auth(nonce, "http://127.0.0.1:5000", 1_764_150_000_000L, action, "alice"),
                    AuthSignature.signedBytes(nonce, "http://127.0.0.1:5000", 1_764_150_000_000L, action, "alice"));
        }
        byte[] bytes = AuthSignature.signedBytes(nonce, "o", 1, "login", "u");
        assertEquals("parley-auth-v1\0", new String(bytes, 0, 15, java.nio.charset.StandardCharsets.US_ASCII));
    }

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
