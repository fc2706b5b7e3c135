package dev.parley.client.attachments;

import dev.parley.protocol.attachments.AttachmentFormat;
import dev.parley.server.testing.TestServer;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/** What tests read and change in a test server's files: its blob files and its database, as an operator could. */
public final class ServerFiles {

    private ServerFiles() {
    }

    /** Every file the server keeps: the database (with its WAL) and the blob folder, both next to each other. */
    public static List<Path> all(TestServer server) throws IOException {
        try (var files = Files.walk(server.databaseFile().getParent())) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** The newest blob file holding an attachment of {@code size} plaintext bytes. */
    public static Path blobFile(TestServer server, long size) throws IOException {
        long length = AttachmentFormat.blobLength(size);
        return all(server).stream()
                .filter(p -> !p.getFileName().toString().startsWith("parley.db"))
                .filter(p -> sizeOf(p) == length)
                .max(Comparator.comparing(ServerFiles::modified))
                .orElseThrow(() -> new AssertionError("no blob file of " + length + " bytes under " + server.databaseFile().getParent()));
    }

    /** The ids of the blobs whose upload has not completed, from the server's {@code blobs} table. */
    public static List<String> pendingBlobIds(TestServer server) throws java.sql.SQLException {
        try (var db = java.sql.DriverManager.getConnection("jdbc:sqlite:" + server.databaseFile());
             var rows = db.createStatement().executeQuery("SELECT id FROM blobs WHERE state = 'pending' ORDER BY created_at")) {
            var ids = new java.util.ArrayList<String>();
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
            return ids;
        }
    }

    /** Flips one bit of the byte at {@code offset} of {@code file}. */
    public static void flipByte(Path file, long offset) throws IOException {
        try (var access = new RandomAccessFile(file.toFile(), "rw")) {
            access.seek(offset);
            int b = access.read();
            access.seek(offset);
            access.write(b ^ 0x01);
        }
    }

    /** The server files in which {@code marker} occurs (read whole: test files are small enough). */
    public static List<Path> containing(TestServer server, String marker) throws IOException {
        byte[] needle = marker.getBytes(StandardCharsets.UTF_8);
        return all(server).stream().filter(p -> contains(p, needle)).toList();
    }

    private static boolean contains(Path file, byte[] needle) {
        try {
            String haystack = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            return haystack.contains(new String(needle, StandardCharsets.ISO_8859_1));
        } catch (IOException gone) {
            return false; // a WAL or temporary file removed while listing
        }
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException gone) {
            return -1;
        }
    }

    private static java.nio.file.attribute.FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException gone) {
            return java.nio.file.attribute.FileTime.fromMillis(0);
        }
    }
}
