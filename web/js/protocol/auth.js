/**
 * The server authentication signature of register / login / reset (docs/PROTOCOL.md §3):
 *
 * ```
 * utf8("parley-auth-v1") || 0x00
 * || nonce (32, from the server's challenge)
 * || u16 len || utf8(origin)       the server origin as addressed, e.g. "http://127.0.0.1:5000"
 * || u64 timestamp                 client clock, ms since the Unix epoch
 * || u8 len  || utf8(action)       "register", "login" or "reset"
 * || u8 len  || utf8(username)
 * ```
 * The nonce is never signed bare: the label and the framing bind it to this role.
 */

import { concat, u8, u16, u64, utf8 } from './encoding.js';
import { FormatError } from './errors.js';
import { SIG_AUTH } from './labels.js';
import { signWithContext, verifyWithContext } from './keys.js';

export const AUTH_ACTIONS = Object.freeze(['register', 'login', 'reset']);

function lengthPrefixed(text, max, prefix, field) {
  const b = utf8(text);
  if (b.length > max) throw new FormatError(`${field} too long`);
  return concat(prefix(b.length), b);
}

/** The data after the label separator (signWithContext adds utf8(label) || 0x00). */
export function authData({ nonce, origin, timestamp, action, username }) {
  if (nonce.length !== 32) throw new FormatError('challenge nonce must be 32 bytes');
  if (!AUTH_ACTIONS.includes(action)) throw new FormatError(`unknown auth action ${action}`);
  return concat(nonce, lengthPrefixed(origin, 0xffff, u16, 'origin'), u64(timestamp),
    lengthPrefixed(action, 0xff, u8, 'action'), lengthPrefixed(username, 0xff, u8, 'username'));
}

/** The 64-byte signature for a `register`, `login` or `reset` frame. */
export async function signAuth(identity, fields) {
  return signWithContext(identity.signing.privateKey, SIG_AUTH, authData(fields));
}

export async function verifyAuth(signingPublicKey, fields, signature) {
  return verifyWithContext(signingPublicKey, SIG_AUTH, authData(fields), signature);
}
