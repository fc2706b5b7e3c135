/**
 * The one error type of the protocol modules. `code` is stable and meant for callers and
 * tests; `message` is for people and never contains key material or plaintext.
 *
 * Codes:
 * - `bad-format`       a message, bundle or payload does not parse
 * - `bad-signature`    an Ed25519 signature does not verify (bundle, binding, prekey)
 * - `low-order`        an X25519 output was all zero (low-order or invalid public key)
 * - `unknown-prekey`   a PreKeyMessage names a prekey we do not hold (or no longer hold)
 * - `downgrade`        X3DH offered or requested where the signed capabilities forbid it
 * - `decrypt-failed`   AES-GCM authentication failed (tampered or wrong session)
 * - `duplicate`        a message that was already decrypted (replay)
 * - `too-many-skipped` a header would skip more than MAX_SKIP message keys
 * - `no-session`       no session can send or decrypt this message
 * - `unknown-version`  a payload version this client does not know
 * - `too-large`        a payload above MAX_PAYLOAD, or a message number above MAX_MESSAGE_NUMBER
 * - `digest-mismatch`  fan-out content does not match the digest in its key message
 * - `bad-attachment`   an attachment blob refused (AttachmentError in attachments.js, with `reason`
 *                      'length', 'tag' or 'digest')
 * - `not-extractable`  a private key that cannot be exported (an identity made before linking existed)
 */
export class ProtocolError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'ProtocolError';
    this.code = code;
  }
}

/** Malformed input; always code `bad-format`. */
export class FormatError extends ProtocolError {
  constructor(message) {
    super('bad-format', message);
    this.name = 'FormatError';
  }
}
