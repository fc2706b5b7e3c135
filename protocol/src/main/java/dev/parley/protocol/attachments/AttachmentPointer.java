package dev.parley.protocol.attachments;

import dev.parley.protocol.Limits;
import dev.parley.protocol.codec.Bytes;
import dev.parley.protocol.codec.Utf8;
import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where an attachment is and how to open it (CRYPTO.md §4 "Attachment", §12), carried inside
 * an end-to-end encrypted {@link dev.parley.protocol.payload.Payload.Message}:
 *
 * <ul>
 *   <li>{@code blobId}: the server's blob id, 22 base64url characters (128 bits);
 *   <li>{@code key}: the file key (32 bytes), {@code digest}: the blob's digest (32 bytes, §12);
 *   <li>{@code size}: plaintext bytes, 0..{@link Limits#MAX_ATTACHMENT_BYTES};
 *   <li>{@code contentType}: 1..100 bytes, lowercase {@code type/subtype} of {@code [a-z0-9.+-]};
 *   <li>{@code fileName}: 1..255 UTF-8 bytes, no {@code /}, {@code \} or control character;
 *   <li>{@code width} x {@code height}: an image's pixels (1..65535 each), 0 x 0 otherwise;
 *   <li>{@code thumbnail}: 0..16,384 bytes, empty or a JPEG or PNG image made by the sender.
 * </ul>
 *
 * The constructor enforces every rule. Prints neither blob id, key, digest, file name nor
 * thumbnail: the blob id is a download capability, the others are content.
 */
public record AttachmentPointer(String blobId, byte[] key, byte[] digest, long size, String contentType,
        String fileName, int width, int height, byte[] thumbnail) {

    public static final int BLOB_ID_CHARS = 22;
    public static final int KEY_BYTES = 32;
    public static final int DIGEST_BYTES = 32;

    /** 22 base64url characters encoding exactly 16 bytes (the last one's low 4 bits zero: canonical). */
    private static final Pattern BLOB_ID = Pattern.compile("[A-Za-z0-9_-]{21}[AQgw]");
    private static final Pattern CONTENT_TYPE = Pattern.compile("[a-z0-9.+-]+/[a-z0-9.+-]+");
    private static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};

    public AttachmentPointer {
        if (blobId == null || !BLOB_ID.matcher(blobId).matches()) {
            throw new IllegalArgumentException("blob id must be 22 base64url characters (16 bytes)");
        }
        key = Bytes.requireLength(key, KEY_BYTES, "attachment key").clone();
        digest = Bytes.requireLength(digest, DIGEST_BYTES, "attachment digest").clone();
        if (size < 0 || size > Limits.MAX_ATTACHMENT_BYTES) {
            throw new IllegalArgumentException("attachment size must be 0.." + Limits.MAX_ATTACHMENT_BYTES + " bytes");
        }
        if (contentType == null || contentType.length() > Limits.MAX_CONTENT_TYPE_BYTES
                || !CONTENT_TYPE.matcher(contentType).matches()) {
            throw new IllegalArgumentException("content type must be a lowercase type/subtype of [a-z0-9.+-], at most 100 bytes");
        }
        requireFileName(fileName);
        if (width < 0 || width > 0xFFFF || height < 0 || height > 0xFFFF || (width == 0) != (height == 0)) {
            throw new IllegalArgumentException("width and height must both be 1..65535, or both 0");
        }
        Objects.requireNonNull(thumbnail, "thumbnail");
        if (thumbnail.length > Limits.MAX_THUMBNAIL_BYTES) {
            throw new IllegalArgumentException("thumbnail must be at most " + Limits.MAX_THUMBNAIL_BYTES + " bytes");
        }
        if (thumbnail.length > 0 && !startsWith(thumbnail, JPEG) && !startsWith(thumbnail, PNG)) {
            throw new IllegalArgumentException("thumbnail must be a JPEG or PNG image");
        }
        thumbnail = thumbnail.clone();
    }

    private static void requireFileName(String fileName) {
        int length = fileName == null ? 0 : Utf8.encode(fileName).length;
        if (length < 1 || length > Limits.MAX_FILE_NAME_BYTES || fileName.indexOf('/') >= 0 || fileName.indexOf('\\') >= 0
                || Utf8.hasControlCharacter(fileName)) {
            throw new IllegalArgumentException("file name must be 1..255 UTF-8 bytes without '/', '\\' or control characters");
        }
    }

    private static boolean startsWith(byte[] value, byte[] prefix) {
        return value.length >= prefix.length && Arrays.equals(value, 0, prefix.length, prefix, 0, prefix.length);
    }

    @Override public byte[] key() { return key.clone(); }
    @Override public byte[] digest() { return digest.clone(); }
    @Override public byte[] thumbnail() { return thumbnail.clone(); }

    @Override
    public boolean equals(Object other) {
        return other instanceof AttachmentPointer that && blobId.equals(that.blobId) && Arrays.equals(key, that.key)
                && Arrays.equals(digest, that.digest) && size == that.size && contentType.equals(that.contentType)
                && fileName.equals(that.fileName) && width == that.width && height == that.height
                && Arrays.equals(thumbnail, that.thumbnail);
    }

    @Override
    public int hashCode() {
        return Objects.hash(blobId, Arrays.hashCode(digest), size, contentType, fileName, width, height);
    }

    @Override
    public String toString() {
        return "AttachmentPointer[size=" + size + ", contentType=" + contentType + ", " + width + "x" + height
                + ", thumbnail=" + thumbnail.length + " bytes]";
    }
}
