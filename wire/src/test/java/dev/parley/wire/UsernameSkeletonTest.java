package dev.parley.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link UsernameSkeleton} against the shared vectors, test-vectors/usernames/skeletons.json. */
class UsernameSkeletonTest {

    static JsonNode vectors() throws Exception {
        return WireVectors.read("usernames/skeletons.json");
    }

    @Test
    void theMapIsTheVectorsMap() throws Exception {
        Map<Character, String> expected = new HashMap<>();
        vectors().path("map").properties().forEach(e -> expected.put(e.getKey().charAt(0), e.getValue().asText()));
        assertEquals(expected, UsernameSkeleton.MAP);
    }

    @Test
    void everySkeletonMatchesTheVectors() throws Exception {
        for (JsonNode vector : vectors().path("skeletons")) {
            String username = vector.path("username").asText();
            assertEquals(vector.path("skeleton").asText(), UsernameSkeleton.of(username), username);
        }
    }

    @Test
    void pairsAreConfusableExactlyWhenTheVectorsSaySo() throws Exception {
        for (JsonNode pair : vectors().path("pairs")) {
            String a = pair.path("a").asText();
            String b = pair.path("b").asText();
            assertEquals(pair.path("confusable").asBoolean(), UsernameSkeleton.of(a).equals(UsernameSkeleton.of(b)),
                    a + " / " + b);
        }
    }
}
