package dev.parley.client.attachments;

import dev.parley.client.ClientException;
import dev.parley.client.ClientException.Reason;
import dev.parley.client.ContentMessage;
import dev.parley.client.ConversationRef;
import dev.parley.client.Conversations;
import dev.parley.client.MessageDraft;
import dev.parley.client.net.ServerAddress;
import dev.parley.client.net.ServerConnection;
import dev.parley.protocol.attachments.AttachmentPointer;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Files in conversations ({@code ParleyClient.attachments()}; docs/CLIENT.md, "Attachments").
 * {@link #sendFile} encrypts the file on this device and uploads the ciphertext to the blob store
 * of the server this client is connected to (its HTTP origin), then sends the pointer (blob id,
 * key, digest, size, type, name, image size and thumbnail) inside an end-to-end message, 1:1 or
 * to a group. {@link #download} fetches, verifies and saves a received one. The server sees
 * only ciphertext and its length.
 */
public final class Attachments {

    private final Supplier<Conversations> conversations;
    private final Supplier<ServerAddress> server;
    private final FileUploader uploader;
    private final FileDownloader downloader;
    private final HttpClient http = BlobHttp.newHttpClient();

    /**
     * {@code connection}: the logged-in socket (for {@code blob_upload}); {@code server}: the
     * server it is connected to (or registered with), whose origin serves the blobs.
     */
    public Attachments(Supplier<Conversations> conversations, Supplier<ServerConnection> connection,
            Supplier<ServerAddress> server, SecureRandom random, Duration timeout) {
        this.conversations = conversations;
        this.server = server;
        this.uploader = new FileUploader(new BlobSlots(connection, timeout), this::blobs, random);
        this.downloader = new FileDownloader(this::blobs);
    }

    /** Sends {@code file} to a person or a group without a caption; returns the message id (as {@code Conversations.send}). */
    public String sendFile(ConversationRef to, Path file) throws ClientException {
        return sendFile(to, file, "", Transfer.quiet()).id();
    }

    /**
     * Uploads {@code file} encrypted (reporting to and cancellable through {@code transfer}),
     * then sends it with {@code caption} (may be empty) as {@code Conversations.send} does.
     * Nothing is sent when the upload fails or is cancelled; the incomplete blob can never be
     * downloaded and the server deletes it within an hour.
     */
    public SentFile sendFile(ConversationRef to, Path file, String caption, Transfer transfer) throws ClientException {
        FileUploader.Uploaded uploaded = uploaded(file, transfer);
        String id = conversations.get().send(to, new MessageDraft(caption, null, uploaded.pointer()));
        return new SentFile(id, uploaded.sha256(), uploaded.pointer().size());
    }

    /** Uploads {@code file} encrypted and returns its pointer, without sending a message. */
    public AttachmentPointer upload(Path file, Transfer transfer) throws ClientException {
        return uploaded(file, transfer).pointer();
    }

    private FileUploader.Uploaded uploaded(Path file, Transfer transfer) throws ClientException {
        try {
            return uploader.upload(file, transfer);
        } catch (FileTransferException e) {
            throw new ClientException(e.code().equals(FileTransferException.CANCELLED) ? Reason.FAILED : Reason.REFUSED,
                    "the file was not sent: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ClientException(Reason.FAILED, "the file was not sent: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientException(Reason.FAILED, "the file was not sent: interrupted", e);
        }
    }

    /** Fetches, verifies and saves the attachment of {@code message} in {@code dir}; returns the saved file. */
    public Path download(ContentMessage message, Path dir) throws ClientException, FileTransferException {
        return save(message, dir, Transfer.quiet()).path();
    }

    /**
     * Fetches the attachment of {@code message}, checks it while writing it to a temporary file
     * in {@code dir}, and only once verified gives it a new name there (the sender's name made
     * safe, never replacing a file). A refused blob leaves nothing in {@code dir} and throws
     * {@link FileTransferException} with its code ({@code digest}, {@code tag}, {@code length},
     * {@code not_found}, {@code cancelled}).
     */
    public SavedAttachment save(ContentMessage message, Path dir, Transfer transfer) throws ClientException, FileTransferException {
        AttachmentPointer pointer = message.attachment();
        if (pointer == null) {
            throw new ClientException(Reason.FAILED, "message " + message.id() + " has no attachment");
        }
        return save(pointer, dir, transfer);
    }

    /** {@link #save(ContentMessage, Path, Transfer)} for a pointer. */
    public SavedAttachment save(AttachmentPointer pointer, Path dir, Transfer transfer) throws ClientException, FileTransferException {
        try {
            return downloader.save(pointer, dir, transfer);
        } catch (FileTransferException e) {
            throw e;
        } catch (IOException e) {
            throw new ClientException(Reason.FAILED, "the file could not be fetched or saved: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientException(Reason.FAILED, "the download was interrupted", e);
        }
    }

    private BlobHttp blobs() {
        ServerAddress current = server.get();
        if (current == null) {
            throw new IllegalStateException("no server: connect first");
        }
        return new BlobHttp(http, current.origin());
    }
}
