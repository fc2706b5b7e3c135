/**
 * Shared test vectors (test-vectors/README.md): builders that write each file from seeded
 * keys with recorded randomness, and verifiers that replay a file (written by this
 * implementation or by Java) and compare every produced byte.
 *
 * Common shapes (all binary values base64url without padding):
 * - a party: `{ username, signingKey (Ed25519 seed), dhKey (X25519 private),
 *   signedPreKey?: {id, privateKey}, oneTimePreKey?: {id, privateKey},
 *   kemPreKey?: {id, kind, seed (d || z)}, capabilities, x25519Keys: [], randomBytes: [], kem: [] }`
 *   where the last three lists are the randomness that party drew, in order;
 * - a payload: `{ type: "text" | "delivery" | "read" | "typing" | "content-key", sentAt, id,
 *   text | ids | typing | (key, digest) }`, or a sync payload (sync-payload.js's objects, the
 *   trust decision's identity as b64), or a group payload (groups-vectors.js), or a content
 *   payload (content-vectors.js), and `encoded` = its §4 bytes (unpadded); the
 *   ratchet plaintext is always pad(encoded).
 */

import { b64, unb64, utf8, equalBytes, hex } from '/web/js/protocol/encoding.js';
import { ProtocolError } from '/web/js/protocol/errors.js';
import { kdfRoot, kdfChain, messageKeys } from '/web/js/protocol/kdf.js';
import { ed25519Verify, ed25519Sign, x25519 } from '/web/js/protocol/primitives.js';
import { verifyBundle, KEM_KIND_ONE_TIME, KEM_KIND_LAST_RESORT } from '/web/js/protocol/keys.js';
import {
  SignatureLabel, identityBindingBytes, signedPreKeyBytes, kemPreKeyBytes, capabilitiesBytes, deviceListBytes,
} from '/web/js/wire/signed.js';
import { initiate, respond, parsePreKeyMessage } from '/web/js/protocol/pqxdh.js';
import { encodePayload, decodePayload, pad, unpad, bucketSize } from '/web/js/protocol/payload.js';
import { encryptFanOut, decryptFanOut, parseFanOut } from '/web/js/protocol/fanout.js';
import { fingerprint, safetyNumber, qrText } from '/web/js/protocol/safety.js';
import { Device, derive, seededEntropy, replayEntropy } from './support.js';
import { buildLink, verifyLink } from './link-vectors.js';
import { buildDevices, verifyDevices } from './devices-vectors.js';
import { buildGroups, verifyGroups, groupPayloadToJson, groupPayloadFromJson } from './groups-vectors.js';
import { buildContent, verifyContent, contentPayloadToJson, contentPayloadFromJson } from './content-vectors.js';
import { buildAttachments, verifyAttachments } from './attachments-vectors.js';

export const FILES = ['kdf.json', 'signatures.json', 'pqxdh.json', 'conversation.json', 'padding.json', 'fanout.json', 'safety.json', 'link.json', 'devices.json', 'groups.json', 'content.json', 'attachments.json'];

/** The caller time used for every decryption in the vectors (2026-01-01T00:00:00Z). */
const NOW = 1767225600000;

function same(actual, expected, what) {
  const a = actual instanceof Uint8Array ? actual : unb64(actual);
  const e = expected instanceof Uint8Array ? expected : unb64(expected);
  if (!equalBytes(a, e)) throw new Error(`${what}: expected ${hex(e).slice(0, 96)}..., got ${hex(a).slice(0, 96)}...`);
}

/** JSON with object keys sorted, so field order (which differs between writers) does not matter. */
function canonical(value) {
  return JSON.stringify(value, (key, v) => (v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v));
}

function sameValue(actual, expected, what) {
  if (canonical(actual) !== canonical(expected)) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

const asList = (v) => (Array.isArray(v) ? v : [v]);

// ---- payload JSON <-> payload objects ----

export function payloadToJson(p) {
  const out = { type: p.type, sentAt: p.sentAt, id: p.id };
  if (p.type === 'text') out.text = p.text;
  if (p.type === 'delivery' || p.type === 'read') out.ids = p.ids;
  if (p.type === 'typing') out.typing = p.typing;
  if (p.type === 'content-key') Object.assign(out, { key: b64(p.key), digest: b64(p.digest) });
  if (p.type === 'sent-transcript') Object.assign(out, { peer: p.peer, text: p.text });
  if (p.type === 'read-up-to') Object.assign(out, { peer: p.peer, readUpTo: p.readUpTo });
  if (p.type === 'trust-decision') Object.assign(out, { peer: p.peer, identity: b64(p.identity), state: p.state });
  if (p.type === 'device-linked') Object.assign(out, { deviceId: p.deviceId, linkedAt: p.linkedAt, name: p.name });
  if (p.type === 'history-chunk') Object.assign(out, { index: p.index, total: p.total, entries: p.entries });
  return contentPayloadToJson(p, groupPayloadToJson(p, out));
}

export function payloadFromJson(j) {
  const p = { ...j };
  if (j.type === 'content-key') Object.assign(p, { key: unb64(j.key), digest: unb64(j.digest) });
  if (j.type === 'trust-decision') p.identity = unb64(j.identity);
  return contentPayloadFromJson(j, groupPayloadFromJson(j, p));
}

// ---- parties ----

async function seededParty(seed, username, options) {
  const secrets = await Device.seededSecrets(seed, options);
  return { username, ...secrets };
}

function partySecrets(party) {
  const { username, x25519Keys, randomBytes, kem, ...secrets } = party;
  return secrets;
}

function recordInto(party, entropy) {
  Object.assign(party, { x25519Keys: entropy.recorded.x25519Keys, randomBytes: entropy.recorded.randomBytes, kem: entropy.recorded.kem });
}

/** The committed js file (its ML-KEM encapsulations are reused: Web Crypto cannot seed them), or null. */
async function committed(file) {
  try {
    const res = await fetch(`/vectors/js/${file}`);
    return res.ok ? await res.json() : null;
  } catch {
    return null;
  }
}

async function previousKem(file, party) {
  const json = await committed(file);
  if (!json) return [];
  const parties = [json.alice, json.bob, json.sender, ...(json.devices ?? [])].filter(Boolean);
  return parties.find((p) => p.username === party)?.kem ?? [];
}

// ---- kdf.json ----

export async function buildKdf() {
  const rk = await derive('kdf/rk', 32);
  const dhOut = await derive('kdf/dh', 32);
  const root = await kdfRoot(rk, dhOut);
  const chain = await kdfChain(root.chainKey);
  const keys = await messageKeys(chain.messageKey);
  return {
    rootKdf: { rk: b64(rk), dhOut: b64(dhOut), rootKey: b64(root.rootKey), chainKey: b64(root.chainKey) },
    chainKdf: { chainKey: b64(root.chainKey), messageKey: b64(chain.messageKey), nextChainKey: b64(chain.chainKey) },
    messageKeys: { messageKey: b64(chain.messageKey), aesKey: b64(keys.aesKey), nonce: b64(keys.nonce) },
  };
}

export async function verifyKdf(v) {
  for (const c of asList(v.rootKdf)) {
    const out = await kdfRoot(unb64(c.rk), unb64(c.dhOut));
    same(out.rootKey, c.rootKey, 'rootKdf.rootKey');
    same(out.chainKey, c.chainKey, 'rootKdf.chainKey');
  }
  for (const c of asList(v.chainKdf)) {
    const out = await kdfChain(unb64(c.chainKey));
    same(out.messageKey, c.messageKey, 'chainKdf.messageKey');
    same(out.chainKey, c.nextChainKey, 'chainKdf.nextChainKey');
  }
  for (const c of asList(v.messageKeys)) {
    const out = await messageKeys(unb64(c.messageKey));
    same(out.aesKey, c.aesKey, 'messageKeys.aesKey');
    same(out.nonce, c.nonce, 'messageKeys.nonce');
  }
}

// ---- signatures.json ----

export async function buildSignatures() {
  const party = await seededParty('signatures/device', 'signer');
  const device = await Device.fromSecrets('signer', party);
  const id = device.identity;
  const spk = device.currentSignedPreKey;
  const kem = [...device.kemPreKeys.values()][0];
  const caps = device.capabilities;
  const list = await signatureDeviceList();
  return {
    signer: partySecrets(party),
    identity: { signingKey: b64(id.signing.publicKey), dhKey: b64(id.dh.publicKey) },
    signatures: [
      { role: 'identity', label: SignatureLabel.IDENTITY_BINDING, signedBytes: b64(identityBindingBytes(id.dh.publicKey)), signature: b64(id.binding) },
      { role: 'signed-prekey', label: SignatureLabel.SIGNED_PREKEY, id: spk.id, key: b64(spk.keyPair.publicKey), signedBytes: b64(signedPreKeyBytes(spk.id, spk.keyPair.publicKey)), signature: b64(spk.signature) },
      { role: 'kem-prekey', label: SignatureLabel.KEM_PREKEY, id: kem.id, kind: kem.kind, key: b64(kem.keyPair.publicKey), signedBytes: b64(kemPreKeyBytes(kem.id, kem.kind, kem.keyPair.publicKey)), signature: b64(kem.signature) },
      { role: 'capabilities', label: SignatureLabel.CAPABILITIES, flags: caps.flags, signedBytes: b64(capabilitiesBytes(caps.flags)), signature: b64(caps.signature) },
      {
        role: 'device-list', label: SignatureLabel.DEVICE_LIST, ...list,
        signedBytes: b64(deviceListBytes(list)), signature: b64(await ed25519Sign(id.signing.privateKey, deviceListBytes(list))),
      },
    ],
  };
}

/** The signatures.json device list: three devices (the signature is over deviceListBytes). */
async function signatureDeviceList() {
  const devices = [];
  for (const [i, id] of [1, 2, 4].entries()) {
    devices.push({ id, key: b64(await derive(`signatures/device-key/${id}`, 32)), linkedAt: NOW - 1000 * (3 - i) });
  }
  return { version: 3, issuedAt: NOW, devices };
}

export async function verifySignatures(v) {
  const device = await Device.fromSecrets('signer', v.signer);
  const id = device.identity;
  same(id.signing.publicKey, v.identity.signingKey, 'identity.signingKey');
  same(id.dh.publicKey, v.identity.dhKey, 'identity.dhKey');
  const spk = device.currentSignedPreKey;
  const kem = [...device.kemPreKeys.values()][0];
  const roles = {
    identity: { label: SignatureLabel.IDENTITY_BINDING, bytes: identityBindingBytes(id.dh.publicKey), mine: id.binding },
    'signed-prekey': { label: SignatureLabel.SIGNED_PREKEY, bytes: signedPreKeyBytes(spk.id, spk.keyPair.publicKey), mine: spk.signature },
    'kem-prekey': { label: SignatureLabel.KEM_PREKEY, bytes: kemPreKeyBytes(kem.id, kem.kind, kem.keyPair.publicKey), mine: kem.signature },
    capabilities: { label: SignatureLabel.CAPABILITIES, bytes: capabilitiesBytes(device.capabilities.flags), mine: device.capabilities.signature },
  };
  for (const s of v.signatures) {
    if (s.role === 'device-list') {
      const list = { version: s.version, issuedAt: s.issuedAt, devices: s.devices };
      roles['device-list'] = {
        label: SignatureLabel.DEVICE_LIST, bytes: deviceListBytes(list), mine: await ed25519Sign(id.signing.privateKey, deviceListBytes(list)),
      };
    }
    const r = roles[s.role];
    if (!r) throw new Error(`unknown signature role ${s.role}`);
    if (r.label !== s.label) throw new Error(`${s.role}: label ${s.label}, expected ${r.label}`);
    same(r.bytes, s.signedBytes, `${s.role}: signed bytes`);
    same(r.mine, s.signature, `${s.role}: signature (Ed25519 is deterministic)`);
    if (!(await ed25519Verify(id.signing.publicKey, unb64(s.signedBytes), unb64(s.signature)))) throw new Error(`${s.role}: does not verify`);
  }
  const roleNames = v.signatures.map((s) => s.role).sort().join();
  if (roleNames !== 'capabilities,device-list,identity,kem-prekey,signed-prekey') {
    throw new Error(`expected the five roles an identity signs with, got ${roleNames}`);
  }
}

// ---- pqxdh.json ----

async function buildPqxdhCase(seed, { oneTime, kemKind, text, previous }) {
  const alice = await seededParty(`${seed}/alice`, 'alice', { oneTime: false });
  delete alice.signedPreKey;
  delete alice.kemPreKey;
  const bob = await seededParty(`${seed}/bob`, 'bob', { oneTime, kemKind });
  const aDev = await Device.fromSecrets('alice', alice);
  const bDev = await Device.fromSecrets('bob', bob);
  const bundle = bDev.bundle();
  const aEnt = await seededEntropy(`${seed}/alice/random`, previous?.alice?.kem ?? []);
  const bEnt = await seededEntropy(`${seed}/bob/random`);
  const hs = await initiate({ identity: aDev.identity, bundle: await verifyBundle(bundle), entropy: aEnt });
  const fresh = await seededEntropy(`${seed}/alice/random`, aEnt.recorded.kem);
  await aDev.initiate('bob', bundle, { entropy: fresh });
  const dh = await dhOutputs(aDev, bDev, hs.ephemeral);
  const payload = { type: 'text', sentAt: NOW, id: 'pqxdh-1', text };
  const encoded = encodePayload(payload);
  const message = await aDev.send('bob', pad(encoded));
  const got = await bDev.receive('alice', message, { now: NOW, entropy: bEnt });
  if (!equalBytes(unpad(got.plaintext), encoded)) throw new Error('generator self-check failed');
  recordInto(alice, fresh);
  recordInto(bob, bEnt);
  return {
    alice, bob, bundle,
    ephemeralKey: b64(hs.ephemeral.publicKey),
    kemCiphertext: b64(hs.header.kemCiphertext),
    dh: dh.map(b64),
    sk: b64(hs.sk), ad: b64(hs.ad),
    payload: payloadToJson(payload), encoded: b64(encoded), message: b64(message),
  };
}

/** DH1..DH4 from the private keys, independently of pqxdh.js (call before Bob consumes his OPK). */
async function dhOutputs(alice, bob, ephemeral) {
  const spk = bob.currentSignedPreKey.keyPair.publicKey;
  const dh = [
    await x25519(alice.identity.dh.privateKey, spk),
    await x25519(ephemeral.privateKey, bob.identity.dh.publicKey),
    await x25519(ephemeral.privateKey, spk),
  ];
  const opk = [...bob.oneTimePreKeys.values()][0];
  if (opk) dh.push(await x25519(ephemeral.privateKey, opk.keyPair.publicKey));
  return dh;
}

/** The main case has a one-time prekey and a one-time KEM prekey; the variant neither. */
export async function buildPqxdh() {
  const previous = await committed('pqxdh.json');
  const main = await buildPqxdhCase('pqxdh', { oneTime: true, kemKind: KEM_KIND_ONE_TIME, text: 'Hello Bob, this is the first message.', previous });
  const variant = await buildPqxdhCase('pqxdh-last-resort', {
    oneTime: false, kemKind: KEM_KIND_LAST_RESORT, text: 'No one-time prekeys were left.', previous: previous?.variants?.[0],
  });
  return { ...main, variants: [variant] };
}

async function verifyPqxdhCase(v, what) {
  const aDev = await Device.fromSecrets('alice', v.alice);
  const bDev = await Device.fromSecrets('bob', v.bob);
  sameValue(bDev.bundle(), v.bundle, `${what}: bundle from Bob's keys`);
  const bundle = await verifyBundle(v.bundle);
  const hs = await initiate({ identity: aDev.identity, bundle, entropy: replayEntropy(v.alice) });
  same(hs.ephemeral.publicKey, v.ephemeralKey, `${what}: ephemeral key`);
  if (v.dh !== undefined) {
    const dh = await dhOutputs(aDev, bDev, hs.ephemeral);
    if (dh.length !== v.dh.length) throw new Error(`${what}: ${v.dh.length} DH outputs, expected ${dh.length}`);
    dh.forEach((value, i) => same(value, v.dh[i], `${what}: DH${i + 1}`));
  }
  same(hs.sk, v.sk, `${what}: SK (initiator)`);
  same(hs.ad, v.ad, `${what}: AD`);
  const aEnt = replayEntropy(v.alice);
  await aDev.initiate('bob', v.bundle, { entropy: aEnt });
  const message = await aDev.send('bob', pad(unb64(v.encoded)));
  same(message, v.message, `${what}: PreKeyMessage`);
  if (aEnt.remaining() !== 0) throw new Error(`${what}: recorded randomness of Alice left unused`);
  const { header } = parsePreKeyMessage(unb64(v.message));
  same(header.kemCiphertext, v.kemCiphertext, `${what}: KEM ciphertext`);
  const resp = await respond({ identity: bDev.identity, capabilities: 0, prekeys: bDev.prekeys, header });
  same(resp.sk, v.sk, `${what}: SK (responder, real decapsulation)`);
  const got = await bDev.receive('alice', unb64(v.message), { now: NOW, entropy: replayEntropy(v.bob) });
  same(unpad(got.plaintext), v.encoded, `${what}: decrypted payload`);
  sameValue(payloadToJson(decodePayload(unpad(got.plaintext))), v.payload, `${what}: payload`);
}

export async function verifyPqxdh(v) {
  await verifyPqxdhCase(v, 'pqxdh');
  for (const [i, variant] of (v.variants ?? []).entries()) await verifyPqxdhCase(variant, `variants[${i}]`);
}

// ---- conversation.json ----

const SCRIPT = [
  ['encrypt', 'alice', 'm1', { type: 'text', text: 'Hi Bob!' }],
  ['encrypt', 'alice', 'm2', { type: 'text', text: 'Are you there?' }],
  ['decrypt', 'bob', 'm2'],
  ['decrypt', 'bob', 'm1'],
  ['encrypt', 'bob', 'm3', { type: 'delivery', ids: ['m1', 'm2'] }],
  ['encrypt', 'bob', 'm4', { type: 'text', text: 'Yes, here. Hello Alice.' }],
  ['decrypt', 'alice', 'm4'],
  ['encrypt', 'alice', 'm5', { type: 'typing', typing: true }],
  ['decrypt', 'alice', 'm3'],
  ['decrypt', 'bob', 'm5'],
  ['encrypt', 'bob', 'm6', { type: 'read', ids: ['m5'] }],
  ['decrypt', 'alice', 'm6'],
  ['encrypt', 'alice', 'm7', { type: 'text', text: 'Three in a row: one,' }],
  ['encrypt', 'alice', 'm8', { type: 'text', text: 'two,' }],
  ['encrypt', 'alice', 'm9', { type: 'text', text: 'three.' }],
  ['decrypt', 'bob', 'm9'],
  ['decrypt', 'bob', 'm7'],
  ['encrypt', 'bob', 'm10', { type: 'text', text: 'Got one and three; two is late.' }],
  ['decrypt', 'alice', 'm10'],
  ['decrypt', 'bob', 'm8'],
  ['encrypt', 'alice', 'm11', { type: 'typing', typing: false }],
  ['encrypt', 'alice', 'm12', { type: 'text', text: 'Bye for now 👋' }],
  ['decrypt', 'bob', 'm12'],
  ['decrypt', 'bob', 'm11'],
];

export async function buildConversation() {
  const alice = await seededParty('conversation/alice', 'alice', { oneTime: false });
  delete alice.signedPreKey;
  delete alice.kemPreKey;
  const bob = await seededParty('conversation/bob', 'bob');
  const devices = { alice: await Device.fromSecrets('alice', alice), bob: await Device.fromSecrets('bob', bob) };
  const bundle = devices.bob.bundle();
  const entropy = {
    alice: await seededEntropy('conversation/alice/random', await previousKem('conversation.json', 'alice')),
    bob: await seededEntropy('conversation/bob/random'),
  };
  await devices.alice.initiate('bob', bundle, { entropy: entropy.alice });
  const peers = { alice: 'bob', bob: 'alice' };
  const sent = new Map();
  const steps = [];
  let t = 0;
  for (const [op, party, id, body] of SCRIPT) {
    if (op === 'encrypt') {
      const payload = { ...body, sentAt: NOW + 1000 * ++t, id };
      const encoded = encodePayload(payload);
      const message = await devices[party].send(peers[party], pad(encoded));
      sent.set(id, { encoded, message });
      steps.push({ op, party, id, payload: b64(encoded), message: b64(message) });
    } else {
      const { encoded, message } = sent.get(id);
      const got = await devices[party].receive(peers[party], message, { now: NOW + 1000 * t, entropy: entropy[party] });
      if (!equalBytes(unpad(got.plaintext), encoded)) throw new Error(`generator self-check failed at ${id}`);
      steps.push({ op, party, id, payload: b64(encoded), now: NOW + 1000 * t });
    }
  }
  recordInto(alice, entropy.alice);
  recordInto(bob, entropy.bob);
  return { alice, bob, bundle, steps };
}

export async function verifyConversation(v) {
  const devices = { alice: await Device.fromSecrets('alice', v.alice), bob: await Device.fromSecrets('bob', v.bob) };
  const entropy = { alice: replayEntropy(v.alice), bob: replayEntropy(v.bob) };
  sameValue(devices.bob.bundle(), v.bundle, 'bundle from Bob\'s keys');
  await devices.alice.initiate('bob', v.bundle, { entropy: entropy.alice });
  const peers = { alice: 'bob', bob: 'alice' };
  const messages = new Map();
  let encrypts = 0;
  for (const step of v.steps) {
    const device = devices[step.party];
    if (step.op === 'encrypt') {
      const message = await device.send(peers[step.party], pad(unb64(step.payload)));
      same(message, step.message, `message ${step.id}`);
      messages.set(step.id, message);
      decodePayload(unb64(step.payload));
      encrypts += 1;
    } else if (step.op === 'decrypt') {
      const got = await device.receive(peers[step.party], messages.get(step.id), { now: step.now ?? NOW, entropy: entropy[step.party] });
      same(unpad(got.plaintext), step.payload, `plaintext ${step.id}`);
    } else {
      throw new Error(`unknown step ${step.op}`);
    }
  }
  if (encrypts < 10) throw new Error('a conversation vector has at least 10 messages');
  if (entropy.alice.remaining() + entropy.bob.remaining() !== 0) throw new Error('recorded randomness left unused');
}

// ---- padding.json ----

export async function buildPadding() {
  const base = { sentAt: NOW, id: 'pad-1' };
  const textOf = (encodedLength) => ({ ...base, type: 'text', text: 'x'.repeat(encodedLength - encodePayload({ ...base, type: 'text', text: '' }).length) });
  const payloads = [
    { ...base, type: 'text', text: 'hello' },
    { ...base, type: 'delivery', ids: ['m1', 'm2'] },
    { ...base, type: 'read', ids: ['m3'] },
    { ...base, type: 'typing', typing: true },
    { ...base, type: 'typing', typing: false },
    { ...base, type: 'content-key', key: await derive('padding/key', 32), digest: await derive('padding/digest', 32) },
    { ...base, type: 'sent-transcript', peer: 'bob', text: 'sent elsewhere \u00e9' },
    { ...base, type: 'read-up-to', peer: 'carol_2', readUpTo: NOW - 1 },
    { ...base, type: 'trust-decision', peer: 'bob', identity: await derive('padding/identity', 64), state: 'accepted-change' },
    { ...base, type: 'device-linked', deviceId: 255, linkedAt: NOW, name: 'T\u00e9l\u00e9phone' },
    {
      ...base, type: 'history-chunk', index: 0, total: 1, entries: [
        { direction: 'out', peer: 'bob', id: 'm-1', sentAt: NOW - 2, text: 'first' },
        { direction: 'in', peer: 'bob', id: 'm-2', sentAt: NOW - 1, text: '\ud83d\udc4b' }],
    },
    textOf(255), textOf(256), textOf(511), textOf(512), textOf(1023), textOf(1024), textOf(32767),
  ];
  return {
    tooLarge: [{ payload: payloadToJson(textOf(32768)), encodedLength: 32768 }],
    cases: payloads.map((p) => {
      const encoded = encodePayload(p);
      return { payload: payloadToJson(p), encoded: b64(encoded), padded: b64(pad(encoded)) };
    }),
  };
}

export async function verifyPadding(v) {
  for (const c of v.cases) {
    const p = payloadFromJson(c.payload);
    const encoded = encodePayload(p);
    same(encoded, c.encoded, `encoded ${c.payload.type} ${c.payload.id}`);
    same(pad(encoded), c.padded, `padded ${c.payload.type} (${encoded.length} bytes)`);
    same(unpad(unb64(c.padded)), c.encoded, 'unpad');
    sameValue(payloadToJson(decodePayload(unb64(c.encoded))), c.payload, 'decoded payload');
  }
  if (new Set(v.cases.map((c) => c.payload.type)).size < 10) throw new Error('padding vectors cover every type, the sync payloads included');
  for (const c of v.tooLarge ?? []) {
    const p = payloadFromJson(c.payload);
    if (p.type !== 'text') throw new Error('tooLarge cases are text payloads');
    const length = 1 + 1 + 8 + 1 + utf8(p.id).length + 4 + utf8(p.text).length;
    sameValue(length, c.encodedLength, `${p.id}: encoded length`);
    for (const [what, fn] of [['encodePayload', () => encodePayload(p)], ['bucketSize', () => bucketSize(length)]]) {
      let refused = false;
      try {
        fn();
      } catch (e) {
        refused = e instanceof ProtocolError && e.code === 'too-large';
      }
      if (!refused) throw new Error(`${p.id}: ${what} must refuse ${length} bytes with too-large`);
    }
  }
}

// ---- fanout.json ----

export async function buildFanOut() {
  const sender = await seededParty('fanout/alice', 'alice', { oneTime: false });
  delete sender.signedPreKey;
  delete sender.kemPreKey;
  const devices = [
    await seededParty('fanout/bob-1', 'bob-1', { spkId: 11, opkId: 101, kemId: 21 }),
    await seededParty('fanout/bob-2', 'bob-2', { spkId: 12, kemId: 22, oneTime: false, kemKind: KEM_KIND_LAST_RESORT }),
  ];
  const aDev = await Device.fromSecrets('alice', sender);
  const dDevs = await Promise.all(devices.map((d) => Device.fromSecrets(d.username, d)));
  const bundles = dDevs.map((d) => d.bundle());
  const aEnt = await seededEntropy('fanout/alice/random', await previousKem('fanout.json', 'alice'));
  for (let i = 0; i < 2; i++) await aDev.initiate(devices[i].username, bundles[i], { entropy: aEnt });
  const payload = { type: 'text', sentAt: NOW, id: 'fan-1', text: 'One message, two devices.' };
  const out = await encryptFanOut(devices.map((d) => aDev.record(d.username)), payload, { entropy: aEnt });
  const dEnts = [];
  for (let i = 0; i < 2; i++) {
    const ent = await seededEntropy(`fanout/${devices[i].username}/random`);
    const got = await decryptFanOut(dDevs[i].record('alice'), out.messages[i], dDevs[i].context(NOW, ent));
    if (got.payload.text !== payload.text) throw new Error('generator self-check failed');
    dEnts.push(ent);
  }
  recordInto(sender, aEnt);
  devices.forEach((d, i) => recordInto(d, dEnts[i]));
  const content = parseFanOut(out.messages[0]).content;
  return {
    sender, devices, bundles,
    payload: payloadToJson(payload), encoded: b64(encodePayload(payload)),
    contentKey: b64(out.key), content: b64(content), digest: b64(out.digest),
    messages: out.messages.map((m, i) => ({ device: devices[i].username, keyMessage: b64(parseFanOut(m).keyMessage), message: b64(m) })),
  };
}

export async function verifyFanOut(v) {
  const aDev = await Device.fromSecrets('alice', v.sender);
  const ent = replayEntropy(v.sender);
  for (let i = 0; i < v.devices.length; i++) {
    const d = await Device.fromSecrets(v.devices[i].username, v.devices[i]);
    sameValue(d.bundle(), v.bundles[i], `bundle of ${v.devices[i].username}`);
    await aDev.initiate(v.devices[i].username, v.bundles[i], { entropy: ent });
  }
  const payload = payloadFromJson(v.payload);
  same(encodePayload(payload), v.encoded, 'payload encoding');
  const out = await encryptFanOut(v.devices.map((d) => aDev.record(d.username)), payload, { entropy: ent });
  same(out.key, v.contentKey, 'content key');
  same(out.digest, v.digest, 'content digest');
  for (let i = 0; i < v.devices.length; i++) {
    same(out.messages[i], v.messages[i].message, `FanOutMessage to ${v.devices[i].username}`);
    same(parseFanOut(out.messages[i]).keyMessage, v.messages[i].keyMessage, 'key message');
    same(parseFanOut(out.messages[i]).content, v.content, 'content');
    const d = await Device.fromSecrets(v.devices[i].username, v.devices[i]);
    const got = await decryptFanOut(d.record('alice'), unb64(v.messages[i].message), d.context(NOW, replayEntropy(v.devices[i])));
    sameValue(payloadToJson(got.payload), v.payload, `payload at ${v.devices[i].username}`);
  }
}

// ---- safety.json ----

export async function buildSafety() {
  const cases = [];
  for (const [ua, ub] of [['alice', 'bob'], ['carol', 'dave']]) {
    const ia = (await Device.fromSecrets(ua, await Device.seededSecrets(`safety/${ua}`))).identity.publicIdentity;
    const ib = (await Device.fromSecrets(ub, await Device.seededSecrets(`safety/${ub}`))).identity.publicIdentity;
    const number = await safetyNumber(ia, ua, ib, ub);
    cases.push({
      a: { identity: b64(ia), username: ua, fingerprint: await fingerprint(ia, ua) },
      b: { identity: b64(ib), username: ub, fingerprint: await fingerprint(ib, ub) },
      safetyNumber: number, qrText: qrText(number),
    });
  }
  return { cases };
}

export async function verifySafety(v) {
  for (const c of v.cases) {
    const ia = unb64(c.a.identity);
    const ib = unb64(c.b.identity);
    sameValue(await fingerprint(ia, c.a.username), c.a.fingerprint, `fingerprint ${c.a.username}`);
    sameValue(await fingerprint(ib, c.b.username), c.b.fingerprint, `fingerprint ${c.b.username}`);
    sameValue(await safetyNumber(ia, c.a.username, ib, c.b.username), c.safetyNumber, 'safety number');
    sameValue(await safetyNumber(ib, c.b.username, ia, c.a.username), c.safetyNumber, 'safety number, other side');
    if (c.qrText !== undefined) sameValue(qrText(c.safetyNumber), c.qrText, 'QR text');
  }
}

export const BUILDERS = {
  'kdf.json': buildKdf, 'signatures.json': buildSignatures, 'pqxdh.json': buildPqxdh, 'conversation.json': buildConversation,
  'padding.json': buildPadding, 'fanout.json': buildFanOut, 'safety.json': buildSafety, 'link.json': buildLink,
  'devices.json': buildDevices, 'groups.json': buildGroups, 'content.json': buildContent, 'attachments.json': buildAttachments,
};

export const VERIFIERS = {
  'kdf.json': verifyKdf, 'signatures.json': verifySignatures, 'pqxdh.json': verifyPqxdh, 'conversation.json': verifyConversation,
  'padding.json': verifyPadding, 'fanout.json': verifyFanOut, 'safety.json': verifySafety, 'link.json': verifyLink,
  'devices.json': verifyDevices, 'groups.json': verifyGroups, 'content.json': verifyContent, 'attachments.json': verifyAttachments,
};

