package dev.parley.client.attachments;

import java.nio.file.Path;

/** A received file as saved: where, the SHA-256 of its bytes (hex), its size and declared content type. */
public record SavedAttachment(Path path, String sha256, long size, String contentType) {
}
