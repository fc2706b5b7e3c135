/**
 * The Double Ratchet (CRYPTO.md §3): {@code RootKey} (KDF_RK), {@code ChainKey} (KDF_CK),
 * {@code MessageKeys} (MSG_KEYS), {@code ReceivingChain}, {@code SkippedMessageKeys},
 * {@code Header}, {@code RatchetMessage} and {@code SessionState} with its versioned
 * serialization {@code SessionStateCodec}.
 */
package dev.parley.protocol.ratchet;
