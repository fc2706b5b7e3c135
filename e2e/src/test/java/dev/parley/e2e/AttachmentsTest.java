package dev.parley.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import dev.parley.e2e.support.AttachmentFiles;
import dev.parley.e2e.support.Browsers;
import dev.parley.e2e.support.BrowserTest;
import dev.parley.e2e.support.ParleyTab;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files between two browsers through a real server: an image shows inline from its thumbnail
 * and opens in full; a file download can be cancelled, then downloads byte for byte; a blob changed on the server is refused
 * with "The file was changed on the server; it was not saved." and nothing is saved; a file over
 * the server's limit is refused before anything is uploaded; and the server's files (blobs and
 * database) never contain the plaintext. Screenshots of an image message, a file message and a
 * refused download at desktop and phone width.
 */
class AttachmentsTest extends BrowserTest {

    static final String TAMPERED = "The file was changed on the server; it was not saved.";

    @TempDir
    Path dir;

    @AfterEach
    void noViolations() {
        assertNoViolations();
    }

    /** The outgoing or incoming message that carries the file {@code name}. */
    static Locator fileMessage(ParleyTab tab, String direction, String name) {
        return tab.messages().and(tab.page().locator("[data-direction=" + direction + "]"))
                .filter(new Locator.FilterOptions().setHas(tab.page().locator("[data-testid^=attachment-]")))
                .filter(new Locator.FilterOptions().setHasText(name));
    }

    /** Chooses {@code file} with the attach button's file input and waits until its message is stored. */
    static String sendFile(ParleyTab tab, Path file) {
        assertThat(tab.byTestId("attach-file")).isVisible();
        tab.byTestId("file-input").setInputFiles(file);
        Locator message = fileMessage(tab, "out", file.getFileName().toString());
        assertThat(message).hasAttribute("data-status", java.util.regex.Pattern.compile("stored|delivered|read"),
                new com.microsoft.playwright.assertions.LocatorAssertions.HasAttributeOptions().setTimeout(120_000));
        return message.getAttribute("data-id");
    }

    /** Screenshots of {@code page} at desktop and phone width, as {@code desktop-<name>} and {@code phone-<name>}. */
    static void screenshots(ParleyTab tab, String name, Locator subject) {
        Page page = tab.page();
        subject.scrollIntoViewIfNeeded();
        tab.screenshot("desktop-" + name);
        page.setViewportSize(Browsers.PHONE_WIDTH, Browsers.PHONE_HEIGHT);
        subject.scrollIntoViewIfNeeded();
        tab.screenshot("phone-" + name);
        page.setViewportSize(Browsers.DESKTOP_WIDTH, Browsers.DESKTOP_HEIGHT);
    }

    @Test
    void anImageShowsInlineFromItsThumbnailAndOpensInFull() {
        Chat chat = chat("img_alice", "img_bob");
        Path image = AttachmentFiles.png(dir, "harbour.png", 1600, 1000);
        String id = sendFile(chat.first(), image);

        ParleyTab bob = chat.second();
        Locator thumbnail = bob.byTestId("thumbnail-" + id);
        assertThat(thumbnail).isVisible();
        assertThat(thumbnail.locator("img")).hasJSProperty("complete", true);
        Object natural = thumbnail.locator("img").evaluate("img => [img.naturalWidth, img.naturalHeight]");
        assertEquals(List.of(320, 200), natural, "the thumbnail: longest side 320 px, same shape");
        assertThat(chat.first().byTestId("thumbnail-" + id)).isVisible();
        screenshots(bob, "image-message", thumbnail);

        thumbnail.click();
        Locator full = bob.byTestId("full-image");
        assertThat(full).isVisible(new com.microsoft.playwright.assertions.LocatorAssertions.IsVisibleOptions().setTimeout(60_000));
        assertThat(full).hasJSProperty("complete", true);
        assertEquals(List.of(1600, 1000), full.evaluate("img => [img.naturalWidth, img.naturalHeight]"), "the full image");
        assertTrue(String.valueOf(full.getAttribute("src")).startsWith("blob:"), "shown from a blob: URL");
        bob.screenshot("desktop-image-open");
        bob.byTestId("dialog-close").click();
        assertThat(bob.byTestId("image-viewer")).hasCount(0);
    }

    @Test
    void aFileDownloadsWholeAndAChangedBlobIsRefusedWithoutSaving() throws IOException {
        String marker = "PARLEY-PLAINTEXT-MARKER-" + UUID.randomUUID();
        Chat chat = chat("file_alice", "file_bob");
        ParleyTab alice = chat.first();
        ParleyTab bob = chat.second();
        AttachmentFiles.BlobFrames blobs = AttachmentFiles.recordBlobIds(alice, "file_bob");

        Path report = AttachmentFiles.markedFile(dir, "quarterly report.txt", 700_001, marker);
        String id = sendFile(alice, report);
        Locator card = bob.byTestId("attachment-" + id);
        assertThat(card).containsText("quarterly report.txt");
        screenshots(bob, "file-message", card);

        // A download held on its way can be cancelled: nothing is saved, the card is as before.
        List<Route> held = new CopyOnWriteArrayList<>();
        bob.page().route("**/v1/blobs/**", held::add);
        bob.byTestId("download-" + id).click();
        assertThat(bob.byTestId("download-progress-" + id)).isVisible();
        assertThat(card).hasAttribute("data-state", "downloading");
        bob.byTestId("download-cancel-" + id).click();
        assertThat(bob.byTestId("download-progress-" + id)).isHidden();
        assertThat(card).hasAttribute("data-state", "idle");
        bob.page().unroute("**/v1/blobs/**");
        held.forEach(route -> {
            try {
                route.abort();
            } catch (RuntimeException alreadyGone) {
                // the page cancelled it
            }
        });

        Download download = bob.page().waitForDownload(() -> bob.byTestId("download-" + id).click());
        assertEquals("quarterly report.txt", download.suggestedFilename());
        Path saved = dir.resolve("saved-report.txt");
        download.saveAs(saved);
        assertEquals(AttachmentFiles.sha256(report), AttachmentFiles.sha256(saved), "byte for byte");
        assertThat(card).hasAttribute("data-state", "verified");

        // The server holds ciphertext only: no file it wrote (blobs, database, log) has the marker.
        assertEquals(1, blobs.ids().size(), "one blob reserved");
        Path serverDir = server().database().getParent();
        List<Path> written = AttachmentFiles.filesUnder(serverDir);
        long reportBlob = AttachmentFiles.blobLength(Files.size(report));
        List<Path> blobFiles = written.stream().filter(p -> sizeOf(p) == reportBlob).toList();
        assertEquals(1, blobFiles.size(), "the blob's file among " + written);
        for (Path file : written) {
            assertFalse(AttachmentFiles.contains(file, marker), file.getFileName() + " contains the plaintext");
        }

        // The server (or anyone with its disk) changes one byte: the browser refuses the file.
        flipByte(blobFiles.get(0), reportBlob / 2);
        List<Download> downloads = Collections.synchronizedList(new ArrayList<>());
        bob.page().onDownload(downloads::add);
        bob.byTestId("download-" + id).click();
        Locator error = bob.byTestId("attachment-error-" + id);
        assertThat(error).hasText(TAMPERED);
        assertThat(card).hasAttribute("data-state", "failed");
        assertEquals(List.of(), downloads, "nothing was saved");
        screenshots(bob, "download-refused", card);

        // The image viewer refuses it the same way.
        Path image = AttachmentFiles.png(dir, "changed.png", 900, 600);
        String imageId = sendFile(alice, image);
        List<Path> now = AttachmentFiles.filesUnder(serverDir);
        Path imageBlob = now.stream().filter(p -> sizeOf(p) == AttachmentFiles.blobLength(sizeOf(image))).findFirst().orElseThrow();
        flipByte(imageBlob, 100);
        bob.byTestId("thumbnail-" + imageId).click();
        assertThat(bob.byTestId("image-error")).hasText(TAMPERED);
        assertThat(bob.byTestId("full-image")).hasCount(0);
        assertEquals(List.of(), downloads, "nothing was saved");
    }

    @Test
    void aFileOverTheLimitIsRefusedBeforeAnythingIsUploaded() throws IOException {
        Chat chat = chat("big_alice", "big_bob");
        ParleyTab alice = chat.first();
        AttachmentFiles.BlobFrames blobs = AttachmentFiles.recordBlobIds(alice, "big_bob");
        Path big = dir.resolve("too big.bin");
        try (var file = new RandomAccessFile(big.toFile(), "rw")) {
            file.setLength(100L * 1024 * 1024 + 1);
        }
        alice.byTestId("file-input").setInputFiles(big);
        assertThat(alice.byTestId("upload-error")).containsText("this server accepts files up to 100 MiB");
        assertThat(alice.byTestId("upload-progress")).isHidden();
        assertEquals(0, blobs.requests().get(), "no blob_upload was sent");
        assertTrue(blobs.ids().isEmpty(), "no blob was reserved");
        assertThat(alice.page().locator("[data-testid^=attachment-]")).hasCount(0);
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    private static void flipByte(Path file, long position) throws IOException {
        try (var raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(position);
            int b = raf.read();
            raf.seek(position);
            raf.write(b ^ 0x01);
        }
    }
}
