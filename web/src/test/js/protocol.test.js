/**
 * Protocol behaviour in Chromium: agreement, simultaneous initiation, serialization, and the
 * negative tests (signature bit flips, corrupted first message, MAX_SKIP,
 * replay, tampering, downgrade).
 */

import { createSuite, assert, assertEqual, assertBytes, assertRejects } from './harness.js';
import { Device, text, untext, snapshot, flipBit } from './support.js';
import { b64, unb64, concat, compareBytes } from '/web/js/protocol/encoding.js';
import { x25519, x25519Generate, ed25519Verify } from '/web/js/protocol/primitives.js';
import { verifyBundle, signedPreKeyFromPair, publicBundle, CAP_ACCEPTS_X3DH } from '/web/js/protocol/keys.js';
import { decryptMessage, emptyRecord, restoreRecord, canEncrypt, encryptMessage, initiateSession } from '/web/js/protocol/session.js';
import { MODE_X3DH, parsePreKeyMessage } from '/web/js/protocol/pqxdh.js';
import { MAX_SKIP, MAX_SKIPPED_KEYS, SKIPPED_KEY_TTL_MS } from '/web/js/protocol/limits.js';
import { encodePayload, decodePayload, unpad, sealPayload, openPayload, bucketSize } from '/web/js/protocol/payload.js';
import { encryptFanOut, decryptFanOut, parseFanOut, encodeFanOut } from '/web/js/protocol/fanout.js';
import { signAuth } from '/web/js/protocol/keys.js';
import { authBytes } from '/web/js/wire/signed.js';
import { encryptPayload, decryptEnvelope } from '/web/js/protocol/envelope.js';
import { fingerprint, safetyNumber, qrText, groupDigits, matchesQrText } from '/web/js/protocol/safety.js';

const { test, run } = createSuite();
export { run };

/** Alice and Bob with a session: Alice initiated, Bob has received `first`. */
async function establish() {
  const alice = await Device.generate('alice');
  const bob = await Device.generate('bob');
  await alice.initiate('bob', bob.bundle());
  const first = await alice.send('bob', text('hello bob'));
  const got = await bob.receive('alice', first);
  assertEqual(untext(got.plaintext), 'hello bob', 'first message');
  return { alice, bob };
}

async function expectUnchanged(device, peer, fn, code, what) {
  const before = snapshot(device.record(peer));
  const record = device.record(peer);
  await assertRejects(() => fn(record), code, what);
  assertEqual(snapshot(record), before, `${what}: record unchanged`);
}

// ---- encoding ----

test('base64url round trip and strictness', async () => {
  for (let n = 0; n < 40; n++) {
    const b = crypto.getRandomValues(new Uint8Array(n));
    assertBytes(unb64(b64(b)), b, `length ${n}`);
  }
  assertEqual(b64(Uint8Array.of(0xfb, 0xff)), '-_8', 'url alphabet');
  for (const bad of ['AA==', 'A', '+/8', 'AB', 'A B']) {
    await assertRejects(() => unb64(bad), 'bad-format', `refuses ${bad}`);
  }
});

// ---- agreement ----

test('Alice and Bob agree: out of order, ratchet turns, prekey messages', async () => {
  const alice = await Device.generate('alice');
  const bob = await Device.generate('bob');
  const bundle = bob.bundle();
  const opkId = bundle.oneTimePreKey.id;
  await alice.initiate('bob', bundle);
  const a = [];
  for (let i = 0; i < 3; i++) a.push(await alice.send('bob', text(`a${i}`)));
  for (const m of a) assertEqual(m[0], 0x01, 'PreKeyMessages until a reply');
  // Out of order: the third first, then the others (all PreKeyMessages of one handshake).
  assertEqual(untext((await bob.receive('alice', a[2])).plaintext), 'a2', 'a2');
  assert(!bob.oneTimePreKeys.has(opkId), 'one-time prekey consumed on success');
  const r0 = await bob.receive('alice', a[0]);
  assertEqual(untext(r0.plaintext), 'a0', 'a0');
  assertEqual(r0.established, false, 'later PreKeyMessages reuse the session');
  assertEqual(untext((await bob.receive('alice', a[1])).plaintext), 'a1', 'a1');

  // Ratchet turns with reordering inside chains.
  const b = [await bob.send('alice', text('b0')), await bob.send('alice', text('b1'))];
  assertEqual(b[0][0], 0x02, 'responder sends RatchetMessages');
  assertEqual(untext((await alice.receive('bob', b[1])).plaintext), 'b1', 'b1');
  const a3 = await alice.send('bob', text('a3'));
  assertEqual(a3[0], 0x02, 'no PreKeyMessage after a reply');
  assertEqual(untext((await alice.receive('bob', b[0])).plaintext), 'b0', 'b0 late');
  const a4 = await alice.send('bob', text('a4'));
  assertEqual(untext((await bob.receive('alice', a4)).plaintext), 'a4', 'a4');
  assertEqual(untext((await bob.receive('alice', a3)).plaintext), 'a3', 'a3 late');
  for (let turn = 0; turn < 4; turn++) {
    const x = await bob.send('alice', text(`b-turn${turn}`));
    assertEqual(untext((await alice.receive('bob', x)).plaintext), `b-turn${turn}`, 'bob turn');
    const y = await alice.send('bob', text(`a-turn${turn}`));
    assertEqual(untext((await bob.receive('alice', y)).plaintext), `a-turn${turn}`, 'alice turn');
  }
  assertBytes(bob.record('alice').current.remoteIdentity, alice.identity.publicIdentity, 'Bob learned IK_A');
});

test('private keys are non-extractable, except the identity (copied at linking)', async () => {
  const d = await Device.generate('d');
  for (const key of [d.currentSignedPreKey.keyPair.privateKey,
    d.lastResort.keyPair.privateKey, d.published.oneTime[0].keyPair.privateKey]) {
    assertEqual(key.extractable, false, `${key.algorithm.name} private key`);
  }
  assertEqual(d.identity.signing.privateKey.extractable, true, 'identity signing key');
  assertEqual(d.identity.dh.privateKey.extractable, true, 'identity DH key');
  const { alice } = await establish();
  assertEqual(alice.record('bob').current.ratchet.dhs.privateKey.extractable, false, 'ratchet key');
});

test('simultaneous initiation converges on the smaller initiator identity', async () => {
  const alice = await Device.generate('alice');
  const bob = await Device.generate('bob');
  await alice.initiate('bob', bob.bundle());
  await bob.initiate('alice', alice.bundle());
  const fromAlice = await alice.send('bob', text('hi from alice'));
  const fromBob = await bob.send('alice', text('hi from bob'));
  assertEqual(untext((await bob.receive('alice', fromAlice)).plaintext), 'hi from alice', 'bob reads');
  assertEqual(untext((await alice.receive('bob', fromBob)).plaintext), 'hi from bob', 'alice reads');
  const smaller = compareBytes(alice.identity.publicIdentity, bob.identity.publicIdentity) < 0 ? alice : bob;
  const ca = alice.record('bob').current;
  const cb = bob.record('alice').current;
  assertBytes(ca.baseKey, cb.baseKey, 'both sides chose the same session');
  assertBytes(ca.initiatorIdentity, smaller.identity.publicIdentity, 'the smaller IK initiated it');
  assertEqual(alice.record('bob').archived.length, 1, 'alice archived the other session');
  // One message each way, then everything flows on the chosen session.
  for (let i = 0; i < 3; i++) {
    const x = await alice.send('bob', text(`a${i}`));
    assertEqual(untext((await bob.receive('alice', x)).plaintext), `a${i}`, `a${i}`);
    const y = await bob.send('alice', text(`b${i}`));
    assertEqual(untext((await alice.receive('bob', y)).plaintext), `b${i}`, `b${i}`);
  }
  assertBytes(alice.record('bob').current.baseKey, bob.record('alice').current.baseKey, 'still converged');
});

test('a peer that starts afresh becomes current (Signal behaviour)', async () => {
  const { alice, bob } = await establish();
  const reply = await bob.send('alice', text('reply'));
  await alice.receive('bob', reply);
  bob.records.delete('alice');
  await bob.initiate('alice', alice.bundle());
  const fresh = await bob.send('alice', text('fresh'));
  const got = await alice.receive('bob', fresh);
  assertEqual(got.established, true, 'new session');
  assertBytes(alice.record('bob').current.baseKey, bob.record('alice').current.baseKey, 'alice switched');
  const back = await alice.send('bob', text('back'));
  assertEqual(untext((await bob.receive('alice', back)).plaintext), 'back', 'bob reads');
});

test('session record survives structured clone and IndexedDB', async () => {
  const { alice, bob } = await establish();
  const db = await new Promise((resolve, reject) => {
    const req = indexedDB.open(`parley-test-${crypto.randomUUID()}`, 1);
    req.onupgradeneeded = () => req.result.createObjectStore('sessions');
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  const put = (key, value) => new Promise((resolve, reject) => {
    const tx = db.transaction('sessions', 'readwrite');
    tx.objectStore('sessions').put(value, key);
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  const get = (key) => new Promise((resolve, reject) => {
    const req = db.transaction('sessions').objectStore('sessions').get(key);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  const m = await bob.send('alice', text('before'));
  await put('alice->bob', alice.record('bob'));
  await put('bob->alice', structuredClone(bob.record('alice')));
  alice.records.set('bob', restoreRecord(await get('alice->bob')));
  bob.records.set('alice', restoreRecord(await get('bob->alice')));
  assertEqual(untext((await alice.receive('bob', m)).plaintext), 'before', 'decrypt after reload');
  for (let i = 0; i < 3; i++) {
    const x = await alice.send('bob', text(`x${i}`));
    assertEqual(untext((await bob.receive('alice', x)).plaintext), `x${i}`, 'after reload');
    await put('a', alice.record('bob'));
    alice.records.set('bob', restoreRecord(await get('a')));
  }
  db.close();
  await assertRejects(() => restoreRecord({ ...alice.record('bob'), version: 2 }), 'unknown-version', 'future version');
});

// ---- negative tests ----

test('every bit of a signed-prekey signature flipped is refused', async () => {
  const bob = await Device.generate('bob');
  const bundle = bob.bundle();
  await verifyBundle(bundle);
  const sig = unb64(bundle.signedPreKey.signature);
  for (let bit = 0; bit < 512; bit++) {
    const forged = structuredClone(bundle);
    forged.signedPreKey.signature = b64(flipBit(sig, bit));
    await assertRejects(() => verifyBundle(forged), 'bad-signature', `bit ${bit}`);
  }
});

test('every bit of the signed prekey itself, its id, the binding, KEM and capability signatures', async () => {
  const bob = await Device.generate('bob');
  const bundle = bob.bundle();
  const key = unb64(bundle.signedPreKey.key);
  for (let bit = 0; bit < 256; bit++) {
    const forged = structuredClone(bundle);
    forged.signedPreKey.key = b64(flipBit(key, bit));
    await assertRejects(() => verifyBundle(forged), 'bad-signature', `key bit ${bit}`);
  }
  const forgedId = structuredClone(bundle);
  forgedId.signedPreKey.id += 1;
  await assertRejects(() => verifyBundle(forgedId), 'bad-signature', 'id changed');
  const fields = [['identity', 'binding'], ['kemPreKey', 'signature'], ['capabilities', 'signature']];
  for (const [obj, field] of fields) {
    const sig = unb64(bundle[obj][field]);
    for (let bit = 0; bit < 512; bit += 7) {
      const forged = structuredClone(bundle);
      forged[obj][field] = b64(flipBit(sig, bit));
      await assertRejects(() => verifyBundle(forged), 'bad-signature', `${obj}.${field} bit ${bit}`);
    }
  }
  const kemAsLastResort = structuredClone(bundle);
  kemAsLastResort.kemPreKey.kind = kemAsLastResort.kemPreKey.kind === 'one-time' ? 'last-resort' : 'one-time';
  await assertRejects(() => verifyBundle(kemAsLastResort), 'bad-signature', 'KEM kind is signed');
  const flags = structuredClone(bundle);
  flags.capabilities.flags = CAP_ACCEPTS_X3DH;
  await assertRejects(() => verifyBundle(flags), 'bad-signature', 'capabilities are signed');
  const swapped = structuredClone(bundle);
  swapped.signedPreKey.signature = bundle.kemPreKey.signature;
  await assertRejects(() => verifyBundle(swapped), 'bad-signature', 'signature from another role');
});

test('a corrupted first message consumes nothing and stores nothing', async () => {
  const alice = await Device.generate('alice');
  const bob = await Device.generate('bob');
  const bundle = bob.bundle();
  const opkId = bundle.oneTimePreKey.id;
  const kemKey = `${bundle.kemPreKey.kind}:${bundle.kemPreKey.id}`;
  await alice.initiate('bob', bundle);
  const good = await alice.send('bob', text('first'));
  const positions = [1, 3, 40, 100, 140, 170, 171, 175, 180, 181, 500, 1300, good.length - 60, good.length - 20, good.length - 1];
  for (const pos of positions) {
    const bad = good.slice();
    bad[pos] ^= 0x01;
    await assertRejects(() => bob.receive('alice', bad), null, `byte ${pos}`);
    assert(bob.oneTimePreKeys.has(opkId), `OPK kept after corruption at ${pos}`);
    assert(bob.kemPreKeys.has(kemKey), `KEM prekey kept after corruption at ${pos}`);
    assert(!bob.records.has('alice'), `no session stored after corruption at ${pos}`);
  }
  await assertRejects(() => bob.receive('alice', good.slice(0, good.length - 1)), null, 'truncated');
  assert(bob.oneTimePreKeys.has(opkId), 'OPK kept after truncation');
  assertEqual(untext((await bob.receive('alice', good)).plaintext), 'first', 'the real message still works');
  assert(!bob.oneTimePreKeys.has(opkId), 'OPK consumed now');
  assert(!bob.kemPreKeys.has(kemKey), 'one-time KEM prekey consumed now');
  // A new handshake naming the consumed OPK fails, and the stored session is untouched.
  const mallory = await Device.generate('mallory');
  await mallory.initiate('bob', bundle);
  const again = await mallory.send('bob', text('reuse'));
  await expectUnchanged(bob, 'alice', (r) => decryptMessage(r, again, bob.context()), 'unknown-prekey', 'consumed OPK');
});

test('unknown signed prekey id and low-order keys are refused', async () => {
  const alice = await Device.generate('alice');
  const bob = await Device.generate('bob');
  await alice.initiate('bob', bob.bundle());
  const m = await alice.send('bob', text('x'));
  const bad = m.slice();
  bad[165] ^= 0x01; // spk_id is the u32 at offset 1 + 1 + 32 + 32 + 64 + 32 = 162
  await assertRejects(() => bob.receive('alice', bad), 'unknown-prekey', 'unknown spk id');
  const zero = new Uint8Array(32);
  const k = await x25519Generate();
  await assertRejects(() => x25519(k.privateKey, zero), 'low-order', 'zero point');
  const one = new Uint8Array(32);
  one[0] = 1;
  await assertRejects(() => x25519(k.privateKey, one), 'low-order', 'point of order 1');
  // A properly signed low-order signed prekey still yields no session.
  const lowSpk = await signedPreKeyFromPair(bob.identity, 99, { privateKey: k.privateKey, publicKey: one });
  const json = publicBundle({ identity: bob.identity, capabilities: bob.capabilities, signedPreKey: lowSpk, kemPreKey: bob.lastResort });
  await assertRejects(() => alice.initiate('bob2', json), 'low-order', 'low-order SPK');
});

async function sendMany(device, peer, count) {
  const out = [];
  for (let i = 0; i < count; i++) out.push(await device.send(peer, text(`m${i}`)));
  return out;
}

test('a jump past MAX_SKIP is refused; exactly MAX_SKIP is accepted', async () => {
  const { alice, bob } = await establish();
  const msgs = await sendMany(alice, 'bob', MAX_SKIP + 2);
  // Bob has received n=0 of this chain; msgs[i] has n = i + 1.
  await expectUnchanged(bob, 'alice', (r) => decryptMessage(r, msgs[MAX_SKIP + 1], bob.context()), 'too-many-skipped', 'skip 1001');
  assertEqual(untext((await bob.receive('alice', msgs[MAX_SKIP])).plaintext), `m${MAX_SKIP}`, 'skip exactly 1000');
  assertEqual(bob.record('alice').current.ratchet.skipped.length, MAX_SKIP, 'skipped keys stored');
  assertEqual(untext((await bob.receive('alice', msgs[5])).plaintext), 'm5', 'skipped key used');
  assertEqual(untext((await bob.receive('alice', msgs[MAX_SKIP + 1])).plaintext), `m${MAX_SKIP + 1}`, 'next in order');
  // The previous-chain length (PN) is bounded the same way.
  const { alice: a2, bob: b2 } = await establish();
  await sendMany(a2, 'bob', MAX_SKIP + 1);
  const reply = await b2.send('alice', text('turn'));
  await a2.receive('bob', reply);
  const next = await a2.send('bob', text('new chain'));
  await expectUnchanged(b2, 'alice', (r) => decryptMessage(r, next, b2.context()), 'too-many-skipped', 'PN jump');
});

test('a message number beyond MAX_MESSAGE_NUMBER is refused', async () => {
  const { alice, bob } = await establish();
  await alice.receive('bob', await bob.send('alice', text('reply')));
  const message = await alice.send('bob', text('ratchet message'));
  assertEqual(message[0], 0x02, 'a plain ratchet message once the session is answered');
  const tampered = message.slice();
  tampered.set([0xff, 0xff, 0xff, 0xff], 1 + 32 + 4); // kind, DHs, PN, then N
  await expectUnchanged(bob, 'alice', (r) => decryptMessage(r, tampered, bob.context()), 'too-large', 'N = 2^32 - 1');
});

test('replay is refused and changes nothing', async () => {
  const { alice, bob } = await establish();
  const m1 = await alice.send('bob', text('one'));
  const m2 = await alice.send('bob', text('two'));
  await bob.receive('alice', m2);
  await bob.receive('alice', m1);
  await expectUnchanged(bob, 'alice', (r) => decryptMessage(r, m1, bob.context()), 'duplicate', 'skipped-key replay');
  await expectUnchanged(bob, 'alice', (r) => decryptMessage(r, m2, bob.context()), 'duplicate', 'in-order replay');
  // A replayed message from an old chain after a ratchet turn.
  await alice.receive('bob', await bob.send('alice', text('turn')));
  const m3 = await alice.send('bob', text('three'));
  await bob.receive('alice', m3);
  await expectUnchanged(bob, 'alice', (r) => decryptMessage(r, m2, bob.context()), null, 'old-chain replay');
  // The first PreKeyMessage replayed after the session exists.
  const alice2 = await Device.generate('alice2');
  const bob2 = await Device.generate('bob2');
  await alice2.initiate('bob', bob2.bundle());
  const pk = await alice2.send('bob', text('pk'));
  await bob2.receive('alice', pk);
  await expectUnchanged(bob2, 'alice', (r) => decryptMessage(r, pk, bob2.context()), 'duplicate', 'PreKeyMessage replay');
  const after = await alice2.send('bob', text('after'));
  assertEqual(untext((await bob2.receive('alice', after)).plaintext), 'after', 'session still works');
});

test('tampered header, ciphertext and associated data are refused', async () => {
  const { alice, bob } = await establish();
  await alice.receive('bob', await bob.send('alice', text('turn')));
  const m = await alice.send('bob', text('tamper me'));
  for (let pos = 1; pos < m.length; pos++) {
    const bad = m.slice();
    bad[pos] ^= 0x80;
    await expectUnchanged(bob, 'alice', (r) => decryptMessage(r, bad, bob.context()), null, `byte ${pos}`);
  }
  await expectUnchanged(bob, 'alice', (r) => decryptMessage(r, m.slice(0, 50), bob.context()), 'bad-format', 'truncated');
  const record = bob.record('alice');
  const wrongAd = { ...record, current: { ...record.current, ad: flipBit(record.current.ad, 5) } };
  await assertRejects(() => decryptMessage(wrongAd, m, bob.context()), 'decrypt-failed', 'wrong AD');
  assertEqual(untext((await bob.receive('alice', m)).plaintext), 'tamper me', 'original still decrypts');
});

test('skipped keys expire after the TTL (caller time)', async () => {
  const { alice, bob } = await establish();
  const msgs = await sendMany(alice, 'bob', 3);
  await bob.receive('alice', msgs[2], { now: 1_000_000 });
  assertEqual(bob.record('alice').current.ratchet.skipped.length, 2, 'two skipped');
  assertEqual(untext((await bob.receive('alice', msgs[0], { now: 1_000_000 + SKIPPED_KEY_TTL_MS })).plaintext), 'm0', 'at the TTL');
  await assertRejects(() => bob.receive('alice', msgs[1], { now: 1_000_001 + SKIPPED_KEY_TTL_MS }), null, 'after the TTL');
});

test('skipped keys are capped, oldest evicted first', async () => {
  const { alice, bob } = await establish();
  const chain1 = await sendMany(alice, 'bob', MAX_SKIP + 1);
  await bob.receive('alice', chain1[MAX_SKIP]);
  await alice.receive('bob', await bob.send('alice', text('turn1')));
  const chain2 = await sendMany(alice, 'bob', MAX_SKIP + 1);
  await bob.receive('alice', chain2[MAX_SKIP]);
  assertEqual(bob.record('alice').current.ratchet.skipped.length, MAX_SKIPPED_KEYS, 'at the cap');
  await alice.receive('bob', await bob.send('alice', text('turn2')));
  const chain3 = await sendMany(alice, 'bob', 2);
  await bob.receive('alice', chain3[1]);
  assertEqual(bob.record('alice').current.ratchet.skipped.length, MAX_SKIPPED_KEYS, 'still at the cap');
  await assertRejects(() => bob.receive('alice', chain1[0]), null, 'oldest evicted');
  assertEqual(untext((await bob.receive('alice', chain1[1])).plaintext), 'm1', 'second oldest kept');
  assertEqual(untext((await bob.receive('alice', chain3[0])).plaintext), 'm0', 'newest kept');
});

test('X3DH downgrade is refused without signed consent', async () => {
  const alice = await Device.generate('alice');
  const bob = await Device.generate('bob');
  // Bob publishes flags = 0: an initiator without ML-KEM cannot talk to him.
  await assertRejects(() => alice.initiate('bob', bob.bundle(), { platformHasKem: false }), 'downgrade', 'no consent');
  // A server that strips the KEM prekey gets the bundle refused.
  const stripped = bob.bundle();
  delete stripped.kemPreKey;
  await assertRejects(() => verifyBundle(stripped), 'bad-format', 'KEM prekey missing');
  const strippedVerified = await verifyBundle(stripped, { allowMissingKem: true });
  await assertRejects(() => initiateSession(emptyRecord(), { identity: alice.identity, bundle: strippedVerified }), 'downgrade',
    'initiator with ML-KEM never drops to X3DH');
  // An X3DH message made against a consenting bundle is refused by a device whose own flags are 0.
  const lenient = await Device.generate('lenient', { flags: CAP_ACCEPTS_X3DH });
  await alice.initiate('lenient', lenient.bundle(), { platformHasKem: false });
  const x3dh = await alice.send('lenient', text('x3dh'));
  assertEqual(parsePreKeyMessage(x3dh).header.mode, MODE_X3DH, 'mode 0x02');
  const strictCtx = { ...lenient.context(), capabilities: 0 };
  await assertRejects(() => decryptMessage(emptyRecord(), x3dh, strictCtx), 'downgrade', 'strict responder');
  // With consent, X3DH works.
  assertEqual(untext((await lenient.receive('alice', x3dh)).plaintext), 'x3dh', 'consenting responder');
  // Rewriting the mode byte of a PQXDH message is refused too.
  await alice.initiate('bob', bob.bundle());
  const pq = await alice.send('bob', text('pq'));
  const rewritten = pq.slice();
  rewritten[1] = MODE_X3DH;
  await assertRejects(() => bob.receive('alice', rewritten), null, 'mode rewritten');
  assertEqual(untext((await bob.receive('alice', pq)).plaintext), 'pq', 'original works');
});

test('an empty record cannot encrypt; a responder can after receiving', async () => {
  await assertRejects(() => encryptMessage(emptyRecord(), text('x')), 'no-session', 'empty record');
  const { bob } = await establish();
  assert(canEncrypt(bob.record('alice')), 'responder can send after the first message');
});

// ---- payloads, fan-out, safety numbers ----

test('payload types round trip; padding buckets', async () => {
  const samples = [
    { type: 'text', sentAt: 1700000000000, id: 'm-1', text: 'héllo 👋' },
    { type: 'delivery', sentAt: 1, id: 'r', ids: ['a', 'b', 'c'] },
    { type: 'read', sentAt: 2, id: 'r2', ids: [] },
    { type: 'typing', sentAt: 3, id: 't', typing: true },
    { type: 'typing', sentAt: 4, id: 't2', typing: false },
    { type: 'content-key', sentAt: 5, id: 'k', key: new Uint8Array(32).fill(1), digest: new Uint8Array(32).fill(2) },
  ];
  for (const p of samples) {
    const back = openPayload(sealPayload(p));
    assertEqual(snapshot(back), snapshot(p), p.type);
    assertEqual(sealPayload(p).length, 256, `${p.type} in the smallest bucket`);
  }
  assertEqual(bucketSize(255), 256, '255 + 1 fits 256');
  assertEqual(bucketSize(256), 512, '256 + 1 needs 512');
  assertEqual(bucketSize(32767), 32768, 'top bucket');
  await assertRejects(() => bucketSize(32768), 'too-large', 'over the top bucket');
  await assertRejects(() => encodePayload({ type: 'text', sentAt: 0, id: 'x', text: 'a'.repeat(32768) }), 'too-large', 'large text');
  await assertRejects(() => unpad(new Uint8Array(256)), 'bad-format', 'no marker');
  await assertRejects(() => unpad(Uint8Array.of(1, 0x80, 1)), 'bad-format', 'data after marker');
  const unknown = encodePayload(samples[3]);
  unknown[1] = 0x7f;
  assertEqual(decodePayload(unknown).type, 'unknown', 'unknown type ignored');
  const future = encodePayload(samples[0]);
  future[0] = 0x02;
  await assertRejects(() => decodePayload(future), 'unknown-version', 'unknown version');
  await assertRejects(() => encodePayload({ type: 'text', sentAt: 0, id: '', text: '' }), 'bad-format', 'empty id');
  await assertRejects(() => encodePayload({ type: 'text', sentAt: 0, id: 'x'.repeat(65), text: '' }), 'bad-format', 'long id');
  const trailing = concat(encodePayload(samples[3]), Uint8Array.of(0));
  await assertRejects(() => decodePayload(trailing), 'bad-format', 'trailing bytes');
});

test('fan-out to two devices; content is checked against its digest', async () => {
  const alice = await Device.generate('alice');
  const bob1 = await Device.generate('bob1');
  const bob2 = await Device.generate('bob2');
  await alice.initiate('bob1', bob1.bundle());
  await alice.initiate('bob2', bob2.bundle());
  const payload = { type: 'text', sentAt: 1700000000123, id: 'fan-1', text: 'to all my devices' };
  const out = await encryptFanOut([alice.record('bob1'), alice.record('bob2')], payload);
  alice.records.set('bob1', out.records[0]);
  alice.records.set('bob2', out.records[1]);
  assertEqual(out.messages.length, 2, 'one message per device');
  const c1 = parseFanOut(out.messages[0]).content;
  assertBytes(parseFanOut(out.messages[1]).content, c1, 'content encrypted once');
  for (const [dev, msg] of [[bob1, out.messages[0]], [bob2, out.messages[1]]]) {
    const record = dev.record('alice');
    const got = await decryptFanOut(record, msg, dev.context());
    assertEqual(got.payload.text, payload.text, `${dev.name} reads`);
    const { keyMessage, content } = parseFanOut(msg);
    const tampered = content.slice();
    tampered[0] ^= 1;
    await assertRejects(() => decryptFanOut(record, encodeFanOut(keyMessage, tampered), dev.context()), 'digest-mismatch', 'tampered content');
  }
});

test('safety numbers: symmetric, 60 digits, QR text', async () => {
  const a = await Device.generate('a');
  const b = await Device.generate('b');
  const ab = await safetyNumber(a.identity.publicIdentity, 'alice', b.identity.publicIdentity, 'bob');
  const ba = await safetyNumber(b.identity.publicIdentity, 'bob', a.identity.publicIdentity, 'alice');
  assertEqual(ab, ba, 'both sides see the same number');
  assert(/^[0-9]{60}$/.test(ab), '60 digits');
  assertEqual(groupDigits(ab).length, 12, '12 groups');
  assertEqual(qrText(ab), `parley-safety:v1:${ab}`, 'QR text');
  assert(matchesQrText(ab, qrText(ba)), 'QR matches');
  assert((await fingerprint(a.identity.publicIdentity, 'alice')) !== (await fingerprint(a.identity.publicIdentity, 'alicf')), 'username bound');
  const c = await Device.generate('c');
  assert(ab !== (await safetyNumber(c.identity.publicIdentity, 'alice', b.identity.publicIdentity, 'bob')), 'identity bound');
});

test('auth signature: PROTOCOL.md layout, bound to nonce, origin, time, action and username', async () => {
  const d = await Device.generate('d');
  const nonce = new Uint8Array(32).fill(9);
  const fields = { nonce, origin: 'http://127.0.0.1:5000', timestamp: 1764150000000, action: 'login', username: 'alice' };
  const expected = concat(text('parley-auth-v1'), Uint8Array.of(0), nonce, Uint8Array.of(0, 21), text('http://127.0.0.1:5000'),
    Uint8Array.of(0, 0, 0x01, 0x9a, 0xbf, 0x88, 0xb9, 0x80), Uint8Array.of(5), text('login'), Uint8Array.of(5), text('alice'));
  assertBytes(authBytes(fields), expected, 'signed bytes');
  const sig = await signAuth(d.identity, fields);
  assert(await ed25519Verify(d.identity.signing.publicKey, expected, sig), 'verifies');
  for (const change of [{ action: 'register' }, { username: 'alicf' }, { timestamp: 1764150000001 }, { origin: 'http://evil' }]) {
    assert(!(await ed25519Verify(d.identity.signing.publicKey, authBytes({ ...fields, ...change }), sig)),
      `not valid for ${JSON.stringify(change)}`);
  }
  let refused = null;
  try {
    authBytes({ ...fields, action: 'delete' });
  } catch (e) {
    refused = e;
  }
  assert(refused instanceof RangeError, 'an unknown action is refused');
});

test('envelopes: payload objects through sessions and fan-out', async () => {
  const alice = await Device.generate('alice');
  const bob = await Device.generate('bob');
  await alice.initiate('bob', bob.bundle());
  const payload = { type: 'text', sentAt: 5, id: 'e1', text: 'through an envelope' };
  const out = await encryptPayload(alice.record('bob'), payload);
  assert(/^[A-Za-z0-9_-]+$/.test(out.envelope), 'base64url envelope');
  const got = await decryptEnvelope(bob.record('alice'), out.envelope, bob.context());
  assertEqual(got.payload.text, payload.text, 'text');
  assertEqual(got.established, true, 'session established');
  bob.records.set('alice', got.record);
  bob.consume(got.preKeysUsed);
  alice.records.set('bob', out.record);
  const fan = await encryptFanOut([alice.record('bob')], { type: 'typing', sentAt: 6, id: 'e2', typing: true });
  const got2 = await decryptEnvelope(bob.record('alice'), b64(fan.messages[0]), bob.context());
  assertEqual(got2.payload.typing, true, 'fan-out through decryptEnvelope');
  await assertRejects(() => decryptEnvelope(bob.record('alice'), b64(Uint8Array.of(9, 1, 2)), bob.context()), 'bad-format', 'unknown kind');
});

test('a bundle without capabilities grants no X3DH consent but is usable', async () => {
  const alice = await Device.generate('alice');
  const bob = await Device.generate('bob');
  const bundle = bob.bundle();
  delete bundle.capabilities;
  assertEqual((await verifyBundle(bundle)).capabilities.flags, 0, 'flags 0');
  await assertRejects(() => alice.initiate('bob', bundle, { platformHasKem: false }), 'downgrade', 'no consent');
  await alice.initiate('bob', bundle);
  const m = await alice.send('bob', text('ok'));
  assertEqual(untext((await bob.receive('alice', m)).plaintext), 'ok', 'PQXDH works');
});
