package dev.parley.client.interop;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import dev.parley.client.cli.Cli;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Files between the web client (headless Chromium, driven through its data-testids) and the
 * {@code parley} command through a real server, 25 MiB each way: the browser's upload is
 * downloaded, verified and saved by {@code parley receive --files DIR} byte for byte, and a file
 * sent with {@code parley send-file} is downloaded, verified and saved by the browser byte for
 * byte (the browser's download captured).
 */
class AttachmentInteropTest extends InteropTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SIZE = 25L * 1024 * 1024;

    private static Page browser(String username) {
        Page page = chromium.newPage();
        page.setDefaultTimeout(30_000);
        page.navigate(server.origin() + "/");
        page.getByTestId("register-username").fill(username);
        page.getByTestId("register-submit").click();
        assertThat(page.getByTestId("recovery-code")).isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(30_000));
        page.getByTestId("recovery-done").click();
        assertThat(page.getByTestId("account-name")).hasText(username);
        assertThat(page.getByTestId("connection-status")).hasAttribute("data-state", "online");
        return page;
    }

    /** The message of {@code direction} that carries a file called {@code name}. */
    private static Locator fileMessage(Page page, String direction, String name) {
        return page.getByTestId("message-list").getByTestId("message").and(page.locator("[data-direction=" + direction + "]"))
                .filter(new Locator.FilterOptions().setHas(page.locator("[data-testid^=attachment-]")))
                .filter(new Locator.FilterOptions().setHasText(name));
    }

    private static Path randomFile(Path file, long size, long seed) throws IOException {
        var random = new Random(seed);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < size; written += block.length) {
                random.nextBytes(block);
                out.write(block, 0, (int) Math.min(block.length, size - written));
            }
        }
        return file;
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void twentyFiveMebibytesEachWayBetweenTheBrowserAndTheTerminal() throws Exception {
        Cli cli = new Cli(server.origin());
        Path terminal = dir.resolve("terminal");
        assertEquals(0, cli.run(terminal, "register", "fx_term").code());
        Page page = browser("fx_web");
        page.getByTestId("contact-fx_term").click();

        // Browser -> terminal.
        Path fromBrowser = randomFile(dir.resolve("from browser.bin"), SIZE, 1);
        page.getByTestId("file-input").setInputFiles(fromBrowser);
        assertThat(fileMessage(page, "out", "from browser.bin")).hasAttribute("data-status", Pattern.compile("stored|delivered|read"),
                new LocatorAssertions.HasAttributeOptions().setTimeout(180_000));
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        Cli.Result received = cli.run(terminal, "receive", "--files", inbox.toString(), "--wait", "5");
        assertEquals(0, received.code(), received::toString);
        JsonNode line = received.lines().stream().map(AttachmentInteropTest::json)
                .filter(n -> n.has("attachment")).findFirst().orElseThrow(() -> new AssertionError(received.toString()));
        assertEquals("fx_web", line.get("from").asText());
        assertEquals("from browser.bin", line.at("/attachment/fileName").asText());
        assertEquals(SIZE, line.at("/attachment/size").asLong());
        Path saved = Path.of(line.get("file").asText());
        assertTrue(saved.startsWith(inbox), "saved in DIR: " + saved);
        assertEquals(sha256(fromBrowser), line.get("sha256").asText(), "the terminal's checksum");
        assertEquals(sha256(fromBrowser), sha256(saved), "byte for byte");

        // Terminal -> browser.
        Path fromTerminal = randomFile(dir.resolve("from terminal.bin"), SIZE, 2);
        Cli.Result sent = cli.run(terminal, "send-file", "fx_web", fromTerminal.toString());
        assertEquals(0, sent.code(), sent::toString);
        Locator message = fileMessage(page, "in", "from terminal.bin");
        assertThat(message).isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(60_000));
        String id = message.getAttribute("data-id");
        Download download = page.waitForDownload(new Page.WaitForDownloadOptions().setTimeout(180_000),
                () -> page.getByTestId("download-" + id).click());
        assertEquals("from terminal.bin", download.suggestedFilename());
        Path downloaded = dir.resolve("downloaded.bin");
        download.saveAs(downloaded);
        assertEquals(SIZE, Files.size(downloaded));
        assertEquals(sha256(fromTerminal), sha256(downloaded), "byte for byte");
        assertThat(page.getByTestId("attachment-" + id)).hasAttribute("data-state", "verified");
        page.context().close();
    }

    private static JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
