package dev.parley.client.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.client.ClientException;
import dev.parley.client.ContentMessage;
import dev.parley.client.ParleyClient;
import dev.parley.client.attachments.FileTransferException;
import dev.parley.client.attachments.SavedAttachment;
import dev.parley.client.attachments.Transfer;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * {@code parley receive --files DIR}: fetches, checks and saves each received attachment in
 * {@code DIR}, and adds {@code "file"} and {@code "sha256"} to the message's line, or, when it
 * could not be saved, {@code "fileError"} (the reason's code) with the reason on standard error.
 * Nothing of a refused file stays in {@code DIR}.
 */
final class ReceivedFiles {

    private final ParleyClient client;
    private final Path dir;
    private final PrintWriter err;

    ReceivedFiles(ParleyClient client, Path dir, PrintWriter err) {
        this.client = client;
        this.dir = dir;
        this.err = err;
    }

    /** Saves the attachment of {@code message}, if it has one, and adds the outcome to {@code line}. */
    void save(ContentMessage message, ObjectNode line) {
        if (message == null || message.attachment() == null) {
            return;
        }
        try {
            SavedAttachment saved = client.attachments().save(message, dir, Transfer.quiet());
            line.put("file", saved.path().toString()).put("sha256", saved.sha256());
        } catch (FileTransferException e) {
            refused(message, line, e.code(), e.getMessage());
        } catch (ClientException e) {
            refused(message, line, e.getCause() instanceof java.io.IOException ? "io" : "failed", e.getMessage());
        }
    }

    private void refused(ContentMessage message, ObjectNode line, String code, String why) {
        line.put("fileError", code);
        err.println("parley: the file " + Terminal.safe(message.attachment().fileName()) + " from " + message.from()
                + " (message " + message.id() + ") was not saved: " + Terminal.safe(why));
        err.flush();
    }
}
