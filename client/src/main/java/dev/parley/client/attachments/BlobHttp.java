package dev.parley.client.attachments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The blob HTTP API (PROTOCOL.md §9) at a server's HTTP origin: an upload in parts of at most
 * {@link #PART_BYTES} with {@code PUT /v1/blobs/{blob}?offset=N}, resumed where the server
 * says it is ({@code 409 offset_mismatch}, or a part whose connection broke), and a streamed
 * {@code GET}. Bodies stream from and to the caller: nothing here holds more than the JDK's
 * own buffers, never a part, never the file. Blob ids and tokens never appear in messages.
 */
public final class BlobHttp {

    /** The largest body the server takes in one PUT. */
    public static final int PART_BYTES = 8 * 1024 * 1024;
    /** Attempts of one part in a row that move nothing forward (broken connections, offset corrections). */
    private static final int MAX_STALLED_ATTEMPTS = 4;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Opens the blob's bytes from their beginning (called again when an upload resumes behind what was read). */
    @FunctionalInterface
    public interface Source {
        InputStream open() throws IOException;
    }

    private final HttpClient http;
    private final String origin;

    /** {@code origin}: the server's HTTP origin, {@code http(s)://host:port}, as in {@code ServerAddress.origin()}. */
    public BlobHttp(HttpClient http, String origin) {
        this.http = http;
        this.origin = origin.replaceAll("/+$", "");
    }

    public static HttpClient newHttpClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(20)).build();
    }

    /**
     * Uploads {@code length} bytes of {@code source} to {@code blob} with its upload token and
     * returns once the server answered the last part complete, after reading the source to its
     * end (it must end there: {@code length} otherwise).
     */
    public void upload(String blob, String token, long length, Source source, Transfer transfer)
            throws IOException, InterruptedException {
        long confirmed = 0;
        long position = 0;
        int stalled = 0;
        InputStream in = null;
        try {
            while (true) {
                transfer.check();
                if (in == null || position > confirmed) {
                    if (in != null) {
                        in.close();
                    }
                    in = source.open();
                    position = 0;
                }
                in.skipNBytes(confirmed - position);
                position = confirmed;
                long part = Math.min(PART_BYTES, length - confirmed);
                var body = new PartStream(in, part, transfer);
                HttpResponse<String> answer;
                try {
                    answer = http.send(put(blob, token, confirmed, body, part), HttpResponse.BodyHandlers.ofString());
                } catch (IOException broken) {
                    transfer.check();
                    position += body.read;
                    if (++stalled >= MAX_STALLED_ATTEMPTS) {
                        throw new FileTransferException(FileTransferException.HTTP, "the upload failed: " + broken.getMessage(), broken);
                    }
                    continue; // the next attempt learns from the server how much it holds (409)
                }
                position += body.read;
                JsonNode json = parse(answer.body());
                long before = confirmed;
                switch (answer.statusCode()) {
                    case 200 -> confirmed = json.path("received").asLong(-1);
                    case 409 -> {
                        if (!"offset_mismatch".equals(json.path("error").asText())) {
                            throw refusal(answer.statusCode(), json);
                        }
                        confirmed = json.path("received").asLong(-1);
                    }
                    default -> throw refusal(answer.statusCode(), json);
                }
                if (confirmed < 0 || confirmed > length) {
                    throw new FileTransferException(FileTransferException.HTTP, "the server answered an impossible upload offset");
                }
                transfer.report(confirmed, length);
                if (confirmed == length) { // a 409 too: the answer to our last part was lost, the blob is whole
                    if (!json.path("complete").asBoolean(false)) {
                        throw new FileTransferException(FileTransferException.HTTP, "the server took every byte but did not complete the blob");
                    }
                    in.skipNBytes(length - position); // read to its end: an encrypting source finishes its digest
                    if (in.read() != -1) {
                        throw new FileTransferException(FileTransferException.LENGTH, "the file grew while it was sent; send it again");
                    }
                    return;
                }
                stalled = confirmed > before ? 0 : stalled + 1;
                if (stalled >= MAX_STALLED_ATTEMPTS) {
                    throw new FileTransferException(FileTransferException.HTTP, "the upload makes no progress (the server stays at "
                            + confirmed + " bytes)");
                }
            }
        } finally {
            if (in != null) {
                in.close();
            }
        }
    }

    /**
     * Opens {@code blob} for reading: the body as it arrives, counting into {@code transfer}
     * (progress out of {@code length}, cancellation at each read). {@code not_found} when the
     * server has no complete blob of that id.
     */
    public InputStream download(String blob, long length, Transfer transfer) throws IOException, InterruptedException {
        transfer.check();
        HttpRequest request = HttpRequest.newBuilder(blobUri(blob, null)).GET().timeout(Duration.ofMinutes(30)).build();
        HttpResponse<InputStream> answer = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (answer.statusCode() != 200) {
            String text;
            try (InputStream body = answer.body()) {
                text = new String(body.readNBytes(4096), java.nio.charset.StandardCharsets.UTF_8);
            }
            throw refusal(answer.statusCode(), parse(text));
        }
        return new CountingStream(answer.body(), length, transfer);
    }

    /** {@code GET} status of a blob without reading it (200 when it is complete and downloadable, 404 when not). */
    public int status(String blob) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(blobUri(blob, null)).GET().build();
        HttpResponse<Void> answer = http.send(request, HttpResponse.BodyHandlers.discarding());
        return answer.statusCode();
    }

    private HttpRequest put(String blob, String token, long offset, InputStream body, long part) {
        return HttpRequest.newBuilder(blobUri(blob, offset))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/octet-stream")
                .timeout(Duration.ofMinutes(10))
                .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> body), part))
                .build();
    }

    private URI blobUri(String blob, Long offset) {
        if (!blob.matches("[A-Za-z0-9_-]{22}")) {
            throw new IllegalArgumentException("not a blob id");
        }
        return URI.create(origin + "/v1/blobs/" + blob + (offset == null ? "" : "?offset=" + offset));
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (IOException notJson) {
            return JSON.createObjectNode();
        }
    }

    private static FileTransferException refusal(int status, JsonNode json) {
        String error = json.path("error").asText("");
        return switch (status) {
            case 404 -> new FileTransferException(FileTransferException.NOT_FOUND,
                    "the file is not on the server (expired, deleted, or its upload never completed)");
            case 413 -> new FileTransferException(FileTransferException.TOO_LARGE, "the server refused the file as too large");
            case 403, 410 -> new FileTransferException(FileTransferException.HTTP,
                    "the server refused the upload's permission (" + (status == 410 ? "expired" : "invalid") + ")");
            default -> new FileTransferException(FileTransferException.HTTP, "the server answered " + status
                    + (error.isEmpty() ? "" : " (" + error + ")"));
        };
    }

    /** A body stream of {@code transfer}: every read first fails if the transfer was cancelled. */
    private abstract static class TransferStream extends java.io.FilterInputStream {
        final Transfer transfer;

        TransferStream(InputStream in, Transfer transfer) {
            super(in);
            this.transfer = transfer;
        }

        /** A read of the stream once {@link Transfer#check} passed. */
        abstract int readChecked(byte[] b, int off, int len) throws IOException;

        @Override
        public final int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public final int read(byte[] b, int off, int len) throws IOException {
            transfer.check();
            return readChecked(b, off, len);
        }
    }

    /**
     * At most {@code limit} bytes of {@code in}, not closing it (the next part reads on); fails
     * at the next read once cancelled. Only read and closed, by the HTTP client's body publisher.
     */
    private static final class PartStream extends TransferStream {
        private final long limit;
        long read;

        PartStream(InputStream in, long limit, Transfer transfer) {
            super(in, transfer);
            this.limit = limit;
        }

        @Override
        int readChecked(byte[] b, int off, int len) throws IOException {
            if (read >= limit) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, limit - read));
            if (n < 0) {
                throw new FileTransferException(FileTransferException.LENGTH, "the file became shorter while it was sent");
            }
            read += n;
            return n;
        }

        @Override
        public void close() {
            // the file stays open for the next part
        }
    }

    /** A download body that reports progress and stops once cancelled. */
    private static final class CountingStream extends TransferStream {
        private final long total;
        private long done;

        CountingStream(InputStream in, long total, Transfer transfer) {
            super(in, transfer);
            this.total = total;
        }

        @Override
        int readChecked(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                done += n;
                transfer.report(done, total);
            }
            return n;
        }
    }
}
