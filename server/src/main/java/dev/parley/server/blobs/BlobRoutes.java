package dev.parley.server.blobs;

import io.javalin.config.JavalinConfig;
import dev.parley.wire.WireJson;
import dev.parley.wire.WireLimits;
import io.javalin.http.Context;
import jakarta.servlet.ServletInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code PUT} and {@code GET /v1/blobs/{blob}} on the public port (docs/PROTOCOL.md §9). The
 * request body is handed to {@link BlobTransfers} as the servlet's stream (never read whole, so
 * Javalin's {@code maxRequestSize}, which bounds bodies read into memory, does not apply), and a
 * download is streamed from the blob store with its {@code Content-Length}. Every answer carries
 * {@code Cache-Control: no-store} and, like every answer of the server, the security headers.
 * No path (it holds the blob id, a capability) is ever logged here.
 *
 * <p><b>A refused part whose body was not read</b> (a wrong token or offset, a busy blob, a
 * declared length over the limits, a chunked body found too long) is answered at once, with
 * {@code Connection: close}, and the rest of its body is then read and dropped, up to
 * {@value #DRAIN_BYTES} bytes, before the connection is closed. Closing a connection whose
 * unread bytes are still arriving makes the operating system reset it, and a reset discards the
 * answer the client has not read yet: the client would see a dropped connection instead of the
 * refusal. A client that reads the answer while it sends stops at once; one that sends its whole
 * body first gets the answer after it. Only a body over that bound can still end in a reset.
 */
public final class BlobRoutes {

    private static final Logger log = LoggerFactory.getLogger(BlobRoutes.class);
    public static final String PATH = "/v1/blobs/{blob}";
    /** What is read and dropped of a refused part's body: more than any part the limit allows. */
    static final long DRAIN_BYTES = 2L * WireLimits.MAX_BLOB_PART_BYTES;

    private final BlobTransfers transfers;

    public BlobRoutes(BlobTransfers transfers) {
        this.transfers = transfers;
    }

    public void register(JavalinConfig javalin) {
        javalin.routes.put(PATH, this::put);
        javalin.routes.get(PATH, this::get);
    }

    private void put(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        BlobAnswer answer;
        ServletInputStream body = null;
        try {
            long length = ctx.req().getContentLengthLong();
            body = ctx.req().getInputStream();
            answer = transfers.put(ctx.pathParam("blob"), ctx.header("Authorization"), ctx.queryParam("offset"), length, body);
        } catch (java.io.IOException | RuntimeException e) {
            log.error("a blob upload failed: {}", e.getClass().getSimpleName());
            answer = BlobAnswer.error(500, "internal_error", "the part was not stored; send it again");
        }
        if (body == null || body.isFinished()) {
            ctx.status(answer.status()).json(answer.body());
            return;
        }
        answerThenDrain(ctx, answer, body);
    }

    /** Sends {@code answer} now, then reads and drops what is left of {@code body} (see the class comment). */
    private static void answerThenDrain(Context ctx, BlobAnswer answer, InputStream body) {
        var response = ctx.res();
        try {
            byte[] json = WireJson.MAPPER.writeValueAsBytes(answer.body());
            response.setStatus(answer.status());
            response.setHeader("Connection", "close");
            response.setContentType("application/json");
            response.setContentLength(json.length);
            OutputStream out = response.getOutputStream();
            out.write(json);
            response.flushBuffer();
            byte[] sink = new byte[PartCopy.BUFFER_BYTES];
            long dropped = 0;
            int n;
            while (dropped < DRAIN_BYTES && (n = body.read(sink, 0, (int) Math.min(sink.length, DRAIN_BYTES - dropped))) >= 0) {
                dropped += n;
            }
        } catch (java.io.IOException e) {
            // The client went away: nothing is left to answer or to drop.
            log.debug("a refused blob part ended early: {}", e.getClass().getSimpleName());
        }
    }

    private void get(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        var download = transfers.download(ctx.pathParam("blob"));
        if (download.isEmpty()) {
            ctx.status(404).json(BlobAnswer.NOT_FOUND.body());
            return;
        }
        try (InputStream bytes = download.get().bytes()) {
            var response = ctx.res();
            response.setStatus(200);
            response.setContentType("application/octet-stream");
            response.setContentLengthLong(download.get().size());
            try (OutputStream out = response.getOutputStream()) {
                bytes.transferTo(out);
            }
        } catch (java.io.IOException e) {
            // The client went away, or the blob was deleted mid-download: the answer is cut short.
            log.debug("a blob download ended early: {}", e.getClass().getSimpleName());
        }
    }
}
