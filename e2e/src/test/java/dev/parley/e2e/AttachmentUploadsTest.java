package dev.parley.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.assertions.LocatorAssertions;
import dev.parley.e2e.support.AttachmentFiles;
import dev.parley.e2e.support.Browsers;
import dev.parley.e2e.support.BrowserTest;
import dev.parley.e2e.support.ParleyTab;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploads from the browser through a real server: one cut off halfway (cancelled, or the page
 * closed) is never sent as a message and leaves no blob the recipient can fetch (404); a part
 * whose answer is lost is sent again and resumed where the server says it is (409), and the
 * file arrives byte for byte; and a
 * 100 MiB file goes out with the tab's memory bounded far below the file's size (the file is
 * read, encrypted and sent a part at a time): JSHeapUsedSize, and the heap with the array
 * buffers the page still holds after a collection. Screenshots of the composer with an upload in
 * progress at desktop and phone width.
 */
class AttachmentUploadsTest extends BrowserTest {

    private static final long MIB = 1024 * 1024;
    /** [share of the upload sent (-1 when none is shown), state of the outgoing file message, upload error text]. */
    private static final String UPLOAD_STATE = """
            () => {
              const bar = document.querySelector('[data-testid=upload-progress]');
              const shown = bar !== null && bar.offsetParent !== null;
              const card = document.querySelector('[data-testid=message-list] [data-direction=out] [data-testid^=attachment-]');
              const error = document.querySelector('[data-testid=upload-error]');
              return [shown ? bar.value / bar.max : -1, card ? card.closest('[data-testid=message]').dataset.status : '',
                error && !error.hidden ? error.textContent : ''];
            }""";

    @TempDir
    Path dir;

    @AfterEach
    void noViolations() {
        assertNoViolations();
    }

    /**
     * Lets the first part of every upload through and holds the later ones (they never reach the
     * server), so that an upload is reliably halfway when the test cuts it off.
     */
    private static List<Route> holdLaterParts(ParleyTab tab) {
        List<Route> held = new CopyOnWriteArrayList<>();
        tab.page().route(Pattern.compile(".*/v1/blobs/.*offset=(?!0$)\\d+$"), held::add);
        return held;
    }

    /** Waits until the server has the first part (the progress bar moved) and the rest is held. */
    private static void awaitFirstPart(ParleyTab tab) {
        tab.page().waitForFunction("() => document.querySelector('[data-testid=upload-progress]')?.value > 0");
        assertThat(tab.page().locator(".upload-amount")).containsText(" of ");
    }

    private static void releaseHeld(List<Route> held) {
        for (Route route : held) {
            try {
                route.abort();
            } catch (RuntimeException alreadyGone) {
                // the page cancelled or closed it
            }
        }
    }

    @Test
    void aCancelledUploadIsNotSentAndItsBlobCannotBeFetched() {
        Chat chat = chat("cut_alice", "cut_bob");
        ParleyTab alice = chat.first();
        AttachmentFiles.BlobFrames blobs = AttachmentFiles.recordBlobIds(alice, "cut_bob");
        List<Route> held = holdLaterParts(alice);
        Path file = AttachmentFiles.markedFile(dir, "holiday video.mp4", 40 * MIB, "cut off " + dir);

        alice.byTestId("file-input").setInputFiles(file);
        Locator progress = alice.byTestId("upload-progress");
        assertThat(progress).isVisible();
        awaitFirstPart(alice);
        assertThat(alice.byTestId("upload-cancel")).isVisible();
        alice.screenshot("desktop-upload-in-progress");
        alice.page().setViewportSize(Browsers.PHONE_WIDTH, Browsers.PHONE_HEIGHT);
        alice.screenshot("phone-upload-in-progress");
        alice.page().setViewportSize(Browsers.DESKTOP_WIDTH, Browsers.DESKTOP_HEIGHT);

        alice.byTestId("upload-cancel").click();
        assertThat(progress).isHidden();
        releaseHeld(held);
        assertEquals(1, blobs.ids().size(), "one blob reserved");
        assertEquals(404, AttachmentFiles.fetchStatus(server(), blobs.ids().peek()), "the part uploaded cannot be fetched");

        // Nothing was sent: a text sent after it is the only message on both sides.
        alice.send("after the cancelled file");
        chat.second().incoming("after the cancelled file").waitFor();
        assertThat(chat.second().messages()).hasCount(1);
        assertThat(alice.messages()).hasCount(1);
    }

    @Test
    void anUploadWhosePageClosesHalfwayLeavesNothingToFetch() {
        ParleyTab bob = registered("gone_bob");
        BrowserContext context = context(false);
        ParleyTab alice = tab(context);
        alice.register("gone_alice");
        alice.openConversation("gone_bob");
        AttachmentFiles.BlobFrames blobs = AttachmentFiles.recordBlobIds(alice, "gone_bob");
        holdLaterParts(alice);
        Path file = AttachmentFiles.markedFile(dir, "archive.zip", 30 * MIB, "closed " + dir);
        alice.byTestId("file-input").setInputFiles(file);
        awaitFirstPart(alice);
        alice.page().close();
        try {
            context.close();
        } catch (com.microsoft.playwright.PlaywrightException closedWithItsPage) {
            // Closing can race the held upload's route as the page goes: the context is closed either way.
        }
        forget(context, alice);

        assertEquals(1, blobs.ids().size(), "one blob reserved");
        assertEquals(404, AttachmentFiles.fetchStatus(server(), blobs.ids().peek()), "the part uploaded cannot be fetched");
        bob.openConversation("gone_alice");
        assertThat(bob.messages()).hasCount(0);
    }

    @Test
    void aPartWhoseAnswerIsLostIsResumedWhereTheServerIs() {
        Chat chat = chat("resume_alice", "resume_bob");
        ParleyTab alice = chat.first();
        // The first part reaches the server, but its answer is lost: the page sees a network
        // error, sends the part again, is told 409 and where the server is, and goes on from there.
        AtomicBoolean lost = new AtomicBoolean();
        alice.page().route(Pattern.compile(".*/v1/blobs/.*offset=0$"), route -> {
            if ("PUT".equals(route.request().method()) && lost.compareAndSet(false, true)) {
                APIResponse stored = route.fetch();
                assertEquals(200, stored.status(), "the server took the first part");
                route.abort();
            } else {
                route.resume();
            }
        });
        List<Integer> statuses = new CopyOnWriteArrayList<>();
        alice.page().onResponse(response -> {
            if (response.url().contains("/v1/blobs/") && "PUT".equals(response.request().method())) {
                statuses.add(response.status());
            }
        });
        Path file = AttachmentFiles.markedFile(dir, "resumed.bin", 10 * MIB + 12_345, "resumed " + dir);
        alice.byTestId("file-input").setInputFiles(file);
        Locator sent = AttachmentsTest.fileMessage(alice, "out", "resumed.bin");
        assertThat(sent).hasAttribute("data-status", Pattern.compile("stored|delivered|read"),
                new LocatorAssertions.HasAttributeOptions().setTimeout(120_000));
        assertTrue(lost.get(), "the first answer was lost");
        assertTrue(statuses.contains(409), "the server said where it is: " + statuses);

        String id = sent.getAttribute("data-id");
        ParleyTab bob = chat.second();
        Download download = bob.page().waitForDownload(() -> bob.byTestId("download-" + id).click());
        Path saved = dir.resolve("resumed-saved.bin");
        download.saveAs(saved);
        assertEquals(AttachmentFiles.sha256(file), AttachmentFiles.sha256(saved), "byte for byte after the resume");
    }

    @Test
    void aHundredMebibyteFileIsSentWithTheHeapBounded() {
        Chat chat = chat("heap_alice", "heap_bob");
        ParleyTab alice = chat.first();
        Path file = AttachmentFiles.markedFile(dir, "hundred.bin", 100 * MIB, "heap " + dir);
        CDPSession cdp = alice.page().context().newCDPSession(alice.page());
        cdp.send("Performance.enable");
        cdp.send("HeapProfiler.collectGarbage");
        Memory start = memory(cdp);

        alice.byTestId("file-input").setInputFiles(file);
        // Sampled as fast as the DevTools protocol answers, from the moment the file is chosen
        // until the message is stored; the page reports how far the upload is at each sample.
        Memory most = start;
        int samples = 0;
        double firstSampledProgress = -1;
        int midUpload = 0;
        long deadline = System.nanoTime() + 300_000_000_000L;
        for (;;) {
            assertTrue(System.nanoTime() < deadline, "the upload finished within 5 minutes");
            most = most.max(memory(cdp));
            samples++;
            Object state = alice.page().evaluate(UPLOAD_STATE);
            List<?> fields = (List<?>) state;
            double progress = ((Number) fields.get(0)).doubleValue();
            if (firstSampledProgress < 0 && progress >= 0) {
                firstSampledProgress = progress;
            }
            if (progress > 0 && progress < 1) {
                midUpload++;
            }
            assertEquals("", fields.get(2), "no upload error");
            if (Pattern.matches("stored|delivered|read", String.valueOf(fields.get(1)))) {
                break;
            }
        }
        System.out.printf("a 100 MiB upload: JSHeapUsedSize %.1f -> highest %.1f MiB; live with array buffers %.1f -> %.1f MiB; %d samples (%d mid-upload), first at %.2f%n",
                start.jsHeap / (double) MIB, most.jsHeap / (double) MIB, start.withBuffers() / (double) MIB,
                most.withBuffers() / (double) MIB, samples, midUpload, firstSampledProgress);
        assertTrue(firstSampledProgress >= 0 && firstSampledProgress < 0.5,
                "sampling began before half the file was sent (" + firstSampledProgress + ")");
        assertTrue(midUpload >= 3, "sampled through the upload (" + midUpload + " of " + samples + " samples with part of the file sent)");
        assertTrue(most.jsHeap - start.jsHeap < 40 * MIB, "JSHeapUsedSize grew " + (most.jsHeap - start.jsHeap) / MIB + " MiB");
        assertTrue(most.withBuffers() - start.withBuffers() < 40 * MIB,
                "the live heap with array buffers grew " + (most.withBuffers() - start.withBuffers()) / MIB + " MiB");
        Locator sent = AttachmentsTest.fileMessage(alice, "out", "hundred.bin");
        String id = sent.getAttribute("data-id");
        assertThat(chat.second().byTestId("attachment-" + id)).containsText("hundred.bin",
                new LocatorAssertions.ContainsTextOptions().setTimeout(60_000));

        // The instrument sees what a page holds: 64 MiB kept in a buffer shows up in the measure.
        Memory before = memory(cdp);
        alice.page().evaluate("() => { window.heapProbe = new Uint8Array(64 * 1024 * 1024).fill(7); }");
        Memory holding = memory(cdp);
        alice.page().evaluate("() => { delete window.heapProbe; }");
        assertTrue(holding.withBuffers() - before.withBuffers() >= 60 * MIB,
                "a 64 MiB buffer is measured (" + (holding.withBuffers() - before.withBuffers()) / MIB + " MiB)");
    }

    /** JSHeapUsedSize (Performance.getMetrics), and the live JS heap with array buffers (Runtime.getHeapUsage after a GC). */
    private record Memory(long jsHeap, long withBuffers) {
        /** The highest of each measure (over samples). */
        Memory max(Memory other) {
            return new Memory(Math.max(jsHeap, other.jsHeap), Math.max(withBuffers, other.withBuffers));
        }
    }

    /**
     * One sample: JSHeapUsedSize as the page has it, then, after a full garbage collection, what
     * the page still holds: the JS heap and the array buffers' backing stores (file bytes live
     * there, outside the JS heap). Garbage waiting for the collector is not memory the upload
     * keeps, so the second measure is taken after one.
     */
    private static Memory memory(CDPSession cdp) {
        long jsHeap = heapUsed(cdp);
        cdp.send("HeapProfiler.collectGarbage");
        JsonObject usage = cdp.send("Runtime.getHeapUsage");
        assertTrue(usage.has("backingStorageSize"), "Runtime.getHeapUsage reports backing stores: " + usage);
        return new Memory(jsHeap, usage.get("usedSize").getAsLong() + usage.get("backingStorageSize").getAsLong());
    }

    /** JSHeapUsedSize of the page, from the DevTools protocol's Performance.getMetrics. */
    private static long heapUsed(CDPSession cdp) {
        JsonObject answer = cdp.send("Performance.getMetrics");
        JsonArray metrics = answer.getAsJsonArray("metrics");
        for (JsonElement metric : metrics) {
            JsonObject m = metric.getAsJsonObject();
            if ("JSHeapUsedSize".equals(m.get("name").getAsString())) {
                return m.get("value").getAsLong();
            }
        }
        throw new AssertionError("no JSHeapUsedSize in " + answer);
    }
}
