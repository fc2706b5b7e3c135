package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The skeleton is the one defined by {@code test-vectors/usernames/skeletons.json}. */
class UsernameSkeletonTest {

    private static JsonNode vectors() throws Exception {
        String root = System.getProperty("parley.repo.root");
        Path repo = root != null && !root.isBlank() ? Path.of(root) : Path.of("").toAbsolutePath().getParent();
        return new ObjectMapper().readTree(repo.resolve("test-vectors/usernames/skeletons.json").toFile());
    }

    @Test
    void theMapIsTheVectorFilesMap() throws Exception {
        Map<Character, String> expected = new HashMap<>();
        vectors().path("map").properties().forEach(e -> expected.put(e.getKey().charAt(0), e.getValue().asText()));
        assertEquals(expected, UsernameSkeleton.MAP);
    }

    @Test
    void everySkeletonOfTheVectorFile() throws Exception {
        JsonNode skeletons = vectors().path("skeletons");
        assertTrue(skeletons.size() >= 10);
        for (JsonNode v : skeletons) {
            assertEquals(v.path("skeleton").asText(), UsernameSkeleton.of(v.path("username").asText()), v::toString);
        }
    }

    @Test
    void everyPairOfTheVectorFile() throws Exception {
        JsonNode pairs = vectors().path("pairs");
        assertTrue(pairs.size() >= 10);
        for (JsonNode v : pairs) {
            String a = v.path("a").asText();
            String b = v.path("b").asText();
            boolean expected = v.path("confusable").asBoolean();
            assertEquals(expected, UsernameSkeleton.confusable(a, b), v::toString);
            assertEquals(expected, UsernameSkeleton.confusable(b, a), v::toString);
            assertEquals(expected ? List.of(b) : List.of(), UsernameSkeleton.lookAlikes(a, List.of(a, b, "zzz")), v::toString);
        }
    }
}
