package dev.parley.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.microsoft.playwright.Page;
import dev.parley.e2e.support.BrowserTest;
import dev.parley.e2e.support.ParleyTab;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keyboard use from registration to a sent message, and a name on every control. */
class AccessibilityTest extends BrowserTest {

    /** Interactive elements without an accessible name (aria-label, label, text or title). */
    private static final String UNLABELLED = """
            () => [...document.querySelectorAll('button, input, textarea, select, a[href], [role=button]')]
              .filter((el) => el.getClientRects().length > 0)
              .filter((el) => {
                const labelledBy = el.getAttribute('aria-labelledby');
                const name = (el.getAttribute('aria-label') || '')
                  || (labelledBy ? labelledBy.split(' ').map((id) => document.getElementById(id)?.textContent || '').join(' ') : '')
                  || [...(el.labels || [])].map((l) => l.textContent).join(' ')
                  || (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' ? '' : el.textContent)
                  || el.getAttribute('title') || '';
                return name.trim() === '';
              })
              .map((el) => el.outerHTML.slice(0, 120))
            """;

    private static void assertAllLabelled(ParleyTab tab, String screen) {
        assertEquals(List.of(), tab.page().evaluate(UNLABELLED), "controls without an accessible name on " + screen);
    }

    private static String focusedTestId(Page page) {
        return String.valueOf(page.evaluate("() => document.activeElement?.dataset.testid ?? document.activeElement?.tagName"));
    }

    @Test
    void everythingWorksFromTheKeyboardAndEveryControlHasAName() {
        ParleyTab other = tab(false);
        other.register("kb_other");

        ParleyTab tab = tab(true);
        Page page = tab.page();
        assertThat(tab.byTestId("register-username")).isFocused();
        assertAllLabelled(tab, "welcome");
        page.keyboard().type("kb_user");
        page.keyboard().press("Enter");
        assertThat(tab.byTestId("recovery-code")).isVisible();
        assertAllLabelled(tab, "recovery code");
        while (!focusedTestId(page).equals("recovery-done")) {
            page.keyboard().press("Tab");
        }
        page.keyboard().press("Enter");
        assertThat(tab.byTestId("account-name")).hasText("kb_user");
        tab.awaitOnline();
        assertAllLabelled(tab, "contacts");

        // Tab from "New chat" past "New group" to the contact, open it with Enter: the composer has the focus; Enter sends.
        assertThat(tab.contact("kb_other")).isVisible();
        tab.byTestId("new-chat").focus();
        page.keyboard().press("Tab");
        assertEquals("new-group", focusedTestId(page));
        page.keyboard().press("Tab");
        assertEquals("contact-kb_other", focusedTestId(page));
        page.keyboard().press("Enter");
        assertThat(tab.byTestId("message-input")).isFocused();
        page.keyboard().type("typed without a mouse");
        page.keyboard().press("Enter");
        tab.awaitStatus("typed without a mouse", "delivered");
        assertAllLabelled(tab, "conversation");

        // The safety number opens from the keyboard and Escape closes it.
        tab.byTestId("open-safety").focus();
        page.keyboard().press("Enter");
        assertThat(tab.byTestId("safety-number")).isVisible();
        assertAllLabelled(tab, "safety number");
        page.keyboard().press("Escape");
        assertThat(tab.byTestId("safety-number")).hasCount(0);

        // The back button returns to the list on a phone.
        page.getByLabel("Back to contacts").focus();
        page.keyboard().press("Enter");
        assertThat(tab.byTestId("contact-list")).isVisible();
        tab.byTestId("open-info").click();
        assertThat(tab.byTestId("info-dialog")).isVisible();
        assertAllLabelled(tab, "info");
        tab.screenshot("phone-info");
        page.keyboard().press("Escape");
        assertEquals(List.of(), tab.violations());
    }
}
