package dev.parley.server.blobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestClient;
import dev.parley.wire.WireJson;
import dev.parley.wire.frames.BlobFrames.BlobUpload;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.Supplier;

/** The blob HTTP API of one server, over java.net.http, for tests. */
final class BlobHttp {

    /** A started upload: what {@code blob_upload_ready} gave. */
    record Upload(String blob, String token, long expiresAt) {
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final String base;

    BlobHttp(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /** Asks for an upload of {@code size} bytes; fails the test unless the answer is {@code blob_upload_ready}. */
    static Upload start(TestClient client, long size) {
        JsonNode ready = client.request(new BlobUpload(TestClient.nextId(), size));
        assertEquals("blob_upload_ready", ready.path("type").asText(), ready::toString);
        return new Upload(ready.path("blob").asText(), ready.path("token").asText(), ready.path("expiresAt").asLong());
    }

    HttpResponse<String> put(Upload upload, long offset, byte[] part) {
        return put(upload.blob(), upload.token(), offset, HttpRequest.BodyPublishers.ofByteArray(part));
    }

    /** A part sent chunked, without a Content-Length. */
    HttpResponse<String> putChunked(Upload upload, long offset, Supplier<InputStream> part) {
        return put(upload.blob(), upload.token(), offset, HttpRequest.BodyPublishers.ofInputStream(part));
    }

    HttpResponse<String> put(String blob, String token, long offset, HttpRequest.BodyPublisher body) {
        var request = HttpRequest.newBuilder(URI.create(base + "/v1/blobs/" + blob + "?offset=" + offset)).PUT(body);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<byte[]> get(String blob) {
        return send(HttpRequest.newBuilder(URI.create(base + "/v1/blobs/" + blob)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<InputStream> getStream(String blob) {
        return send(HttpRequest.newBuilder(URI.create(base + "/v1/blobs/" + blob)).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return WireJson.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(response.statusCode() + " " + response.body(), e);
        }
    }

    private static <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return HTTP.send(request, handler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
