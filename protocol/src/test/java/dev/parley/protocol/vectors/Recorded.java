package dev.parley.protocol.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.parley.protocol.codec.Bytes;
import dev.parley.protocol.testing.DeterministicRandomness;
import dev.parley.protocol.testing.RecordedRandomness;
import java.util.ArrayList;
import java.util.List;

/** The per-party randomness lists of test-vectors/README.md ({@code x25519Keys}, {@code randomBytes}). */
final class Recorded {

    private Recorded() {}

    static ArrayNode list(DeterministicRandomness source) {
        ArrayNode out = Json.array();
        source.draws().forEach(draw -> out.add(Bytes.b64(draw)));
        return out;
    }

    static RecordedRandomness replay(JsonNode party, String list) {
        List<byte[]> values = new ArrayList<>();
        JsonNode node = party == null ? null : party.get(list);
        if (node != null) {
            node.forEach(value -> values.add(Bytes.fromB64(value.asText())));
        }
        return new RecordedRandomness(values);
    }
}
