/**
 * The envelope the server relays (docs/CRYPTO.md §7): b64(PreKeyMessage | RatchetMessage |
 * FanOutMessage); the first byte tells the kind. These helpers join payloads (payload.js),
 * sessions (session.js) and fan-out (fanout.js) for a client that works in payload objects.
 */

import { b64, unb64 } from './encoding.js';
import { FormatError } from './errors.js';
import { KIND_PREKEY, KIND_RATCHET, KIND_FANOUT } from './header.js';
import { sealPayload, openPayload } from './payload.js';
import { encryptMessage, decryptMessage } from './session.js';
import { decryptFanOut } from './fanout.js';

/** Pads and encrypts one payload object for one device. -> { record, envelope (string) } */
export async function encryptPayload(record, payload) {
  const out = await encryptMessage(record, sealPayload(payload));
  return { record: out.record, envelope: b64(out.message) };
}

/**
 * Decrypts an envelope string of any kind and decodes its payload (for a fan-out message,
 * the content payload). ctx as in session.decryptMessage.
 * -> { record, payload, remoteIdentity, established, preKeysUsed }
 * Store `record` and delete `preKeysUsed` together, and only on success.
 */
export async function decryptEnvelope(record, envelope, ctx) {
  const bytes = unb64(envelope);
  if (bytes.length === 0) throw new FormatError('empty envelope');
  if (bytes[0] === KIND_FANOUT) return decryptFanOut(record, bytes, ctx);
  if (bytes[0] !== KIND_PREKEY && bytes[0] !== KIND_RATCHET) throw new FormatError(`unknown message kind ${bytes[0]}`);
  const out = await decryptMessage(record, bytes, ctx);
  return {
    record: out.record, payload: openPayload(out.plaintext), remoteIdentity: out.remoteIdentity,
    established: out.established, preKeysUsed: out.preKeysUsed,
  };
}
