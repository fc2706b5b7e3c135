package dev.parley.server.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.LiveServerTest;
import dev.parley.server.testing.TestClient;
import dev.parley.wire.ErrorCode;
import dev.parley.wire.WireJson;
import dev.parley.wire.frames.DeliveryFrames.Stored;
import dev.parley.wire.frames.SessionFrames.Challenge;
import dev.parley.wire.frames.SessionFrames.ErrorFrame;
import dev.parley.wire.frames.SessionFrames.Ping;
import dev.parley.wire.frames.SessionFrames.Pong;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The gateway against {@code test-vectors/wire/frames.json} on a live server: every client
 * frame of the catalogue reaches its route (it may be refused for a reason of substance, never
 * as malformed or unknown), every refused example is refused with its code naming its field,
 * and a catalogue client frame without a server route stops the server from starting.
 */
class CatalogueRoutesTest extends LiveServerTest {

    /** Codes that would mean the gateway did not take the example as the frame it is. */
    private static final Set<String> NOT_TAKEN = Set.of(ErrorCode.UNKNOWN_TYPE.wireName(), ErrorCode.BAD_FRAME.wireName(),
            ErrorCode.BAD_JSON.wireName());

    private static JsonNode vectors() throws IOException {
        String root = System.getProperty("parley.repo.root");
        Path repo = (root != null ? Path.of(root) : Path.of("..")).toAbsolutePath().normalize();
        return WireJson.MAPPER.readTree(repo.resolve("test-vectors/wire/frames.json").toFile());
    }

    private static List<JsonNode> clientFrames(JsonNode list) {
        List<JsonNode> frames = new ArrayList<>();
        for (JsonNode vector : list) {
            if (vector.path("direction").asText().equals("client")) {
                frames.add(vector);
            }
        }
        return frames;
    }

    /** Sends {@code text}, then a ping; returns every frame that came before the pong. */
    private static List<JsonNode> answersTo(TestClient client, String text) {
        client.sendText(text);
        String probe = TestClient.nextId();
        client.send(new Ping(probe));
        List<JsonNode> answers = new ArrayList<>();
        while (true) {
            JsonNode frame = client.next();
            if (frame.path("type").asText().equals(Pong.TYPE) && probe.equals(frame.path("re").asText())) {
                return answers;
            }
            answers.add(frame);
        }
    }

    @Test
    void everyClientExampleIsTakenAsItsType() throws IOException {
        List<JsonNode> examples = clientFrames(vectors().path("frames"));
        assertFalse(examples.isEmpty());
        try (var loggedIn = TestClient.registered(server, "routes_user");
                var anonymous = TestClient.connect(server)) {
            for (JsonNode vector : examples) {
                JsonNode frame = vector.path("frame");
                String id = frame.path("id").asText();
                for (TestClient client : List.of(loggedIn, anonymous)) {
                    List<JsonNode> answers = answersTo(client, frame.toString());
                    for (JsonNode answer : answers) {
                        if (answer.path("type").asText().equals(ErrorFrame.TYPE)) {
                            assertFalse(NOT_TAKEN.contains(answer.path("code").asText()), frame + " -> " + answer);
                        }
                    }
                    boolean answered = answers.stream().anyMatch(a -> id.equals(a.path("re").asText()));
                    boolean ackWithoutAnswer = frame.path("type").asText().equals("ack") && client == loggedIn;
                    assertEquals(!ackWithoutAnswer, answered, frame + " -> " + answers);
                    if (answers.stream().anyMatch(a -> a.path("type").asText().equals(ErrorFrame.TYPE))
                            && List.of("register", "login", "reset").contains(frame.path("type").asText()) && client == anonymous) {
                        assertTrue(answers.stream().anyMatch(a -> a.path("type").asText().equals(Challenge.TYPE)),
                                "a refused auth attempt brings a fresh challenge: " + answers);
                    }
                }
            }
        }
    }

    @Test
    void everyRejectedClientExampleIsRefusedWithItsCodeNamingItsField() throws IOException {
        List<JsonNode> rejected = clientFrames(vectors().path("rejected"));
        assertFalse(rejected.isEmpty());
        // A connection is closed after --bad-frames-per-minute refusals: a new one every few examples.
        for (int from = 0; from < rejected.size(); from += REFUSALS_PER_CONNECTION) {
            try (var client = TestClient.registered(server, "routes_rejected" + from)) {
                refusedOneByOne(client, rejected.subList(from, Math.min(rejected.size(), from + REFUSALS_PER_CONNECTION)));
            }
        }
    }

    private static final int REFUSALS_PER_CONNECTION = 10;

    private static void refusedOneByOne(TestClient client, List<JsonNode> rejected) {
        for (JsonNode vector : rejected) {
            JsonNode frame = vector.path("frame");
            List<JsonNode> answers = answersTo(client, frame.toString());
            assertEquals(1, answers.size(), frame + " -> " + answers);
            JsonNode error = answers.getFirst();
            assertEquals(ErrorFrame.TYPE, error.path("type").asText(), error::toString);
            assertEquals(vector.path("code").asText(), error.path("code").asText(), frame + " -> " + error);
            if (vector.hasNonNull("field")) {
                assertTrue(error.path("message").asText().startsWith("'" + vector.path("field").asText() + "'"),
                        frame + " -> " + error);
            }
        }
    }

    @Test
    void aClientFrameWithoutARouteStopsTheServerFromStarting() {
        var routes = new Routes().add(Ping.class, Route.nonBlocking((connection, ping) -> { }, false));
        assertTrue(routes.missing().contains("send_message"), routes.missing()::toString);
        var failure = assertThrows(IllegalStateException.class, routes::complete);
        assertTrue(failure.getMessage().contains("ack"), failure::getMessage);
        assertThrows(IllegalArgumentException.class, () -> routes.add(Stored.class, Route.loggedIn((connection, stored) -> { })),
                "a server frame cannot be routed");
    }
}
