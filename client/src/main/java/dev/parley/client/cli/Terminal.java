package dev.parley.client.cli;

/**
 * Text from other users made safe for a terminal: a peer must not be able to move the cursor,
 * rewrite earlier lines, change the window title or reorder text. Control characters (C0, DEL,
 * C1, so every escape sequence) and bidirectional formatting characters become U+FFFD; a line
 * break shows as {@code ⏎}. ({@code receive} prints JSON, where Jackson escapes controls.)
 */
final class Terminal {

    private Terminal() {
    }

    static String safe(String text) {
        var out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (c == '\n') {
                out.append(" \u23CE ");
            } else if (Character.isISOControl(c) || isBidiControl(c)) {
                out.append('\uFFFD');
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    private static boolean isBidiControl(int c) {
        return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
    }
}
