package dev.parley.server.blobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.config.BlobLimits;
import dev.parley.server.storage.Engine;
import dev.parley.server.testing.TestClient;
import dev.parley.server.testing.TestServer;
import dev.parley.wire.WireJson;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Two server nodes on one PostgreSQL database, blobs in the database: a blob uploaded in parts
 * through both nodes is downloaded whole through either, and a part sent to one node while
 * another part at the same offset is in flight on the other gets the {@code 409} of PROTOCOL.md
 * §9 once the other has landed, its bytes never mixed in.
 */
class BlobNodesTest {

    private static byte[] random(int length) {
        byte[] bytes = new byte[length];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    @Test
    void partsThroughTwoNodesMakeOneBlobThatEitherServes() {
        try (var nodes = BlobServer.start(Engine.POSTGRESQL, TestServer.testStorage(), BlobLimits.defaults());
             var alice = TestClient.registered(nodes.server(), "bn_alice")) {
            TestServer second = nodes.anotherNode();
            var httpA = new BlobHttp(nodes.port());
            var httpB = new BlobHttp(second.port());
            byte[] blob = random(1_500_000);
            var upload = BlobHttp.start(alice, blob.length);
            assertEquals(200, httpA.put(upload, 0, Arrays.copyOfRange(blob, 0, 1_000_000)).statusCode());
            var wrong = httpB.put(upload, 0, Arrays.copyOfRange(blob, 0, 10));
            assertEquals(409, wrong.statusCode(), "the other node knows the bytes received");
            assertEquals(1_000_000, BlobHttp.json(wrong).path("received").asLong());
            var last = httpB.put(upload, 1_000_000, Arrays.copyOfRange(blob, 1_000_000, blob.length));
            assertTrue(BlobHttp.json(last).path("complete").asBoolean(), last::body);
            assertArrayEquals(blob, httpA.get(upload.blob()).body(), "through node A");
            assertArrayEquals(blob, httpB.get(upload.blob()).body(), "through node B");
        }
    }

    @Test
    void aPartInFlightOnOneNodeLosesToThePartThatLandedOnTheOther() throws Exception {
        try (var nodes = BlobServer.start(Engine.POSTGRESQL, TestServer.testStorage(), BlobLimits.defaults());
             var bob = TestClient.registered(nodes.server(), "bn_bob")) {
            TestServer second = nodes.anotherNode();
            byte[] slow = random(2000);
            byte[] fast = random(1500);
            var upload = BlobHttp.start(bob, 4000);
            try (var socket = new Socket("127.0.0.1", nodes.port())) {
                OutputStream out = socket.getOutputStream();
                out.write(("PUT /v1/blobs/" + upload.blob() + "?offset=0 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Authorization: Bearer " + upload.token() + "\r\nContent-Length: " + slow.length
                        + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(slow, 0, 1000);
                out.flush();

                var landed = new BlobHttp(second.port()).put(upload, 0, fast);
                assertEquals(200, landed.statusCode(), landed::body);
                assertEquals(fast.length, BlobHttp.json(landed).path("received").asLong());

                out.write(slow, 1000, 1000);
                out.flush();
                String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertTrue(answer.startsWith("HTTP/1.1 409"), answer);
                JsonNode body = WireJson.MAPPER.readTree(answer.substring(answer.indexOf('{'), answer.lastIndexOf('}') + 1));
                assertEquals("offset_mismatch", body.path("error").asText());
                assertEquals(fast.length, body.path("received").asLong(), "resume from what the other node stored");
            }
            var http = new BlobHttp(nodes.port());
            byte[] rest = random(4000 - fast.length);
            assertTrue(BlobHttp.json(http.put(upload, fast.length, rest)).path("complete").asBoolean());
            byte[] whole = new byte[4000];
            System.arraycopy(fast, 0, whole, 0, fast.length);
            System.arraycopy(rest, 0, whole, fast.length, rest.length);
            assertArrayEquals(whole, http.get(upload.blob()).body(), "nothing of the losing part");
        }
    }
}
