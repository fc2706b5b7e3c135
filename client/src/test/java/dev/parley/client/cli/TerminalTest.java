package dev.parley.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TerminalTest {

    @Test
    void escapeSequencesAndBidiControlsCannotReachTheTerminal() {
        assertEquals("\uFFFD[2J\uFFFD]0;pwned\uFFFD", Terminal.safe("\u001B[2J\u001B]0;pwned\u0007"));
        assertEquals("a\uFFFDb\uFFFDc\uFFFD", Terminal.safe("a\u202Eb\u009Bc\u007F"));
        assertEquals("line one \u23CE line two", Terminal.safe("line one\nline two"));
        assertEquals("plain text, émoji 🙂", Terminal.safe("plain text, émoji 🙂"));
    }
}
