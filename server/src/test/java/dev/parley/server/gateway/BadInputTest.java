package dev.parley.server.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestClient;
import dev.parley.server.testing.TestServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import dev.parley.wire.frames.SessionFrames.Ping;

/** Whatever a client sends, it gets its documented error and the server keeps serving. */
class BadInputTest {

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestServer.testLimits().withMessageRate(20, 20));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode errorFor(TestClient client, String text) {
        client.sendText(text);
        return client.awaitType("error");
    }

    private static void assertStillServed(TestClient client) {
        assertEquals("pong", client.request(new Ping(TestClient.nextId())).path("type").asText());
    }

    /**
     * Raw text (deliberately malformed) with the code it must be refused with after {@code =>},
     * and the {@code re} the error carries when the frame had a usable id.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "{not json => bad_json",
        "[1,2,3] => bad_json",
        "\"just a string\" => bad_json",
        "{\"type\":\"launch_missiles\",\"id\":\"x1\"} => unknown_type x1",
        "{\"id\":\"x2\"} => bad_frame x2",
        "{\"type\":7,\"id\":\"x3\"} => bad_frame x3"})
    void notJsonObjectsAndUnknownOrMissingTypesAreRefusedAndServingGoesOn(String testCase) {
        String[] expected = testCase.substring(testCase.lastIndexOf(" => ") + 4).split(" ");
        try (var client = TestClient.connect(server)) {
            JsonNode error = errorFor(client, testCase.substring(0, testCase.lastIndexOf(" => ")));
            assertEquals(expected[0], error.path("code").asText(), testCase);
            assertEquals(expected.length > 1 ? expected[1] : null, error.path("re").asText(null), testCase);
            assertStillServed(client);
        }
    }

    @Test
    void framesNeedingLoginAreRefusedBeforeLogin() {
        try (var client = TestClient.connect(server)) {
            JsonNode error = errorFor(client, "{\"type\":\"send_message\",\"id\":\"m1\",\"to\":\"x\",\"envelope\":\"AAAA\"}");
            assertEquals("not_authenticated", error.path("code").asText());
            assertEquals("m1", error.path("re").asText());
        }
    }

    @Test
    void wrongFieldTypesNameTheField() {
        try (var client = TestClient.registered(server, "bad_types")) {
            JsonNode toNumber = errorFor(client, "{\"type\":\"send_message\",\"id\":\"m1\",\"to\":5,\"envelope\":\"AAAA\"}");
            assertEquals("bad_frame", toNumber.path("code").asText());
            assertTrue(toNumber.path("message").asText().contains("'to'"), toNumber::toString);
            JsonNode badEnvelope = errorFor(client, "{\"type\":\"send_message\",\"id\":\"m2\",\"to\":\"bad_types\",\"envelope\":\"not base64!\"}");
            assertEquals("bad_frame", badEnvelope.path("code").asText());
            JsonNode badId = errorFor(client, "{\"type\":\"send_message\",\"id\":\"has space\",\"to\":\"bad_types\",\"envelope\":\"AAAA\"}");
            assertEquals("bad_frame", badId.path("code").asText());
            JsonNode badKey = errorFor(client, "{\"type\":\"upload_prekeys\",\"id\":\"u1\",\"oneTimePreKeys\":[{\"id\":1,\"key\":\"AAAA\"}]}");
            assertEquals("bad_frame", badKey.path("code").asText());
            assertTrue(badKey.path("message").asText().contains("oneTimePreKeys[0].key"), badKey::toString);
            assertStillServed(client);
        }
    }

    @Test
    void oversizeFramesAndEnvelopesAreRefusedAndTheConnectionSurvives() {
        try (var client = TestClient.registered(server, "bad_sizes")) {
            String big = "{\"type\":\"ping\",\"id\":\"big\",\"pad\":\"" + "x".repeat(70_000) + "\"}";
            assertEquals("frame_too_large", errorFor(client, big).path("code").asText());
            String envelope = "A".repeat(48 * 1024 + 4);
            JsonNode tooLarge = errorFor(client, "{\"type\":\"send_message\",\"id\":\"e1\",\"to\":\"bad_sizes\","
                    + "\"devices\":[{\"device\":1,\"envelope\":\"" + envelope + "\"}]}");
            assertEquals("envelope_too_large", tooLarge.path("code").asText());
            assertEquals("e1", tooLarge.path("re").asText());
            assertStillServed(client);
        }
    }

    @Test
    void aBinaryFrameIsRefused() {
        try (var client = TestClient.connect(server)) {
            client.sendBinary(new byte[] {1, 2, 3});
            assertEquals("bad_frame", client.awaitType("error").path("code").asText());
            assertStillServed(client);
        }
    }

    @Test
    void aFloodIsRateLimitedWhileOthersAreStillServed() throws InterruptedException {
        // The bystander is logged in: before login, the sockets of one address share one budget.
        try (var bystander = TestClient.registered(server, "flood_bystander"); var flooder = TestClient.connect(server)) {
            for (int i = 0; i < 200; i++) {
                flooder.send(new Ping("f" + i));
            }
            assertStillServed(bystander);
            List<JsonNode> answers = flooder.drain(Duration.ofMillis(500));
            long pongs = answers.stream().filter(f -> f.path("type").asText().equals("pong")).count();
            long limited = answers.stream().filter(f -> f.path("code").asText().equals("rate_limited")).count();
            assertEquals(200, pongs + limited, "every frame is answered");
            assertTrue(limited >= 150, "most of the flood is refused: " + limited);
            Thread.sleep(1_100);
            assertStillServed(flooder);
        }
    }

    @Test
    void aFrameFarBeyondTheLimitClosesOnlyThatConnection() {
        try (var client = TestClient.connect(server); var bystander = TestClient.connect(server)) {
            client.sendTextAsync("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(300_000) + "\"}");
            assertTrue(client.isClosed(Duration.ofSeconds(5)), "the connection is closed (1009 message too big)");
            assertStillServed(bystander);
        }
    }
}
