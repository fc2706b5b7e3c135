package dev.parley.server.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.server.testing.TestClient;
import dev.parley.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The frame the server acts on is the frame it received: no trailing data, no key twice. */
class StrictJsonTest {

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String answerTo(TestClient client, String text) {
        client.sendText(text);
        var answer = client.await(f -> f.path("type").asText().equals("pong") || f.path("type").asText().equals("error"));
        return answer.path("type").asText().equals("pong") ? "pong" : answer.path("code").asText();
    }

    @Test
    void dataAfterTheObjectIsBadJson() {
        try (var client = TestClient.connect(server)) {
            assertEquals("bad_json", answerTo(client, "{\"type\":\"ping\",\"id\":\"t1\"} {\"type\":\"ping\"}"));
            assertEquals("bad_json", answerTo(client, "{\"type\":\"ping\",\"id\":\"t2\"}x"));
            assertEquals("pong", answerTo(client, "{\"type\":\"ping\",\"id\":\"t3\"}  \n"));
        }
    }

    @Test
    void aKeyTwiceIsBadJson() {
        try (var client = TestClient.connect(server)) {
            assertEquals("bad_json", answerTo(client, "{\"type\":\"nonsense\",\"type\":\"ping\",\"id\":\"d1\"}"));
            assertEquals("bad_json", answerTo(client, "{\"type\":\"ping\",\"id\":\"d2\",\"x\":{\"a\":1,\"a\":2}}"));
            assertEquals("pong", answerTo(client, "{\"type\":\"ping\",\"id\":\"d3\",\"x\":{\"a\":1,\"b\":{\"a\":2}}}"));
        }
    }
}
