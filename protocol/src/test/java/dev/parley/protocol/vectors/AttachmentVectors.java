package dev.parley.protocol.vectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.attachments.AttachmentException;
import dev.parley.protocol.attachments.AttachmentFormat;
import dev.parley.protocol.attachments.Blobs;
import dev.parley.protocol.testing.DeterministicRandomness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code attachments.json} (CRYPTO.md §12): {@code cases[]} of {@code {name, size, key,
 * plaintext, blob, digest}} (0 bytes, 1 byte, one full chunk, one byte more, three chunks),
 * re-encrypted byte for byte and opened; {@code tampered[]} of {@code {name, case, chunks?, flip?,
 * cut?, append?, wrongDigest?, reason}}: edits of the three-chunk case ({@link Blobs.Tampered})
 * a receiver refuses with {@code reason} ("length", "tag" or "digest").
 */
final class AttachmentVectors {

    static final List<Integer> SIZES = List.of(0, 1, 65_536, 65_537, 2 * 65_536 + 1);
    static final Set<String> TAMPERED = Set.of("flipped-byte-chunk-0", "flipped-byte-chunk-1", "flipped-byte-chunk-2",
            "truncated-last-chunk", "dropped-first-chunk", "dropped-last-chunk", "reordered-chunks", "extra-bytes", "wrong-digest");

    private AttachmentVectors() {}

    static ObjectNode generate() {
        try {
            ObjectNode file = Json.vectorFile("attachments.json", "§12");
            ArrayNode cases = file.putArray("cases");
            DeterministicRandomness random = new DeterministicRandomness("parley-vectors/attachments");
            int lastSize = 0;
            for (int size : SIZES) {
                byte[] key = random.bytes(32);
                byte[] plaintext = random.bytes(size);
                Blobs.Sealed sealed = Blobs.encrypt(key, plaintext);
                cases.addObject().put("name", size + " bytes").put("size", size).put("key", Json.b64(key))
                        .put("plaintext", Json.b64(plaintext)).put("blob", Json.b64(sealed.blob()))
                        .put("digest", Json.b64(sealed.digest()));
                lastSize = size;
            }
            ArrayNode tampered = file.putArray("tampered");
            for (Blobs.Tampered t : Blobs.tamperings(lastSize)) {
                ObjectNode entry = tampered.addObject().put("name", t.name()).put("case", lastSize + " bytes");
                if (t.chunks() != null) {
                    t.chunks().forEach(entry.putArray("chunks")::add);
                }
                if (t.flip() >= 0) {
                    entry.put("flip", t.flip());
                }
                if (t.cut() > 0) {
                    entry.put("cut", t.cut());
                }
                if (t.append().length > 0) {
                    entry.put("append", Json.b64(t.append()));
                }
                if (t.wrongDigest()) {
                    entry.put("wrongDigest", true);
                }
                entry.put("reason", t.reason().code());
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int verify(JsonNode file) {
        int checks = 0;
        Set<Long> sizes = new HashSet<>();
        try {
            for (JsonNode c : Json.required(file, "cases")) {
                long size = Json.number(c, "size");
                byte[] key = Json.bytes(c, "key");
                byte[] plaintext = Json.bytes(c, "plaintext");
                byte[] blob = Json.bytes(c, "blob");
                byte[] digest = Json.bytes(c, "digest");
                assertEquals(size, plaintext.length, "size of " + c.get("name"));
                assertEquals(AttachmentFormat.blobLength(size), blob.length, "blob length of " + c.get("name"));
                Blobs.Sealed sealed = Blobs.encrypt(key, plaintext);
                assertArrayEquals(blob, sealed.blob(), "blob of " + c.get("name"));
                assertArrayEquals(digest, sealed.digest(), "digest of " + c.get("name"));
                assertArrayEquals(plaintext, Blobs.decrypt(key, size, digest, blob), "plaintext of " + c.get("name"));
                sizes.add(size);
                checks += 4;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertTrue(sizes.containsAll(List.of(0L, 1L, 65_536L, 65_537L)), "cases of 0, 1, 65536 and 65537 bytes");
        assertTrue(sizes.stream().anyMatch(s -> AttachmentFormat.chunkCount(s) >= 3), "a case of three chunks");
        Set<String> names = new HashSet<>();
        for (JsonNode t : Json.required(file, "tampered")) {
            String name = Json.text(t, "name");
            JsonNode c = caseNamed(file, Json.text(t, "case"));
            long size = Json.number(c, "size");
            Blobs.Tampered tampering = tampering(t, name);
            byte[] blob = tampering.blob(Json.bytes(c, "blob"), size);
            byte[] digest = tampering.digest(Json.bytes(c, "digest"));
            AttachmentException e = assertThrows(AttachmentException.class,
                    () -> Blobs.decrypt(Json.bytes(c, "key"), size, digest, blob), name);
            assertEquals(Json.text(t, "reason"), e.reason().code(), name);
            names.add(name);
            checks++;
        }
        assertTrue(names.containsAll(TAMPERED), "tampered cases: " + TAMPERED);
        return checks;
    }

    private static JsonNode caseNamed(JsonNode file, String name) {
        for (JsonNode c : Json.required(file, "cases")) {
            if (name.equals(Json.text(c, "name"))) {
                return c;
            }
        }
        throw new IllegalArgumentException("tampered case names no case: " + name);
    }

    private static Blobs.Tampered tampering(JsonNode t, String name) {
        List<Integer> chunks = null;
        if (t.has("chunks")) {
            chunks = new java.util.ArrayList<>();
            for (JsonNode index : t.get("chunks")) {
                chunks.add(index.asInt());
            }
        }
        return new Blobs.Tampered(name, chunks, t.has("flip") ? Json.number(t, "flip") : -1,
                t.has("cut") ? (int) Json.number(t, "cut") : 0, t.has("append") ? Json.bytes(t, "append") : new byte[0],
                t.has("wrongDigest") && t.get("wrongDigest").asBoolean(), null);
    }
}
