package dev.parley.client.interop;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import dev.parley.client.ServerTest;
import dev.parley.web.testing.Chromium;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Headless Chromium for the test class, beside its server. */
abstract class InteropTest extends ServerTest {

    static Chromium chromium;

    @BeforeAll
    static void startChromium() {
        chromium = Chromium.launch();
    }

    /** The web client's messages in the open conversation, {@code in} or {@code out}, with {@code text}. */
    static Locator message(Page page, String direction, String text) {
        return page.getByTestId("message-list").getByTestId("message").and(page.locator("[data-direction=" + direction + "]"))
                .filter(new Locator.FilterOptions().setHasText(text));
    }

    /** Types into the web client's composer and sends with Enter, as a user does. */
    static void type(Page page, String text) {
        Locator input = page.getByTestId("message-input");
        input.fill(text);
        input.press("Enter");
        assertThat(input).hasValue("");
    }

    @AfterAll
    static void stopChromium() {
        if (chromium != null) {
            chromium.close();
        }
    }
}
