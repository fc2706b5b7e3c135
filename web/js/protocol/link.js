/**
 * Linking a new device (docs/CRYPTO.md §10.1-§10.3), as Java's `protocol.link`: the link code
 * and the two sealed layouts, keyed by the new device's one-time X25519 pair E whose public
 * half is the code.
 *
 * ```
 * code        = E_pub as 52 base32 characters (wire/crockford.js), shown in groups of four joined by '-';
 *               QR text "parley-link:v1:" || the 52 characters
 * channel     = SHA-256(E_pub)
 * LinkRequest = u8 0x01 || 32 DKs_pub || u8 len || utf8(name)          (name: device-name.js)
 * k_req       = HKDF(0^32, E_pub, "parley-link-request-v1", 32)
 * request     = AEAD_ENC(k_req, 0^12, LinkRequest, ad = channel)
 * k           = HKDF(0^32, DH(ek, E_pub), "parley-link-v1" || ek_pub || E_pub, 32)   ek fresh
 * sealed      = ek_pub || AEAD_ENC(k, 0^12, LinkMessage, ad = channel)
 * ```
 * E is drawn afresh for every linking attempt and seals one request; ek is fresh per message:
 * the zero nonce never repeats under a key. An all-zero DH is refused on both sides. Opening
 * fails with `decrypt-failed` on any change and with `bad-format` on a bad layout.
 */

import { concat, u8, utf8, Reader } from './encoding.js';
import { ProtocolError, FormatError } from './errors.js';
import { INFO_LINK_REQUEST, INFO_LINK_MESSAGE, LINK_QR_PREFIX } from './labels.js';
import { ALPHABET, base32Length, encodeBase32, decodeBase32, foldCrockford, groupedCode } from '../wire/crockford.js';
import { encodeDeviceName, readDeviceName } from './device-name.js';
import {
  sha256, hkdf, x25519, aesGcmEncrypt, aesGcmDecrypt, X25519_KEY_BYTES, ED25519_KEY_BYTES, GCM_TAG_BYTES,
} from './primitives.js';
import { systemEntropy } from './entropy.js';

export const LINK_REQUEST_FORMAT = 0x01;
export const LINK_CODE_LENGTH = base32Length(X25519_KEY_BYTES);
export { LINK_QR_PREFIX };

const ZERO_SALT = new Uint8Array(32);
const ZERO_NONCE = new Uint8Array(12);
/** Ignored between characters: '-', tab, LF, VT, FF, CR and the Unicode space separators (Zs), as Java's LinkCode. */
const SEPARATOR = /^[-\t\n\v\f\r\p{Zs}]$/u;
const LEADING_SPACE = /^[\t\n\v\f\r\p{Zs}]+/u;

function requireKey(bytes, what) {
  if (!(bytes instanceof Uint8Array) || bytes.length !== X25519_KEY_BYTES) throw new FormatError(`${what} must be 32 bytes`);
  return bytes;
}

// ---- link code ----

/** The code as shown: 13 groups of four characters joined by dashes. */
export function linkCodeDisplay(ePublic) {
  return groupedCode(encodeBase32(requireKey(ePublic, 'link public key')));
}

/** The QR text: `parley-link:v1:` and the 52 characters. */
export function linkCodeQrText(ePublic) {
  return LINK_QR_PREFIX + encodeBase32(requireKey(ePublic, 'link public key'));
}

/**
 * E_pub from a typed code or a scanned QR text. Lower case, spaces (SEPARATOR) and dashes are accepted,
 * O is read as 0 and I, L as 1; the QR prefix in any letter case. Anything else is a
 * FormatError saying what is wrong.
 */
export function parseLinkCode(text) {
  if (typeof text !== 'string') throw new FormatError('no link code');
  let body = text.replace(LEADING_SPACE, '');
  if (body.slice(0, LINK_QR_PREFIX.length).toLowerCase() === LINK_QR_PREFIX) body = body.slice(LINK_QR_PREFIX.length);
  else if (body.includes(':')) throw new FormatError('not a Parley link code (unknown prefix)');
  let canonical = '';
  for (const c of body) {
    if (SEPARATOR.test(c)) continue;
    const folded = foldCrockford(c);
    if (folded.length !== 1 || !ALPHABET.includes(folded)) throw new FormatError('the link code contains a character that is not part of it');
    canonical += folded;
  }
  if (canonical.length !== LINK_CODE_LENGTH) {
    throw new FormatError(`a link code has ${LINK_CODE_LENGTH} characters, this one has ${canonical.length}`);
  }
  try {
    return decodeBase32(canonical, X25519_KEY_BYTES);
  } catch {
    throw new FormatError("the link code's last character is not possible (mistyped?)");
  }
}

/** A new one-time link key pair E (X25519) from `entropy`. */
export async function generateLinkKey(entropy = systemEntropy) {
  return entropy.x25519();
}

/** SHA-256(E_pub): the only thing the server learns about the code. */
export async function linkChannel(ePublic) {
  return sha256(requireKey(ePublic, 'link public key'));
}

// ---- link request ----

/** `{ deviceKey (32 bytes, DKs_pub), name }` -> LinkRequest bytes. */
export function encodeLinkRequest({ deviceKey, name }) {
  if (!(deviceKey instanceof Uint8Array) || deviceKey.length !== ED25519_KEY_BYTES) throw new FormatError('device key must be 32 bytes');
  return concat(u8(LINK_REQUEST_FORMAT), deviceKey, encodeDeviceName(name));
}

/** Strict: another format byte, a short key, a bad name or trailing bytes are refused. */
export function decodeLinkRequest(bytes) {
  const r = new Reader(bytes);
  const format = r.u8('link request format');
  if (format !== LINK_REQUEST_FORMAT) throw new ProtocolError('unknown-version', `link request format ${format}`);
  const deviceKey = r.take(ED25519_KEY_BYTES, 'device key');
  const name = readDeviceName(r);
  r.end('link request');
  return { deviceKey, name };
}

async function requestKey(ePublic) {
  return hkdf(ZERO_SALT, requireKey(ePublic, 'link public key'), utf8(INFO_LINK_REQUEST), 32);
}

/** The new device seals its request under its code. */
export async function sealLinkRequest(ePublic, request) {
  return aesGcmEncrypt(await requestKey(ePublic), ZERO_NONCE, encodeLinkRequest(request), await linkChannel(ePublic));
}

/** The approving device, which knows the code, opens the request -> `{ deviceKey, name }`. */
export async function openLinkRequest(ePublic, sealed) {
  return decodeLinkRequest(await aesGcmDecrypt(await requestKey(ePublic), ZERO_NONCE, sealed, await linkChannel(ePublic)));
}

// ---- link message ----

async function messageKey(dh, ekPublic, ePublic) {
  return hkdf(ZERO_SALT, dh, concat(utf8(INFO_LINK_MESSAGE), ekPublic, ePublic), 32);
}

/**
 * The approving device seals the link message (opaque bytes: the clients' LinkMessage JSON)
 * to E_pub, with a fresh ek from `entropy`. `low-order` if E_pub gives an all-zero DH.
 */
export async function sealLinkMessage(ePublic, plaintext, entropy = systemEntropy) {
  const channel = await linkChannel(ePublic);
  const ek = await entropy.x25519();
  const key = await messageKey(await x25519(ek.privateKey, ePublic), ek.publicKey, ePublic);
  return concat(ek.publicKey, await aesGcmEncrypt(key, ZERO_NONCE, plaintext, channel));
}

/** The new device opens the link message with its pair E `{ privateKey, publicKey }`. */
export async function openLinkMessage(e, sealed) {
  if (!(sealed instanceof Uint8Array) || sealed.length < X25519_KEY_BYTES + GCM_TAG_BYTES) {
    throw new FormatError('sealed link message too short');
  }
  const ekPublic = sealed.slice(0, X25519_KEY_BYTES);
  const key = await messageKey(await x25519(e.privateKey, ekPublic), ekPublic, e.publicKey);
  return aesGcmDecrypt(key, ZERO_NONCE, sealed.slice(X25519_KEY_BYTES), await linkChannel(e.publicKey));
}
