package dev.parley.client.attachments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client side of the blob HTTP API against a stand-in that answers as PROTOCOL.md §9 says
 * (offsets, 409 with the bytes received, completion), and can lose bytes on purpose: parts of
 * at most 8 MiB, resumption where the server is, cancellation, 404. The real server's answers
 * are exercised by the round-trip tests.
 */
class BlobHttpTest {

    private static final String BLOB = "AAAAAAAAAAAAAAAAAAAAAA";
    private static final String TOKEN = "t".repeat(43);

    private HttpServer stand;
    private final ByteArrayOutputStream stored = new ByteArrayOutputStream();
    private final List<Long> offsets = new ArrayList<>();
    private final List<Long> bodyLengths = new ArrayList<>();
    private volatile long declared;
    /** When positive: the part that makes the server keep only half of what it got (once). */
    private final AtomicInteger loseHalfOfPart = new AtomicInteger(-1);
    private volatile boolean complete;

    @BeforeEach
    void start() throws IOException {
        stand = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        stand.createContext("/v1/blobs/", this::handle);
        stand.start();
    }

    @AfterEach
    void stop() {
        stand.stop(0);
    }

    private synchronized void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestURI().getPath().equals("/v1/blobs/" + BLOB)) {
                answer(exchange, 404, "{\"error\":\"not_found\"}");
                return;
            }
            if (exchange.getRequestMethod().equals("GET")) {
                if (!complete) {
                    answer(exchange, 404, "{\"error\":\"not_found\"}");
                    return;
                }
                byte[] bytes = stored.toByteArray();
                exchange.sendResponseHeaders(200, bytes.length);
                exchange.getResponseBody().write(bytes);
                return;
            }
            if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                answer(exchange, 403, "{\"error\":\"forbidden\"}");
                return;
            }
            long offset = Long.parseLong(exchange.getRequestURI().getQuery().replace("offset=", ""));
            byte[] body = exchange.getRequestBody().readAllBytes();
            offsets.add(offset);
            bodyLengths.add((long) body.length);
            if (offset != stored.size()) {
                answer(exchange, 409, "{\"error\":\"offset_mismatch\",\"received\":" + stored.size() + "}");
                return;
            }
            int keep = offsets.size() == loseHalfOfPart.get() ? body.length / 2 : body.length;
            stored.write(body, 0, keep);
            complete = stored.size() == declared;
            answer(exchange, 200, "{\"received\":" + stored.size() + (complete ? ",\"complete\":true" : "") + "}");
        }
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private BlobHttp http() {
        return new BlobHttp(BlobHttp.newHttpClient(), "http://127.0.0.1:" + stand.getAddress().getPort() + "/");
    }

    private static byte[] bytes(int size) {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return data;
    }

    @Test
    void uploadsInPartsOfAtMost8MiBAndDownloadsTheSameBytes() throws Exception {
        byte[] blob = bytes(20 * 1024 * 1024 + 5);
        declared = blob.length;
        List<Long> progress = new ArrayList<>();
        AtomicInteger opens = new AtomicInteger();
        http().upload(BLOB, TOKEN, blob.length, () -> {
            opens.incrementAndGet();
            return new ByteArrayInputStream(blob);
        }, new Transfer((done, total) -> progress.add(done)));
        assertEquals(List.of(0L, 8L << 20, 16L << 20), offsets);
        assertTrue(bodyLengths.stream().allMatch(n -> n <= BlobHttp.PART_BYTES));
        assertEquals(List.of(8L << 20, 16L << 20, (long) blob.length), progress);
        assertEquals(1, opens.get(), "read once, front to back");
        try (InputStream in = http().download(BLOB, blob.length, Transfer.quiet())) {
            assertArrayEquals(blob, in.readAllBytes());
        }
    }

    @Test
    void resumesWhereTheServerSaysItIs() throws Exception {
        byte[] blob = bytes(17 * 1024 * 1024);
        declared = blob.length;
        loseHalfOfPart.set(2); // the server keeps half of the second part and says so
        AtomicInteger opens = new AtomicInteger();
        http().upload(BLOB, TOKEN, blob.length, () -> {
            opens.incrementAndGet();
            return new ByteArrayInputStream(blob);
        }, Transfer.quiet());
        assertArrayEquals(blob, stored.toByteArray());
        assertEquals(12L << 20, offsets.get(2), "the third part starts where the server was");
        assertEquals(2, opens.get(), "resuming behind what was read reopens the source");

        stored.reset();
        offsets.clear();
        complete = false;
        // a client that believes it is further than the server: answered 409 with the server's count
        stored.write(blob, 0, 1000);
        http().upload(BLOB, TOKEN, blob.length, () -> new ByteArrayInputStream(blob), Transfer.quiet());
        assertEquals(List.of(0L, 1000L), offsets.subList(0, 2));
        assertArrayEquals(blob, stored.toByteArray());
    }

    @Test
    void aCancelledUploadStopsAndLeavesTheBlobIncomplete() throws Exception {
        byte[] blob = bytes(24 * 1024 * 1024);
        declared = blob.length;
        Transfer[] transfer = new Transfer[1];
        transfer[0] = new Transfer((done, total) -> transfer[0].cancel()); // cancelled once the first part is confirmed
        var error = assertThrows(FileTransferException.class, () -> http().upload(BLOB, TOKEN, blob.length,
                () -> new ByteArrayInputStream(blob), transfer[0]));
        assertEquals(FileTransferException.CANCELLED, error.code());
        assertEquals(8L << 20, stored.size(), "the first part was taken, nothing after the cancel");
        var notFound = assertThrows(FileTransferException.class, () -> http().download(BLOB, blob.length, Transfer.quiet()));
        assertEquals(FileTransferException.NOT_FOUND, notFound.code());
    }

    @Test
    void aWrongTokenIsRefusedInWords() {
        declared = 10;
        var error = assertThrows(FileTransferException.class, () -> http().upload(BLOB, "x".repeat(43), 10,
                () -> new ByteArrayInputStream(new byte[10]), Transfer.quiet()));
        assertEquals(FileTransferException.HTTP, error.code());
        assertTrue(error.getMessage().contains("permission"), error.getMessage());
        assertTrue(!error.getMessage().contains(BLOB));
    }
}
