package dev.parley.client.attachments;

/** A file sent: the message's id, the SHA-256 of the file's bytes (hex) and its size. */
public record SentFile(String id, String sha256, long size) {
}
