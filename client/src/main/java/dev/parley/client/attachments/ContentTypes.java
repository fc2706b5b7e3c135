package dev.parley.client.attachments;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The content type an attachment declares: images are recognised by their first bytes (PNG,
 * JPEG, GIF, WebP; never SVG, which is a document that runs scripts), everything else by its
 * extension, else {@code application/octet-stream}. Every answer obeys the attachment rule:
 * lowercase {@code type/subtype} of {@code [a-z0-9.+-]}, at most 100 bytes.
 */
public final class ContentTypes {

    public static final String OCTET_STREAM = "application/octet-stream";
    private static final Pattern VALID = Pattern.compile("[a-z0-9.+-]+/[a-z0-9.+-]+");
    private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
            Map.entry("txt", "text/plain"), Map.entry("md", "text/markdown"), Map.entry("csv", "text/csv"),
            Map.entry("pdf", "application/pdf"), Map.entry("zip", "application/zip"), Map.entry("gz", "application/gzip"),
            Map.entry("json", "application/json"), Map.entry("mp3", "audio/mpeg"), Map.entry("ogg", "audio/ogg"),
            Map.entry("mp4", "video/mp4"), Map.entry("webm", "video/webm"), Map.entry("odt", "application/vnd.oasis.opendocument.text"),
            Map.entry("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            Map.entry("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));

    private ContentTypes() {
    }

    /** The content type of the file at {@code file}, from its first bytes (images) or its name. */
    public static String of(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(16);
        }
        String image = imageType(head);
        if (image != null) {
            return image;
        }
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String byName = dot < 0 ? null : BY_EXTENSION.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
        return byName != null ? byName : OCTET_STREAM;
    }

    /** Whether {@code contentType} is an image a client may show inline and make a thumbnail of. */
    public static boolean isImage(String contentType) {
        return switch (contentType) {
            case "image/png", "image/jpeg", "image/gif", "image/webp" -> true;
            default -> false;
        };
    }

    /** Whether {@code contentType} follows the attachment rule. */
    public static boolean isValid(String contentType) {
        return contentType != null && contentType.length() <= 100 && VALID.matcher(contentType).matches();
    }

    /** The image type the first bytes announce, or null. */
    static String imageType(byte[] head) {
        if (startsWith(head, 0, 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a)) {
            return "image/png";
        }
        if (startsWith(head, 0, 0xff, 0xd8, 0xff)) {
            return "image/jpeg";
        }
        if (startsWith(head, 0, 'G', 'I', 'F', '8')) {
            return "image/gif";
        }
        if (startsWith(head, 0, 'R', 'I', 'F', 'F') && startsWith(head, 8, 'W', 'E', 'B', 'P')) {
            return "image/webp";
        }
        return null;
    }

    private static boolean startsWith(byte[] head, int offset, int... expected) {
        if (head.length < offset + expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if ((head[offset + i] & 0xff) != expected[i]) {
                return false;
            }
        }
        return true;
    }
}
