package dev.parley.e2e.support;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import dev.parley.web.testing.Chromium;

/** Browser contexts (separate profiles: storage, IndexedDB, locks) at the sizes the tests use. */
public final class Browsers {

    public static final int DESKTOP_WIDTH = 1280;
    public static final int DESKTOP_HEIGHT = 800;
    public static final int PHONE_WIDTH = 375;
    public static final int PHONE_HEIGHT = 740;

    private Browsers() {
    }

    public static BrowserContext desktop(Chromium chromium) {
        return context(chromium, DESKTOP_WIDTH, DESKTOP_HEIGHT, "light");
    }

    public static BrowserContext phone(Chromium chromium) {
        return context(chromium, PHONE_WIDTH, PHONE_HEIGHT, "light");
    }

    public static BrowserContext context(Chromium chromium, int width, int height, String colorScheme) {
        return chromium.browser().newContext(new Browser.NewContextOptions()
                .setViewportSize(width, height)
                .setColorScheme("dark".equals(colorScheme) ? com.microsoft.playwright.options.ColorScheme.DARK
                        : com.microsoft.playwright.options.ColorScheme.LIGHT));
    }
}
