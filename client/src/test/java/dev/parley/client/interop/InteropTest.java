package dev.parley.client.interop;

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

    @AfterAll
    static void stopChromium() {
        if (chromium != null) {
            chromium.close();
        }
    }
}
