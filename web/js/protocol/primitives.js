/**
 * Thin wrappers over Web Crypto for the primitives of docs/CRYPTO.md §0. No primitive is
 * implemented here; the wrappers only fix parameters, check lengths and turn platform
 * failures into ProtocolErrors.
 *
 * Key pair shape used everywhere: `{ privateKey: CryptoKey, publicKey: Uint8Array }` with the
 * public key in its raw encoding (X25519/Ed25519 32 bytes, ML-KEM-768 1184 bytes). Generated
 * private keys are non-extractable unless `extractable` is asked for (only the account
 * identity is, so that it can be copied into a link message: docs/CRYPTO.md §10.3). The
 * `...FromPrivate` / `...FromSeed` importers take raw private keys (vectors, deterministic
 * tests, an identity received at linking) and return non-extractable keys unless asked.
 */

import { concat, toBytes } from './encoding.js';
import { ProtocolError, FormatError } from './errors.js';

const subtle = globalThis.crypto.subtle;

export const X25519_KEY_BYTES = 32;
export const ED25519_KEY_BYTES = 32;
export const ED25519_SIGNATURE_BYTES = 64;
export const MLKEM768_PUBLIC_KEY_BYTES = 1184;
export const MLKEM768_CIPHERTEXT_BYTES = 1088;
export const MLKEM768_SEED_BYTES = 64;
export const SHARED_SECRET_BYTES = 32;
export const AES_KEY_BYTES = 32;
export const GCM_NONCE_BYTES = 12;
export const GCM_TAG_BYTES = 16;

const MLKEM = { name: 'ML-KEM-768' };

/** PKCS#8 prefixes (RFC 8410) for a raw 32-byte X25519 / Ed25519 private key. */
const PKCS8_X25519 = Uint8Array.of(0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20);
const PKCS8_ED25519 = Uint8Array.of(0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20);

/** Ed25519 group order L, little-endian, for the S < L check. */
const ED25519_L = Uint8Array.of(
  0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10);

export function randomBytes(n) {
  const out = new Uint8Array(n);
  globalThis.crypto.getRandomValues(out);
  return out;
}

function checkLength(bytes, n, what) {
  const b = toBytes(bytes);
  if (b.length !== n) throw new FormatError(`${what}: expected ${n} bytes, got ${b.length}`);
  return b;
}

async function exportPublic(key, format) {
  return new Uint8Array(await subtle.exportKey(format, key));
}

// ---- X25519 (RFC 7748) ----

export async function x25519Generate({ extractable = false } = {}) {
  const pair = await subtle.generateKey({ name: 'X25519' }, extractable, ['deriveBits']);
  return { privateKey: pair.privateKey, publicKey: await exportPublic(pair.publicKey, 'raw') };
}

/** Test seam: a key pair from a raw 32-byte RFC 7748 private key. */
export async function x25519FromPrivate(raw, { extractable = false } = {}) {
  const pkcs8 = concat(PKCS8_X25519, checkLength(raw, 32, 'X25519 private key'));
  const privateKey = await subtle.importKey('pkcs8', pkcs8, { name: 'X25519' }, extractable, ['deriveBits']);
  const publicKey = await subtle.getPublicKey(privateKey, []);
  return { privateKey, publicKey: await exportPublic(publicKey, 'raw') };
}

/**
 * DH(a, B) = X25519(a, B). An all-zero output (low-order B) is an error, as is any public key
 * the platform refuses; nothing is derived from it.
 */
export async function x25519(privateKey, publicKeyBytes) {
  let pub;
  try {
    pub = await subtle.importKey('raw', checkLength(publicKeyBytes, 32, 'X25519 public key'), { name: 'X25519' }, true, []);
  } catch (e) {
    if (e instanceof ProtocolError) throw e;
    throw new FormatError('X25519 public key refused');
  }
  let out;
  try {
    out = new Uint8Array(await subtle.deriveBits({ name: 'X25519', public: pub }, privateKey, 256));
  } catch {
    throw new ProtocolError('low-order', 'X25519 refused the public key');
  }
  if (out.every((b) => b === 0)) throw new ProtocolError('low-order', 'X25519 output is all zero');
  return out;
}

/**
 * The raw private key of an extractable X25519 or Ed25519 key (RFC 7748 private key / RFC 8032
 * seed, 32 bytes), the inverse of `x25519FromPrivate` / `ed25519FromSeed`. A non-extractable
 * key is ProtocolError `not-extractable`.
 */
export async function exportRawPrivate(privateKey) {
  if (!privateKey.extractable) throw new ProtocolError('not-extractable', 'this private key cannot be exported');
  const prefix = privateKey.algorithm.name === 'Ed25519' ? PKCS8_ED25519 : PKCS8_X25519;
  const pkcs8 = new Uint8Array(await subtle.exportKey('pkcs8', privateKey));
  if (pkcs8.length !== prefix.length + 32 || !prefix.every((b, i) => pkcs8[i] === b)) {
    throw new ProtocolError('not-extractable', `unexpected PKCS#8 form of a ${privateKey.algorithm.name} key`);
  }
  return pkcs8.slice(prefix.length);
}

// ---- Ed25519 (RFC 8032, pure) ----

export async function ed25519Generate({ extractable = false } = {}) {
  const pair = await subtle.generateKey({ name: 'Ed25519' }, extractable, ['sign', 'verify']);
  return { privateKey: pair.privateKey, publicKey: await exportPublic(pair.publicKey, 'raw') };
}

/** Test seam: a key pair from a raw 32-byte RFC 8032 seed. */
export async function ed25519FromSeed(seed, { extractable = false } = {}) {
  const pkcs8 = concat(PKCS8_ED25519, checkLength(seed, 32, 'Ed25519 seed'));
  const privateKey = await subtle.importKey('pkcs8', pkcs8, { name: 'Ed25519' }, extractable, ['sign']);
  const publicKey = await subtle.getPublicKey(privateKey, ['verify']);
  return { privateKey, publicKey: await exportPublic(publicKey, 'raw') };
}

export async function ed25519Sign(privateKey, message) {
  return new Uint8Array(await subtle.sign({ name: 'Ed25519' }, privateKey, toBytes(message)));
}

/**
 * True only for a valid signature. Wrong lengths, keys the platform refuses and
 * non-canonical S (S >= L, the malleability of RFC 8032 §5.1.7) are false; the platform
 * additionally rejects non-canonical R and A encodings.
 */
export async function ed25519Verify(publicKeyBytes, message, signature) {
  const pub = toBytes(publicKeyBytes);
  const sig = toBytes(signature);
  if (pub.length !== ED25519_KEY_BYTES || sig.length !== ED25519_SIGNATURE_BYTES) return false;
  if (!scalarBelowL(sig.subarray(32))) return false;
  try {
    const key = await subtle.importKey('raw', pub, { name: 'Ed25519' }, false, ['verify']);
    return await subtle.verify({ name: 'Ed25519' }, key, sig, toBytes(message));
  } catch {
    return false;
  }
}

function scalarBelowL(s) {
  for (let i = 31; i >= 0; i--) {
    if (s[i] < ED25519_L[i]) return true;
    if (s[i] > ED25519_L[i]) return false;
  }
  return false;
}

// ---- Hashes, HKDF, HMAC ----

export async function sha256(data) {
  return new Uint8Array(await subtle.digest('SHA-256', toBytes(data)));
}

export async function sha512(data) {
  return new Uint8Array(await subtle.digest('SHA-512', toBytes(data)));
}

/** HKDF-SHA256(salt, ikm, info, length) per RFC 5869; length in bytes (1..8160). */
export async function hkdf(salt, ikm, info, length) {
  const key = await subtle.importKey('raw', toBytes(ikm), 'HKDF', false, ['deriveBits']);
  const bits = await subtle.deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: toBytes(salt), info: toBytes(info) }, key, length * 8);
  return new Uint8Array(bits);
}

/** HMAC-SHA256(key, message), 32 bytes. Web Crypto refuses empty keys. */
export async function hmac(key, message) {
  const [tag] = await hmacMany(key, [message]);
  return tag;
}

/** HMAC-SHA256 of several messages under one key (the key is imported once). */
export async function hmacMany(key, messages) {
  const k = await subtle.importKey('raw', toBytes(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const tags = await Promise.all(messages.map((m) => subtle.sign('HMAC', k, toBytes(m))));
  return tags.map((t) => new Uint8Array(t));
}

/** Constant-time HMAC-SHA256 verification of a full 32-byte tag (platform comparison). */
export async function hmacVerify(key, message, tag) {
  const k = await subtle.importKey('raw', toBytes(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  return subtle.verify('HMAC', k, toBytes(tag), toBytes(message));
}

// ---- AES-256-GCM ----

async function aesKey(key, usage) {
  return subtle.importKey('raw', checkLength(key, AES_KEY_BYTES, 'AES-256 key'), 'AES-GCM', false, [usage]);
}

/** AEAD_ENC(k, n, p, ad): AES-256-GCM, 12-byte nonce, returns ciphertext || 16-byte tag. */
export async function aesGcmEncrypt(key, nonce, plaintext, ad) {
  const k = await aesKey(key, 'encrypt');
  const out = await subtle.encrypt(
    { name: 'AES-GCM', iv: checkLength(nonce, GCM_NONCE_BYTES, 'GCM nonce'), additionalData: toBytes(ad), tagLength: 128 },
    k, toBytes(plaintext));
  return new Uint8Array(out);
}

/** Inverse of aesGcmEncrypt; an authentication failure is ProtocolError `decrypt-failed`. */
export async function aesGcmDecrypt(key, nonce, ciphertext, ad) {
  const k = await aesKey(key, 'decrypt');
  const ct = toBytes(ciphertext);
  if (ct.length < GCM_TAG_BYTES) throw new ProtocolError('decrypt-failed', 'ciphertext shorter than the tag');
  try {
    const out = await subtle.decrypt(
      { name: 'AES-GCM', iv: checkLength(nonce, GCM_NONCE_BYTES, 'GCM nonce'), additionalData: toBytes(ad), tagLength: 128 },
      k, ct);
    return new Uint8Array(out);
  } catch {
    throw new ProtocolError('decrypt-failed', 'AES-GCM authentication failed');
  }
}

// ---- ML-KEM-768 (FIPS 203) ----

export async function mlkemGenerate() {
  const pair = await subtle.generateKey(MLKEM, false, ['encapsulateBits', 'decapsulateBits']);
  return { privateKey: pair.privateKey, publicKey: await exportPublic(pair.publicKey, 'raw-public') };
}

/** Deterministic key pair from the 64-byte seed d || z (FIPS 203 ML-KEM.KeyGen_internal). */
export async function mlkemFromSeed(seed) {
  const privateKey = await subtle.importKey('raw-seed', checkLength(seed, MLKEM768_SEED_BYTES, 'ML-KEM seed'), MLKEM, false, ['decapsulateBits']);
  const publicKey = await subtle.getPublicKey(privateKey, ['encapsulateBits']);
  return { privateKey, publicKey: await exportPublic(publicKey, 'raw-public') };
}

/** Imports an encapsulation key; malformed keys (length, coefficients >= q) are `bad-format`. */
export async function mlkemImportPublic(publicKeyBytes) {
  try {
    return await subtle.importKey('raw-public', checkLength(publicKeyBytes, MLKEM768_PUBLIC_KEY_BYTES, 'ML-KEM public key'), MLKEM, true, ['encapsulateBits']);
  } catch (e) {
    if (e instanceof ProtocolError) throw e;
    throw new FormatError('ML-KEM public key refused');
  }
}

/** KEM.Encaps(pk) -> { ciphertext (1088), sharedSecret (32) }. */
export async function mlkemEncapsulate(publicKeyBytes) {
  const key = await mlkemImportPublic(publicKeyBytes);
  const out = await subtle.encapsulateBits(MLKEM, key);
  return { ciphertext: new Uint8Array(out.ciphertext), sharedSecret: new Uint8Array(out.sharedKey) };
}

/** KEM.Decaps(sk, ct) -> 32 bytes (implicit rejection yields a pseudo-random secret). */
export async function mlkemDecapsulate(privateKey, ciphertext) {
  const ct = checkLength(ciphertext, MLKEM768_CIPHERTEXT_BYTES, 'ML-KEM ciphertext');
  return new Uint8Array(await subtle.decapsulateBits(MLKEM, privateKey, ct));
}
