package dev.parley.client.attachments;

import dev.parley.protocol.attachments.AttachmentDecryptor;
import dev.parley.protocol.attachments.AttachmentException;
import dev.parley.protocol.attachments.AttachmentFormat;
import dev.parley.protocol.attachments.AttachmentPointer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Supplier;

/**
 * Fetches an attachment's blob and saves the plaintext (CRYPTO.md §12): the body streams from
 * the server through {@link AttachmentDecryptor} (every chunk's tag, the length and, at the
 * end, the digest) into a temporary file in the target folder; only once the decryptor reached
 * the end without a refusal is the file synced and given its name ({@link SavedFiles}, never
 * replacing a file). A refused blob deletes the temporary file and fails with the reason:
 * changed on the server ({@code digest}, {@code tag}) or truncated ({@code length}).
 */
final class FileDownloader {

    private static final int BUFFER = 64 * 1024;
    private final Supplier<BlobHttp> http;

    FileDownloader(Supplier<BlobHttp> http) {
        this.http = http;
    }

    SavedAttachment save(AttachmentPointer pointer, Path dir, Transfer transfer) throws IOException, InterruptedException {
        long blobLength = AttachmentFormat.blobLength(pointer.size());
        Path temporary = SavedFiles.temporary(dir);
        boolean kept = false;
        try {
            String sha256;
            try (InputStream blob = http.get().download(pointer.blobId(), blobLength, transfer);
                 InputStream plaintext = AttachmentDecryptor.decrypting(blob, pointer.key(), pointer.size(), pointer.digest());
                 FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                 OutputStream out = Channels.newOutputStream(channel)) {
                sha256 = copy(plaintext, out, pointer.size());
                channel.force(true);
            } catch (AttachmentException refused) {
                throw refusal(refused);
            }
            Path saved = SavedFiles.publish(temporary, pointer.fileName());
            kept = true;
            return new SavedAttachment(saved, sha256, pointer.size(), pointer.contentType());
        } finally {
            if (!kept) {
                Files.deleteIfExists(temporary);
            }
        }
    }

    /** Copies to the end of the stream and returns the SHA-256 (hex) of what was copied; exactly {@code size} bytes. */
    private static String copy(InputStream in, OutputStream out, long size) throws IOException {
        MessageDigest sha256 = sha256();
        byte[] buffer = new byte[BUFFER];
        long total = 0;
        for (int n; (n = in.read(buffer)) >= 0; ) {
            out.write(buffer, 0, n);
            sha256.update(buffer, 0, n);
            total += n;
        }
        if (total != size) { // the decryptor checks the length; this guards the guard
            throw new FileTransferException(FileTransferException.LENGTH, "the file is not the size its message announced; it was not saved");
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    private static FileTransferException refusal(AttachmentException refused) {
        String reason = refused.reason().code();
        String message = switch (reason) {
            case "length" -> "the file on the server is truncated (or longer than announced); it was not saved";
            default -> "the file was changed on the server; it was not saved";
        };
        return new FileTransferException(reason, message, refused);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
