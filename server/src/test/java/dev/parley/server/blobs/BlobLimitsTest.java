package dev.parley.server.blobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.config.BlobLimits;
import dev.parley.server.config.StorageLimits;
import dev.parley.server.storage.Engine;
import dev.parley.server.testing.Eventually;
import dev.parley.server.testing.TestClient;
import dev.parley.server.testing.TestServer;
import dev.parley.wire.WireLimits;
import dev.parley.wire.frames.BlobFrames.BlobUpload;
import dev.parley.wire.frames.SessionFrames.GetServerLimits;
import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What {@code blob_upload} refuses (blob_too_large, quota_exceeded, rate_limited) and how long
 * blobs live: a complete blob is deleted, bytes and record, once its time is up; on both engines
 * with their blob stores (the disk watermark only where the store can tell its free space).
 */
class BlobLimitsTest {

    private static JsonNode ask(TestClient client, long size) {
        return client.request(new BlobUpload(TestClient.nextId(), size));
    }

    private static void assertRefused(JsonNode answer, String code) {
        assertEquals("error", answer.path("type").asText(), answer::toString);
        assertEquals(code, answer.path("code").asText(), answer::toString);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void blobUploadRefusesTooLargeOverQuotaAndTooOften(Engine engine) {
        long maxAttachment = 1000;
        long maxBlob = WireLimits.attachmentBlobLength(maxAttachment); // 1016
        var blobs = BlobLimits.defaults().withMaxAttachmentBytes(maxAttachment).withQuotaBytes(3000).withUploadsPerHour(4);
        try (var blobServer = BlobServer.start(engine, TestServer.testStorage(), blobs);
             var ann = TestClient.registered(blobServer.server(), "bq_ann");
             var ben = TestClient.registered(blobServer.server(), "bq_ben")) {
            JsonNode limits = ann.request(new GetServerLimits(TestClient.nextId()));
            assertEquals(maxAttachment, limits.path("maxAttachmentBytes").asLong(), limits::toString);

            assertRefused(ask(ann, maxBlob + 1), "blob_too_large");
            assertEquals("blob_upload_ready", ask(ann, maxBlob).path("type").asText());
            assertEquals("blob_upload_ready", ask(ann, maxBlob).path("type").asText());
            assertRefused(ask(ann, maxBlob), "quota_exceeded"); // 3 * 1016 > 3000, pending ones count
            assertEquals("blob_upload_ready", ask(ann, 3000 - 2 * maxBlob).path("type").asText(),
                    "the quota's last bytes, and the refused uploads did not use up the rate");

            for (int i = 0; i < 4; i++) {
                assertEquals("blob_upload_ready", ask(ben, 10).path("type").asText(), "upload " + i);
            }
            assertRefused(ask(ben, 10), "rate_limited");
        }
    }

    /** An upload that would leave the blob folder's disk under the watermark is refused before anything is stored. */
    @Test
    void blobUploadRefusesWhatTheDiskCannotHoldAboveTheWatermark() {
        var storage = TestServer.testStorage().withDiskWatermarkBytes(StorageLimits.MIB);
        var blobs = BlobLimits.defaults().withMaxAttachmentBytes(1L << 50).withQuotaBytes(1L << 52);
        try (var server = TestServer.start(storage, blobs); var dan = TestClient.registered(server, "bs_dan")) {
            long usable = server.databaseFile().resolveSibling("blobs").toFile().getUsableSpace();
            assertRefused(ask(dan, usable), "storage_full");
            assertEquals("blob_upload_ready", ask(dan, 10).path("type").asText(), "a small one still fits");
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aCompleteBlobIsDeletedWithItsBytesOnceItsTimeIsUp(Engine engine) throws Exception {
        var blobs = BlobLimits.defaults().withTtl(Duration.ofSeconds(2)).withQuotaBytes(5000);
        try (var server = BlobServer.start(engine, TestServer.testStorage(), blobs);
             var cat = TestClient.registered(server.server(), "bt_cat")) {
            var http = new BlobHttp(server.port());
            byte[] bytes = new byte[4096];
            new SecureRandom().nextBytes(bytes);
            var upload = BlobHttp.start(cat, bytes.length);
            assertEquals("quota_exceeded", ask(cat, 5000 - bytes.length + 1).path("code").asText(), "it counts towards the quota");
            JsonNode done = BlobHttp.json(http.put(upload, 0, bytes));
            assertTrue(done.path("complete").asBoolean(), done::toString);
            assertTrue(done.path("expiresAt").asLong() > System.currentTimeMillis(), "the answer says until when it is kept");
            assertArrayEquals(bytes, http.get(upload.blob()).body());
            assertEquals(bytes.length, server.heldBytes(upload.blob()));

            Eventually.await(() -> http.get(upload.blob()).statusCode() == 404, "gone once its time is up");
            Eventually.await(() -> !server.holds(upload.blob()), "its bytes are deleted");
            assertEquals(404, http.put(upload, 0, bytes).statusCode(), "an expired blob takes nothing");
            Eventually.await(() -> ask(cat, 5000).path("type").asText().equals("blob_upload_ready"),
                    "its record is deleted: the quota counts it no more");
            assertFalse(server.holds(upload.blob()));
        }
    }
}
