package dev.parley.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.client.attachments.ServerFiles;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@code parley send-file}, {@code parley group send-file} and {@code parley receive --files}
 * between homes through a real server: a 25 MiB file arrives byte-identical while the server's
 * files never hold its plaintext; a blob changed on the server is refused and nothing is saved.
 */
class AttachmentCliTest extends CliServerTest {

    private static final String MARKER = "PARLEY-PLAINTEXT-MARKER-5b8e1c";

    /** A file of {@code size} bytes: the marker, then random bytes, again and again. */
    private static Path markedFile(Path file, int size) throws Exception {
        byte[] marker = MARKER.getBytes(StandardCharsets.US_ASCII);
        byte[] filler = new byte[4096 - marker.length];
        Random random = new Random(size);
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int written = 0; written < size; ) {
                random.nextBytes(filler);
                byte[] block = new byte[Math.min(4096, size - written)];
                System.arraycopy(marker, 0, block, 0, Math.min(marker.length, block.length));
                if (block.length > marker.length) {
                    System.arraycopy(filler, 0, block, marker.length, block.length - marker.length);
                }
                out.write(block);
                written += block.length;
            }
        }
        return file;
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    @Test
    void a25MiBFileGoesFromOneCliToAnotherAndTheServerNeverHoldsItsPlaintext() throws Exception {
        Path alice = dir.resolve("alice");
        Path bob = dir.resolve("bob");
        ok(cli.run(alice, "register", "af_alice"));
        ok(cli.run(bob, "register", "af_bob"));
        Path file = markedFile(dir.resolve("out/holiday report.pdf"), 25 * 1024 * 1024);

        List<String> sent = ok(cli.run(alice, "send-file", "af_bob", file.toString())).lines();
        assertEquals(2, sent.size(), sent::toString);
        assertTrue(sent.get(0).matches("[A-Za-z0-9_-]{22}"), sent.get(0));
        assertEquals(sha256(file), sent.get(1));

        Path files = dir.resolve("bob-files");
        Cli.Result received = ok(cli.run(bob, "receive", "--files", files.toString(), "--wait", "3"));
        assertEquals(1, received.lines().size(), received::toString);
        JsonNode line = json(received.lines().getFirst());
        assertEquals("af_alice", line.get("from").asText());
        assertEquals(sent.get(0), line.get("id").asText());
        assertEquals("holiday report.pdf", line.get("attachment").get("fileName").asText());
        assertEquals("application/pdf", line.get("attachment").get("contentType").asText());
        assertEquals(Files.size(file), line.get("attachment").get("size").asLong());
        Path saved = Path.of(line.get("file").asText());
        assertEquals(files.resolve("holiday report.pdf"), saved);
        assertEquals(sent.get(1), line.get("sha256").asText());
        assertEquals(-1, Files.mismatch(file, saved), "byte-identical");

        assertEquals(List.of(), ServerFiles.containing(server, MARKER), "the server's blob folder and database never hold the plaintext");
        assertFalse(ServerFiles.all(server).isEmpty());
    }

    @Test
    void withoutFilesTheLineDescribesTheAttachmentAndAChangedBlobIsRefusedInAGroup() throws Exception {
        Path alice = dir.resolve("alice");
        Path bob = dir.resolve("bob");
        ok(cli.run(alice, "register", "ag_alice"));
        ok(cli.run(bob, "register", "ag_bob"));
        String group = ok(cli.run(alice, "group", "create", "files", "--members", "ag_bob")).lines().getLast();
        Path file = markedFile(dir.resolve("out/notes.txt"), 200_000);
        List<String> sent = ok(cli.run(alice, "group", "send-file", "files", file.toString())).lines();
        assertEquals(sha256(file), sent.get(1));

        ServerFiles.flipByte(ServerFiles.blobFile(server, Files.size(file)), 100_000);
        Path files = dir.resolve("bob-files");
        Cli.Result received = ok(cli.run(bob, "receive", "--files", files.toString(), "--wait", "3"));
        JsonNode line = json(received.lines().getLast());
        assertEquals(group, line.get("group").asText());
        assertEquals(sent.get(0), line.get("id").asText());
        assertEquals("notes.txt", line.get("attachment").get("fileName").asText());
        assertTrue(List.of("tag", "digest").contains(line.get("fileError").asText()), line.toString());
        assertFalse(line.has("file"));
        assertTrue(received.err().contains("changed on the server"), received::toString);
        assertTrue(!Files.exists(files) || Files.list(files).findAny().isEmpty(), "nothing saved, no temporary file");

        // the same kind of line without --files: the attachment described, nothing fetched
        Path other = markedFile(dir.resolve("out/second.bin"), 1000);
        ok(cli.run(alice, "send-file", "ag_bob", other.toString()));
        JsonNode plain = json(ok(cli.run(bob, "receive", "--wait", "3")).lines().getLast());
        assertEquals("second.bin", plain.get("attachment").get("fileName").asText());
        assertEquals("application/octet-stream", plain.get("attachment").get("contentType").asText());
        assertEquals(1000, plain.get("attachment").get("size").asLong());
        assertFalse(plain.has("file") || plain.has("sha256") || plain.has("fileError"), plain.toString());
    }
}
