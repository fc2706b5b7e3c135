package dev.parley.protocol.vectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ProtocolException.Failure;
import dev.parley.protocol.codec.Bytes;
import dev.parley.protocol.link.LinkCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** {@code test-vectors/link/codes.json} (written by neither implementation): every typed form parses, or is refused. */
class LinkCodesTest {

    @Test
    void everyCaseParsesAsSpecified() throws Exception {
        JsonNode file = Json.read(Files.readString(VectorFiles.directory().resolve("link/codes.json"), StandardCharsets.UTF_8));
        int checked = 0;
        for (JsonNode entry : Json.required(file, "cases")) {
            String typed = Json.text(entry, "typed");
            JsonNode expected = entry.get("publicKey");
            if (expected.isNull()) {
                ProtocolException e = assertThrows(ProtocolException.class, () -> LinkCode.parse(typed), typed);
                assertEquals(Failure.MALFORMED, e.failure());
            } else {
                byte[] key = Bytes.fromB64(expected.asText());
                assertArrayEquals(key, LinkCode.parse(typed), typed);
                assertArrayEquals(key, LinkCode.parse(LinkCode.display(key)), "display of " + typed);
            }
            checked++;
        }
        assertTrue(checked >= 10, "codes.json holds its cases");
    }
}
