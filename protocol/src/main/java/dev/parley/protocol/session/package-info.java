/**
 * Sessions with a remote device: {@code Session} (ratchet state plus what the handshake fixed,
 * and the pending PreKeyMessage phase) and {@code PeerSessions} (current and archived sessions,
 * simultaneous initiation, CRYPTO.md §2.3), each with a versioned binary codec.
 */
package dev.parley.protocol.session;
