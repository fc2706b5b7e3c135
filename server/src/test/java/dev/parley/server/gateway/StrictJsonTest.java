package dev.parley.server.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.server.testing.LiveServerTest;
import dev.parley.server.testing.TestClient;
import dev.parley.wire.frames.SessionFrames.ErrorFrame;
import dev.parley.wire.frames.SessionFrames.Pong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The frame the server acts on is the frame it received: no trailing data, no key twice. Each
 * case is raw text (deliberately malformed JSON) with the answer it must get after {@code =>}.
 */
class StrictJsonTest extends LiveServerTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"type\":\"ping\",\"id\":\"t1\"} {\"type\":\"ping\"} => bad_json",
        "{\"type\":\"ping\",\"id\":\"t2\"}x => bad_json",
        "{\"type\":\"ping\",\"id\":\"t3\"}  \n => pong",
        "{\"type\":\"nonsense\",\"type\":\"ping\",\"id\":\"d1\"} => bad_json",
        "{\"type\":\"ping\",\"id\":\"d2\",\"x\":{\"a\":1,\"a\":2}} => bad_json",
        "{\"type\":\"ping\",\"id\":\"d3\",\"x\":{\"a\":1,\"b\":{\"a\":2}}} => pong"})
    void trailingDataAndRepeatedKeysAreBadJson(String testCase) {
        int arrow = testCase.lastIndexOf(" => ");
        try (var client = TestClient.connect(server)) {
            client.sendText(testCase.substring(0, arrow));
            var answer = client.await(f -> f.path("type").asText().equals(Pong.TYPE)
                    || f.path("type").asText().equals(ErrorFrame.TYPE));
            String got = answer.path("type").asText().equals(Pong.TYPE) ? "pong" : answer.path("code").asText();
            assertEquals(testCase.substring(arrow + 4), got, testCase);
        }
    }
}
