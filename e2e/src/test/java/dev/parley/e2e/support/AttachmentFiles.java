package dev.parley.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Files for the attachment tests and what the tests check on the server's side: files of a
 * given size whose plaintext repeats a marker, PNG images, SHA-256, the encrypted blob's length
 * (CRYPTO.md §12: {@code size + 16 n}), the files under the server's directory, and the blob ids
 * the page reserved (read from its {@code blob_upload_ready} frames).
 */
public final class AttachmentFiles {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHUNK_BYTES = 65_536;
    private static final int TAG_BYTES = 16;

    private AttachmentFiles() {
    }

    /** A file of exactly {@code size} bytes: {@code marker} repeated, with a line number now and then so chunks differ. */
    public static Path markedFile(Path dir, String name, long size, String marker) {
        Path file = dir.resolve(name);
        byte[] unit = (marker + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            long written = 0;
            long line = 0;
            while (written < size) {
                int filled = 0;
                while (filled < block.length) {
                    byte[] numbered = (line++ + " ").getBytes(StandardCharsets.UTF_8);
                    for (byte[] piece : List.of(numbered, unit)) {
                        int n = Math.min(piece.length, block.length - filled);
                        System.arraycopy(piece, 0, block, filled, n);
                        filled += n;
                    }
                }
                int n = (int) Math.min(block.length, size - written);
                out.write(block, 0, n);
                written += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** A PNG of {@code width} x {@code height} with a gradient and a few shapes. */
    public static Path png(Path dir, String name, int width, int height) {
        var image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(0x2f6df6), width, height, new Color(0xf6a32f)));
        g.fillRect(0, 0, width, height);
        g.setColor(new Color(0x12875a));
        g.fillOval(width / 5, height / 5, width / 3, height / 2);
        g.setColor(Color.WHITE);
        g.fillRect(width / 2, height / 3, width / 4, height / 4);
        g.dispose();
        Path file = dir.resolve(name);
        try {
            ImageIO.write(image, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The encrypted blob's length for a file of {@code size} bytes. */
    public static long blobLength(long size) {
        long chunks = Math.max(1, (size + CHUNK_BYTES - 1) / CHUNK_BYTES);
        return size + TAG_BYTES * chunks;
    }

    /** Every regular file under {@code root}, at any depth. */
    public static List<Path> filesUnder(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether {@code file} contains {@code marker} (as UTF-8 bytes), read a MiB at a time. */
    public static boolean contains(Path file, String marker) {
        byte[] needle = marker.getBytes(StandardCharsets.UTF_8);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] window = new byte[(1 << 20) + needle.length];
            int kept = 0;
            for (int n; (n = in.read(window, kept, window.length - kept)) > 0; ) {
                int end = kept + n;
                String text = new String(window, 0, end, StandardCharsets.ISO_8859_1);
                if (text.contains(new String(needle, StandardCharsets.ISO_8859_1))) {
                    return true;
                }
                kept = Math.min(needle.length - 1, end);
                System.arraycopy(window, end - kept, window, 0, kept);
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Records the blob ids {@code tab} reserves ({@code blob_upload_ready} frames), oldest first,
     * and the {@code blob_upload} frames it sends. A page's socket is open from its start, so the
     * tab is reloaded (it logs back in) and {@code peer}'s conversation opened again.
     */
    public static BlobFrames recordBlobIds(ParleyTab tab, String peer) {
        var frames = new BlobFrames(new ConcurrentLinkedQueue<>(), new AtomicInteger());
        tab.page().onWebSocket(ws -> {
            ws.onFrameSent(frame -> {
                if (frame.text() != null && frame.text().contains("\"blob_upload\"")) {
                    frames.requests().incrementAndGet();
                }
            });
            ws.onFrameReceived(frame -> {
                try {
                    JsonNode node = JSON.readTree(frame.text());
                    if ("blob_upload_ready".equals(node.path("type").asText())) {
                        frames.ids().add(node.path("blob").asText());
                    }
                } catch (IOException | RuntimeException notJson) {
                    // binary or other frames: not an answer to blob_upload
                }
            });
        });
        tab.reload();
        tab.awaitOnline();
        tab.openConversation(peer);
        return frames;
    }

    /** The blob ids a tab reserved and how many {@code blob_upload} frames it sent. */
    public record BlobFrames(Queue<String> ids, AtomicInteger requests) {
    }

    /** The HTTP status of {@code GET /v1/blobs/{blob}} on {@code server}, as any recipient would ask. */
    public static int fetchStatus(ServerProcess server, String blobId) {
        try {
            HttpResponse<Void> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(server.url("/v1/blobs/" + blobId))).build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
