/**
 * PQXDH (CRYPTO.md §2): {@code Initiator} (Alice), {@code Responder} (Bob, with the caller's
 * {@code PrivatePreKeys}), the {@code PreKeyMessage} layout and the X3DH downgrade rules (§2.4).
 */
package dev.parley.protocol.handshake;
