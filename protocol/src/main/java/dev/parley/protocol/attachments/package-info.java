/**
 * Attachments (CRYPTO.md §12): the pointer carried inside a message and the chunked
 * AES-256-GCM (STREAM) encryption of the file itself.
 */
package dev.parley.protocol.attachments;
