package dev.parley.client.attachments;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * File names as they travel in an attachment and as a receiver saves them. A sender's name is
 * never trusted as a path: only its last segment is kept, separators, NUL, control and bidi
 * characters and the characters Windows forbids become {@code _}, a leading dot is dropped
 * (no hidden files), {@code .} and {@code ..} and empty names become {@code file}, and the
 * result is cut to {@link #MAX_BYTES} UTF-8 bytes keeping the extension.
 */
public final class SafeFileNames {

    /** The attachment's fileName limit (EVERYDAY.md, "Payloads"). */
    public static final int MAX_BYTES = dev.parley.protocol.Limits.MAX_FILE_NAME_BYTES;
    private static final String FALLBACK = "file";

    private SafeFileNames() {
    }

    /** {@code name} made safe to send and to save (never empty, never a path). */
    public static String safe(String name) {
        String last = name == null ? "" : name;
        int cut = Math.max(last.lastIndexOf('/'), last.lastIndexOf('\\'));
        last = last.substring(cut + 1);
        StringBuilder out = new StringBuilder(last.length());
        last.codePoints().forEach(c -> out.appendCodePoint(allowed(c) ? c : '_'));
        String cleaned = out.toString().strip();
        while (cleaned.startsWith(".")) {
            cleaned = cleaned.substring(1);
        }
        if (cleaned.isBlank()) {
            cleaned = FALLBACK;
        }
        return truncate(cleaned);
    }

    /** The safe name of the file at {@code path} (its last segment). */
    public static String of(Path path) {
        Path name = path.getFileName();
        return safe(name == null ? "" : name.toString());
    }

    /** {@code name} with " (n)" before its extension: the n-th alternative when {@code name} is taken. */
    static String numbered(String name, int n) {
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        String extension = dot > 0 ? name.substring(dot) : "";
        String suffix = " (" + n + ")" + extension;
        int room = MAX_BYTES - utf8(suffix);
        return cutToBytes(base, Math.max(1, room)) + suffix;
    }

    private static boolean allowed(int c) {
        if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
            return false; // control characters, NUL included
        }
        if (c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) {
            return false; // bidi controls: a name must read as it is
        }
        return "/\\:*?\"<>|".indexOf(c) < 0;
    }

    private static String truncate(String name) {
        if (utf8(name) <= MAX_BYTES) {
            return name;
        }
        int dot = name.lastIndexOf('.');
        String extension = dot > 0 && utf8(name.substring(dot)) <= 16 ? name.substring(dot) : "";
        String base = extension.isEmpty() ? name : name.substring(0, dot);
        return cutToBytes(base, MAX_BYTES - utf8(extension)) + extension;
    }

    /** The longest prefix of {@code text} of at most {@code bytes} UTF-8 bytes, never splitting a character. */
    private static String cutToBytes(String text, int bytes) {
        int used = 0;
        int end = 0;
        while (end < text.length()) {
            int c = text.codePointAt(end);
            int size = utf8(new String(Character.toChars(c)));
            if (used + size > bytes) {
                break;
            }
            used += size;
            end += Character.charCount(c);
        }
        return text.substring(0, end);
    }

    private static int utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
