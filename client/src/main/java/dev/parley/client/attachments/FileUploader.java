package dev.parley.client.attachments;

import dev.parley.client.ClientException;
import dev.parley.client.ClientException.Reason;
import dev.parley.protocol.attachments.AttachmentEncryptor;
import dev.parley.protocol.attachments.AttachmentFormat;
import dev.parley.protocol.attachments.AttachmentPointer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.function.Supplier;

/**
 * Sends one file to the server as an encrypted blob and returns the pointer that goes inside the
 * end-to-end message (CRYPTO.md §12): a fresh key, the content type, the image size and
 * thumbnail, room for the blob from {@link BlobSlots}, then the file encrypted chunk by chunk as
 * it is read and uploaded in parts ({@link BlobHttp}). The file is read as a stream, never
 * whole; a resumed upload that must go back re-reads and re-encrypts it (the same key gives the
 * same bytes).
 */
final class FileUploader {

    private final BlobSlots slots;
    private final Supplier<BlobHttp> http;
    private final SecureRandom random;

    FileUploader(BlobSlots slots, Supplier<BlobHttp> http, SecureRandom random) {
        this.slots = slots;
        this.http = http;
        this.random = random;
    }

    /** A file as uploaded: its pointer and the SHA-256 (hex) of the bytes that were encrypted. */
    record Uploaded(AttachmentPointer pointer, String sha256) {
    }

    Uploaded upload(Path file, Transfer transfer) throws ClientException, IOException, InterruptedException {
        if (!Files.isRegularFile(file)) {
            throw new ClientException(Reason.FAILED, "not a file: " + file);
        }
        long size = Files.size(file);
        if (size > AttachmentFormat.MAX_SIZE) {
            throw new ClientException(Reason.FAILED, "the file is " + size + " bytes; at most "
                    + AttachmentFormat.MAX_SIZE + " bytes (100 MiB) can be sent");
        }
        String contentType = ContentTypes.of(file);
        ImagePreview preview = ImagePreview.of(file, contentType);
        byte[] key = AttachmentEncryptor.newKey(random);
        long blobLength = AttachmentFormat.blobLength(size);
        BlobSlots.Slot slot = slots.reserve(blobLength);
        var last = new AttachmentEncryptor[1];
        var plaintextHash = new MessageDigest[1];
        http.get().upload(slot.blob(), slot.token(), blobLength, () -> {
            plaintextHash[0] = FileDownloader.sha256();
            InputStream plaintext = new DigestInputStream(Files.newInputStream(file), plaintextHash[0]);
            last[0] = AttachmentEncryptor.encrypting(plaintext, key, size);
            return last[0];
        }, transfer);
        byte[] digest = last[0].digest(); // the upload read the last stream to its end
        // the last stream was read from the file's first byte to its last: its hash is the file's
        String sha256 = HexFormat.of().formatHex(plaintextHash[0].digest());
        return new Uploaded(new AttachmentPointer(slot.blob(), key, digest, size, contentType, SafeFileNames.of(file),
                preview.width(), preview.height(), preview.thumbnail()), sha256);
    }
}
