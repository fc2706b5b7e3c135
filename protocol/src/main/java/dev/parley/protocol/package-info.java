/**
 * Parley's end-to-end protocol, as specified normatively in {@code docs/CRYPTO.md}.
 *
 * <p>Layout by concept: {@code crypto} (primitive wrappers: X25519, Ed25519, HKDF, HMAC,
 * AES-256-GCM, ML-KEM-768, and the {@link dev.parley.protocol.crypto.Randomness} seam),
 * {@code keys} (identity, prekeys, capabilities, bundles; local and remote keys as separate
 * types), {@code handshake} (PQXDH initiator and responder, PreKeyMessage), {@code ratchet}
 * (Double Ratchet: root and chain keys, message keys, session state and its serialization),
 * {@code session} (sessions per peer, simultaneous initiation), {@code payload} (typed payloads
 * and padding), {@code fanout} (one message to several devices), {@code safety} (safety
 * numbers), {@code attachments} (the attachment pointer and the chunked blob cipher),
 * {@code codec} (byte layouts).
 *
 * <p>The module is pure: no I/O, no clock (time is a parameter), no randomness of its own
 * (always a caller-supplied {@link dev.parley.protocol.crypto.Randomness}). Every operation that
 * can fail throws {@link dev.parley.protocol.ProtocolException} and changes no state; the one
 * exception is {@code attachments}, whose streams transform caller-supplied streams and refuse a
 * blob with {@link dev.parley.protocol.attachments.AttachmentException} (an {@code IOException}).
 */
package dev.parley.protocol;
