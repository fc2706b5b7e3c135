/**
 * Test fixtures: devices with in-memory prekey stores, and entropy sources that are
 * deterministic (seeded, for vector generation) or replay recorded randomness (vector
 * verification), as test-vectors/README.md describes.
 */

import { utf8, b64, unb64 } from '/web/js/protocol/encoding.js';
 '/web/js/protocol/errors.js';
import {
  sha256, sha512, hkdf, x25519FromPrivate, ed25519FromSeed, mlkemFromSeed, mlkemEncapsulate,
} from '/web/js/protocol/primitives.js';
import {
  generateIdentity, identityFromKeyPairs, generateSignedPreKey, generateOneTimePreKeys, generateKemPreKey,
  signedPreKeyFromPair, kemPreKeyFromPair, signCapabilities, publicBundle, verifyBundle, KEM_KIND_LAST_RESORT, KEM_KIND_ONE_TIME,
} from '/web/js/protocol/keys.js';
import { emptyRecord, decryptMessage, encryptMessage, initiateSession } from '/web/js/protocol/session.js';
import { systemEntropy } from '/web/js/protocol/entropy.js';

/** Deterministic bytes: SHA-512(utf8(label)) truncated or SHA-256 for 32. */
export async function derive(label, length) {
  const h = length <= 32 ? await sha256(utf8(label)) : await sha512(utf8(label));
  if (length > h.length) throw new Error('derive: too long');
  return h.slice(0, length);
}

/**
 * Deterministic entropy for vector generation, recording what it hands out:
 * `recorded = { x25519Keys: [b64 private], randomBytes: [b64], kem: [{ciphertext, sharedSecret}] }`.
 * Encapsulations are taken from `kemReplay` when given (earlier committed vectors), else made
 * by the platform and recorded (Web Crypto encapsulation cannot be seeded).
 */
export async function seededEntropy(seed, kemReplay = []) {
  let counter = 0;
  let poolOffset = 0;
  const pool = await hkdf(new Uint8Array(32), utf8(seed), utf8('parley-test-random-pool'), 8160);
  const kemQueue = kemReplay.slice();
  const recorded = { x25519Keys: [], randomBytes: [], kem: [] };
  return {
    recorded,
    async x25519() {
      const raw = await derive(`${seed}/x25519/${counter++}`, 32);
      recorded.x25519Keys.push(b64(raw));
      return x25519FromPrivate(raw);
    },
    randomBytes(n) {
      if (poolOffset + n > pool.length) throw new Error('seeded entropy: random pool exhausted');
      const bytes = pool.slice(poolOffset, poolOffset + n);
      poolOffset += n;
      recorded.randomBytes.push(b64(bytes));
      return bytes;
    },
    async encapsulate(publicKey) {
      const next = kemQueue.shift();
      const out = next
        ? { ciphertext: unb64(next.ciphertext), sharedSecret: unb64(next.sharedSecret) }
        : await mlkemEncapsulate(publicKey);
      recorded.kem.push({ ciphertext: b64(out.ciphertext), sharedSecret: b64(out.sharedSecret) });
      return out;
    },
  };
}

/** Replays recorded randomness (the lists of test-vectors/README.md); running out is an error. */
export function replayEntropy({ x25519Keys = [], randomBytes = [], kem = [] } = {}) {
  const keys = x25519Keys.slice();
  const random = randomBytes.slice();
  const kems = kem.slice();
  return {
    remaining: () => keys.length + random.length + kems.length,
    async x25519() {
      if (keys.length === 0) throw new Error('replay: no recorded X25519 key left');
      return x25519FromPrivate(unb64(keys.shift()));
    },
    randomBytes(n) {
      if (random.length === 0) throw new Error('replay: no recorded random bytes left');
      const b = unb64(random.shift());
      if (b.length !== n) throw new Error(`replay: recorded ${b.length} random bytes, ${n} wanted`);
      return b;
    },
    async encapsulate() {
      if (kems.length === 0) throw new Error('replay: no recorded encapsulation left');
      const k = kems.shift();
      return { ciphertext: unb64(k.ciphertext), sharedSecret: unb64(k.sharedSecret) };
    },
  };
}

/**
 * A device with in-memory prekey stores. `bundle()` hands out a verified-able public bundle
 * the way the server would (taking the one-time keys it names off the published lists).
 */
export class Device {
  constructor(name, identity, capabilities) {
    this.name = name;
    this.identity = identity;
    this.capabilities = capabilities;
    this.signedPreKeys = new Map();
    this.oneTimePreKeys = new Map();
    this.kemPreKeys = new Map();
    this.records = new Map();
    this.published = { oneTime: [], kemOneTime: [] };
    this.prekeys = {
      signedPreKey: (id) => this.signedPreKeys.get(id),
      oneTimePreKey: (id) => this.oneTimePreKeys.get(id),
      kemPreKey: (id, kind) => this.kemPreKeys.get(`${kind}:${id}`),
    };
  }

  /**
   * A fresh device through the production key generators; `identity` makes it another device
   * of that identity's account (linked devices share the identity).
   */
  static async generate(name, { flags = 0, oneTime = 3, kemOneTime = 2, identity: shared = null } = {}) {
    const identity = shared ?? await generateIdentity();
    const d = new Device(name, identity, await signCapabilities(identity, flags));
    d.addSignedPreKey(await generateSignedPreKey(identity, 1));
    for (const k of await generateOneTimePreKeys(100, oneTime)) d.addOneTimePreKey(k);
    d.addKemPreKey(await generateKemPreKey(identity, 1, KEM_KIND_LAST_RESORT));
    for (let i = 0; i < kemOneTime; i++) d.addKemPreKey(await generateKemPreKey(identity, 200 + i, KEM_KIND_ONE_TIME));
    return d;
  }

  /**
   * A device from raw private keys in the vector form of test-vectors/README.md (all b64):
   * `{ signingKey (Ed25519 seed), dhKey, signedPreKey: {id, privateKey},
   *    oneTimePreKey?: {id, privateKey}, kemPreKey?: {id, kind, seed}, capabilities }`.
   */
  static async fromSecrets(name, secrets) {
    const identity = await identityFromKeyPairs(await ed25519FromSeed(unb64(secrets.signingKey)),
      await x25519FromPrivate(unb64(secrets.dhKey)));
    const d = new Device(name, identity, await signCapabilities(identity, secrets.capabilities ?? 0));
    d.secrets = secrets;
    if (secrets.signedPreKey) {
      d.addSignedPreKey(await signedPreKeyFromPair(identity, secrets.signedPreKey.id,
        await x25519FromPrivate(unb64(secrets.signedPreKey.privateKey))));
    }
    if (secrets.oneTimePreKey) {
      d.addOneTimePreKey({ id: secrets.oneTimePreKey.id, keyPair: await x25519FromPrivate(unb64(secrets.oneTimePreKey.privateKey)) });
    }
    if (secrets.kemPreKey) {
      d.addKemPreKey(await kemPreKeyFromPair(identity, secrets.kemPreKey.id, secrets.kemPreKey.kind,
        await mlkemFromSeed(unb64(secrets.kemPreKey.seed))));
    }
    return d;
  }

  /** Secrets (as fromSecrets takes them) derived from `seed`, for vector generation. */
  static async seededSecrets(seed, { spkId = 7, opkId = 42, kemId = 9, kemKind = KEM_KIND_ONE_TIME, oneTime = true } = {}) {
    const secrets = {
      signingKey: b64(await derive(`${seed}/identity-signing`, 32)),
      dhKey: b64(await derive(`${seed}/identity-dh`, 32)),
      signedPreKey: { id: spkId, privateKey: b64(await derive(`${seed}/signed-prekey`, 32)) },
      kemPreKey: { id: kemId, kind: kemKind, seed: b64(await derive(`${seed}/kem-prekey`, 64)) },
      capabilities: 0,
    };
    if (oneTime) secrets.oneTimePreKey = { id: opkId, privateKey: b64(await derive(`${seed}/one-time-prekey`, 32)) };
    return secrets;
  }

  addSignedPreKey(k) {
    this.signedPreKeys.set(k.id, k);
    this.currentSignedPreKey = k;
  }

  addOneTimePreKey(k) {
    this.oneTimePreKeys.set(k.id, k);
    this.published.oneTime.push(k);
  }

  addKemPreKey(k) {
    this.kemPreKeys.set(`${k.kind}:${k.id}`, k);
    if (k.kind === KEM_KIND_ONE_TIME) this.published.kemOneTime.push(k);
    else this.lastResort = k;
  }

  /** The bundle JSON of §1.2, taking a one-time prekey and one-time KEM prekey if any. */
  bundle({ oneTime = true } = {}) {
    const opk = oneTime ? this.published.oneTime.shift() : undefined;
    const kem = this.published.kemOneTime.shift() ?? this.lastResort;
    return publicBundle({
      identity: this.identity, capabilities: this.capabilities, signedPreKey: this.currentSignedPreKey,
      oneTimePreKey: opk, kemPreKey: kem,
    });
  }

  record(peer) {
    return this.records.get(peer) ?? emptyRecord();
  }

  async initiate(peer, bundleJson, { entropy = systemEntropy, platformHasKem = true } = {}) {
    const bundle = await verifyBundle(bundleJson, { allowMissingKem: !platformHasKem });
    const out = await initiateSession(this.record(peer), { identity: this.identity, bundle, entropy, platformHasKem });
    this.records.set(peer, out.record);
    return out;
  }

  async send(peer, plaintext) {
    const out = await encryptMessage(this.record(peer), plaintext);
    this.records.set(peer, out.record);
    return out.message;
  }

  context(now = 1_000_000, entropy = systemEntropy, devices = undefined) {
    return { identity: this.identity, capabilities: this.capabilities.flags, prekeys: this.prekeys, now, entropy, devices };
  }

  /** Decrypts, then stores the record and deletes used prekeys (only on success). `devices`: ctx.devices of session.js. */
  async receive(peer, message, { now = 1_000_000, entropy = systemEntropy, devices = undefined } = {}) {
    const out = await decryptMessage(this.record(peer), message, this.context(now, entropy, devices));
    this.records.set(peer, out.record);
    this.consume(out.preKeysUsed);
    return out;
  }

  consume(used) {
    if (!used) return;
    if (used.oneTimePreKeyId !== undefined) this.oneTimePreKeys.delete(used.oneTimePreKeyId);
    if (used.kemPreKey && used.kemPreKey.kind === KEM_KIND_ONE_TIME) this.kemPreKeys.delete(`${used.kemPreKey.kind}:${used.kemPreKey.id}`);
  }
}

export const text = (s) => utf8(s);
export const untext = (b) => new TextDecoder().decode(b);

/** A comparable snapshot of any state (bytes as hex, CryptoKeys by identity marker). */
export function snapshot(value) {
  const keys = new Map();
  const walk = (v) => {
    if (v instanceof Uint8Array) return `bytes:${b64(v)}`;
    if (v instanceof CryptoKey) {
      if (!keys.has(v)) keys.set(v, keys.size);
      return `key:${keys.get(v)}:${v.type}`;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, walk(v[k])]));
    return v;
  };
  return JSON.stringify(walk(value));
}

export function flipBit(bytes, bit) {
  const out = bytes.slice();
  out[bit >> 3] ^= 1 << (bit & 7);
  return out;
}

