package dev.parley.server.blobs;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
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
 */
public final class BlobRoutes {

    private static final Logger log = LoggerFactory.getLogger(BlobRoutes.class);
    public static final String PATH = "/v1/blobs/{blob}";

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
        try {
            long length = ctx.req().getContentLengthLong();
            answer = transfers.put(ctx.pathParam("blob"), ctx.header("Authorization"), ctx.queryParam("offset"), length,
                    ctx.req().getInputStream());
        } catch (java.io.IOException | RuntimeException e) {
            log.error("a blob upload failed: {}", e.getClass().getSimpleName());
            answer = BlobAnswer.error(500, "internal_error", "the part was not stored; send it again");
        }
        ctx.status(answer.status()).json(answer.body());
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
