/**
 * Linked devices in the browser protocol modules (docs/CRYPTO.md §4 sync payloads, §10):
 * link codes, the sealed link request and link message, sync payloads, sessions between one's
 * own devices, exporting the identity into a link message, and the device list check.
 */

import { createSuite, assert, assertEqual, assertBytes, assertRejects } from './harness.js';
import { Device, text, untext, flipBit } from './support.js';
import { concat, u8, u16, u32, u64, utf8, hex, b64, unb64 } from '/web/js/protocol/encoding.js';
import {
  x25519Generate, x25519FromPrivate, ed25519FromSeed, ed25519Sign, hkdf, aesGcmEncrypt,
} from '/web/js/protocol/primitives.js';
import { checkDeviceList } from '/web/js/protocol/device-list.js';
import { deviceListBytes } from '/web/js/wire/signed.js';
import { encodeBase32 } from '/web/js/wire/crockford.js';
import {
  linkCodeDisplay, linkCodeQrText, parseLinkCode, linkChannel, sealLinkRequest, openLinkRequest, encodeLinkRequest,
  decodeLinkRequest, sealLinkMessage, openLinkMessage, LINK_QR_PREFIX,
} from '/web/js/protocol/link.js';
import { encodePayload, decodePayload, sealPayload, openPayload, pad } from '/web/js/protocol/payload.js';
import { packHistory } from '/web/js/protocol/sync-payload.js';
import { MAX_PAYLOAD } from '/web/js/protocol/limits.js';
import { identityFromKeyPairs } from '/web/js/protocol/keys.js';
import { identityExportable, exportIdentityForLink, importLinkedIdentity } from '/web/js/protocol/identity-transfer.js';

const { test, run } = createSuite();
export { run };

const KEY = Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 0xff);

// ---- link code ----

test('link code: 13 groups of four, QR text, both parse back', async () => {
  const shown = linkCodeDisplay(KEY);
  assert(/^([0-9A-HJKMNP-TV-Z]{4}-){12}[0-9A-HJKMNP-TV-Z]{4}$/.test(shown), shown);
  assertBytes(parseLinkCode(shown), KEY, 'display form');
  assertEqual(linkCodeQrText(KEY), LINK_QR_PREFIX + shown.replaceAll('-', ''), 'QR text');
  assertBytes(parseLinkCode(linkCodeQrText(KEY)), KEY, 'QR form');
  assertBytes(parseLinkCode(`  ${shown.toLowerCase().replaceAll('-', ' ')}\n`), KEY, 'lower case, spaces');
  assertBytes(parseLinkCode(shown.replaceAll('0', 'O').replaceAll('1', 'l')), KEY, 'look-alikes folded');
  assertBytes(parseLinkCode(`PARLEY-LINK:V1:${shown}`), KEY, 'prefix in any case');
  assertEqual(encodeBase32(new Uint8Array(32)), '0'.repeat(52), 'zero key');
  assertEqual(encodeBase32(new Uint8Array(32).fill(0xff))[51], 'G', 'last character: one bit then zero padding');
});

test('link code: anything else is a clear bad-format error', async () => {
  const code = linkCodeDisplay(KEY).replaceAll('-', '');
  for (const bad of ['', code.slice(1), `${code}0`, `${code.slice(0, 51)}U`, `${code.slice(0, 51)}1`,
    `parley-safety:v1:${code}`, `parley-link:v2:${code}`, `${code.slice(0, 20)}!${code.slice(21)}`, null]) {
    await assertRejects(() => parseLinkCode(bad), 'bad-format', `refuses ${bad}`);
  }
});

test('link code: test-vectors/link/codes.json (written by neither implementation)', async () => {
  const res = await fetch('/vectors/link/codes.json');
  assert(res.ok, `codes.json: HTTP ${res.status}`);
  const { cases } = await res.json();
  assert(cases.length >= 10, 'cases present');
  for (const c of cases) {
    if (c.publicKey === null) {
      await assertRejects(() => parseLinkCode(c.typed), 'bad-format', `refuses ${JSON.stringify(c.typed)} (${c.why})`);
    } else {
      assertBytes(parseLinkCode(c.typed), unb64(c.publicKey), `${JSON.stringify(c.typed)} (${c.why})`);
    }
  }
});

// ---- link request ----

async function linkKey() {
  return x25519FromPrivate(Uint8Array.from({ length: 32 }, (_, i) => i + 1));
}

test('link request: round trip; every changed byte, another code and a cut fail', async () => {
  const e = await linkKey();
  const request = { deviceKey: KEY, name: 'Laptop \u00e9' };
  const sealed = await sealLinkRequest(e.publicKey, request);
  const opened = await openLinkRequest(e.publicKey, sealed);
  assertBytes(opened.deviceKey, KEY, 'device key');
  assertEqual(opened.name, request.name, 'name');
  for (let i = 0; i < sealed.length; i++) {
    await assertRejects(() => openLinkRequest(e.publicKey, flipBit(sealed, i * 8)), 'decrypt-failed', `byte ${i}`);
  }
  await assertRejects(() => openLinkRequest(flipBit(e.publicKey, 0), sealed), 'decrypt-failed', 'another code');
  await assertRejects(() => openLinkRequest(e.publicKey, sealed.slice(0, 15)), 'decrypt-failed', 'cut');
  assertBytes(await linkChannel(e.publicKey), new Uint8Array(await crypto.subtle.digest('SHA-256', e.publicKey)), 'channel');
});

test('link request: strict decoding of what the key opens', async () => {
  const e = await linkKey();
  const key = await hkdf(new Uint8Array(32), e.publicKey, utf8('parley-link-request-v1'), 32);
  const sealRaw = async (bytes) => aesGcmEncrypt(key, new Uint8Array(12), bytes, await linkChannel(e.publicKey));
  const valid = encodeLinkRequest({ deviceKey: KEY, name: 'Phone' });
  assertEqual(decodeLinkRequest(valid).name, 'Phone', 'valid');
  const withName = (nameBytes) => concat(u8(1), KEY, u8(nameBytes.length), nameBytes);
  const cases = [
    ['trailing byte', concat(valid, u8(0)), 'bad-format'], ['format 2', concat(u8(2), valid.slice(1)), 'unknown-version'],
    ['empty name', withName(new Uint8Array(0)), 'bad-format'], ['65-byte name', withName(utf8('x'.repeat(65))), 'bad-format'],
    ['bad UTF-8', withName(Uint8Array.of(0xc3)), 'bad-format'], ['newline', withName(utf8('a\nb')), 'bad-format'],
    ['bidi override', withName(utf8('a\u202eb')), 'bad-format'], ['truncated', valid.slice(0, 20), 'bad-format'],
  ];
  for (const [what, bytes, code] of cases) {
    const sealed = await sealRaw(bytes);
    await assertRejects(() => openLinkRequest(e.publicKey, sealed), code, what);
  }
  await assertRejects(() => encodeLinkRequest({ deviceKey: KEY.slice(1), name: 'x' }), 'bad-format', 'short key');
  await assertRejects(() => encodeLinkRequest({ deviceKey: KEY, name: '' }), 'bad-format', 'empty name');
});

// ---- link message ----

test('link message: opens only with E; fresh ek; tampering and low-order points refused', async () => {
  const e = await linkKey();
  const plaintext = utf8('{"username":"alice"}');
  const sealed = await sealLinkMessage(e.publicKey, plaintext);
  assertEqual(sealed.length, 32 + plaintext.length + 16, 'ek_pub || ciphertext || tag');
  assertBytes(await openLinkMessage(e, sealed), plaintext, 'opened');
  const again = await sealLinkMessage(e.publicKey, plaintext);
  assert(hex(again.slice(0, 32)) !== hex(sealed.slice(0, 32)), 'a fresh ek per message');
  for (let i = 0; i < sealed.length; i++) {
    const err = await assertRejects(() => openLinkMessage(e, flipBit(sealed, i * 8)), null, `byte ${i}`);
    assert(err.code === 'decrypt-failed' || err.code === 'low-order', `byte ${i}: ${err.code}`);
  }
  await assertRejects(async () => openLinkMessage(await x25519Generate(), sealed), 'decrypt-failed', 'another E');
  await assertRejects(() => openLinkMessage(e, sealed.slice(0, 47)), 'bad-format', 'too short');
  await assertRejects(() => sealLinkMessage(new Uint8Array(32), plaintext), 'low-order', 'seal to a low-order point');
  await assertRejects(() => openLinkMessage(e, concat(new Uint8Array(32), new Uint8Array(17))), 'low-order', 'low-order ek');
});

// ---- sync payloads ----

const IK = new Uint8Array(64).fill(0xab);

export const SYNC_SAMPLES = [
  { type: 'sent-transcript', id: 'm-1', sentAt: 10, peer: 'bob', text: 'hello \u00e9' },
  { type: 'read-up-to', id: 'r-1', sentAt: 11, peer: 'carol_2', readUpTo: 1767225600000 },
  { type: 'trust-decision', id: 't-1', sentAt: 12, peer: 'bob', identity: IK, state: 'accepted-change' },
  { type: 'device-linked', id: 'd-1', sentAt: 13, deviceId: 3, linkedAt: 1767225600000, name: 'Laptop' },
  {
    type: 'history-chunk', id: 'h-1', sentAt: 14, index: 0, total: 2, entries: [
      { direction: 'in', peer: 'bob', id: 'm-7', sentAt: 5, text: 'hi' },
      { direction: 'out', peer: 'bob', id: 'm-8', sentAt: 6, text: '' }],
  },
];

test('sync payloads round trip with the layouts Java pins', async () => {
  const canonical = (v) => JSON.stringify(v, (k, x) => (x instanceof Uint8Array ? hex(x)
    : x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.keys(x).sort().map((key) => [key, x[key]])) : x));
  for (const p of SYNC_SAMPLES) assertEqual(canonical(openPayload(sealPayload(p))), canonical(p), p.type);
  const h = (s) => hex(utf8(s));
  assertEqual(hex(encodePayload(SYNC_SAMPLES[3])), `0109000000000000000d03${h('d-1')}030000019b76daa80006${h('Laptop')}`, 'device linked');
  assertEqual(hex(encodePayload(SYNC_SAMPLES[2])), `0108000000000000000c03${h('t-1')}03${h('bob')}${'ab'.repeat(64)}02`, 'trust');
  assertEqual(hex(encodePayload(SYNC_SAMPLES[4])), `010a000000000000000e03${h('h-1')}000000020002`
    + `0003${h('bob')}03${h('m-7')}000000000000000500000002${h('hi')}`
    + `0103${h('bob')}03${h('m-8')}000000000000000600000000`, 'history chunk');
});

test('sync payloads decode strictly', async () => {
  const head = (type) => concat(u8(1), u8(type), u64(1), u8(1), utf8('x'));
  const name = (s) => concat(u8(utf8(s).length), utf8(s));
  const bad = [];
  for (const p of SYNC_SAMPLES) {
    const encoded = encodePayload(p);
    bad.push([`${p.type}: trailing byte`, concat(encoded, u8(0))], [`${p.type}: truncated`, encoded.slice(0, -1)]);
  }
  bad.push(
    ['trust state 3', concat(head(0x08), name('bob'), IK, u8(3))],
    ['peer not a username', concat(head(0x07), name('Bob'), u64(1))],
    ['peer too long', concat(head(0x07), name('x'.repeat(33)), u64(1))],
    ['device id 0', concat(head(0x09), u8(0), u64(1), name('Laptop'))],
    ['empty device name', concat(head(0x09), u8(2), u64(1), u8(0))],
    ['control character', concat(head(0x09), u8(2), u64(1), name('a\u0007'))],
    ['index not below total', concat(head(0x0a), u16(2), u16(2), u16(0))],
    ['total 0', concat(head(0x0a), u16(0), u16(0), u16(0))],
    ['direction 2', concat(head(0x0a), u16(0), u16(1), u16(1), u8(2), name('bob'), name('m'), u64(1), u32(0))],
    ['empty entry id', concat(head(0x0a), u16(0), u16(1), u16(1), u8(0), name('bob'), u8(0), u64(1), u32(0))],
    ['bad UTF-8', concat(head(0x06), name('bob'), u32(1), u8(0xff))],
  );
  // Java refuses u64 values above 2^53-1 in sync payloads; here the Reader refuses them.
  bad.push(['readUpTo 2^53', concat(head(0x07), name('bob'), Uint8Array.of(0, 0x20, 0, 0, 0, 0, 0, 0))]);
  for (const [what, bytes] of bad) await assertRejects(() => decodePayload(bytes), 'bad-format', what);
});

test('history packs into chunks that fit the largest bucket', async () => {
  const entries = Array.from({ length: 50 }, (_, i) => ({ direction: 'out', peer: 'bob', id: `m-${i}`, sentAt: i, text: 'x'.repeat(2000) }));
  const huge = { direction: 'in', peer: 'bob', id: 'big', sentAt: 1, text: 'y'.repeat(MAX_PAYLOAD) };
  entries.splice(10, 0, huge);
  const { chunks, tooLarge } = packHistory(entries, 8);
  assertEqual(tooLarge.length, 1, 'the huge entry is reported');
  assert(chunks.length >= 4, 'several chunks');
  const sent = [];
  for (let i = 0; i < chunks.length; i++) {
    const chunk = { type: 'history-chunk', id: `chunk-${String(i).padStart(2, '0')}`, sentAt: 1, index: i, total: chunks.length, entries: chunks[i] };
    assert(pad(encodePayload(chunk)).length <= 32768, 'fits');
    sent.push(...openPayload(sealPayload(chunk)).entries);
  }
  assertEqual(JSON.stringify(sent), JSON.stringify(entries.filter((e) => e !== huge)), 'every other entry in order');
});

// ---- sessions between own devices ----

async function ownDevices() {
  const one = await Device.generate('own-1');
  const two = await Device.generate('own-2', { identity: one.identity });
  await one.initiate('two', two.bundle());
  await two.initiate('one', one.bundle());
  return { one, two, oneInitiated: one.record('two').current.baseKey };
}

test('own devices that initiate at once converge on the smaller device id', async () => {
  const { one, two, oneInitiated } = await ownDevices();
  const atOne = { local: 1, remote: 2 };
  const atTwo = { local: 2, remote: 1 };
  const fromOne = await one.send('two', text('from one'));
  const fromTwo = await two.send('one', text('from two'));
  assertEqual(untext((await one.receive('two', fromTwo, { devices: atOne })).plaintext), 'from two', 'one reads');
  assertEqual(untext((await two.receive('one', fromOne, { devices: atTwo })).plaintext), 'from one', 'two reads');
  assertBytes(one.record('two').current.baseKey, oneInitiated, 'device 1 keeps its session');
  assertBytes(two.record('one').current.baseKey, oneInitiated, 'device 2 adopts it');
  for (let i = 0; i < 3; i++) {
    assertEqual(untext((await two.receive('one', await one.send('two', text(`1-${i}`)), { devices: atTwo })).plaintext), `1-${i}`, 'to two');
    assertEqual(untext((await one.receive('two', await two.send('one', text(`2-${i}`)), { devices: atOne })).plaintext), `2-${i}`, 'to one');
  }
  assertEqual(one.record('two').current.pendingPreKey, null, 'no longer pending');
});

test('without device ids own devices keep different sessions (what devices prevents)', async () => {
  const { one, two } = await ownDevices();
  const fromOne = await one.send('two', text('from one'));
  const fromTwo = await two.send('one', text('from two'));
  await one.receive('two', fromTwo);
  await two.receive('one', fromOne);
  assert(hex(one.record('two').current.baseKey) !== hex(two.record('one').current.baseKey), 'a tie keeps each its own');
});

// ---- identity export ----

test('a new identity exports into a link message and imports on the new device', async () => {
  const d = await Device.generate('exporter');
  assert(identityExportable(d.identity), 'exportable');
  const json = await exportIdentityForLink(d.identity);
  assertEqual(Object.keys(json).sort().join(), 'binding,dhKey,dhPrivate,signingKey,signingPrivate', 'fields');
  const imported = await importLinkedIdentity(json);
  assertBytes(imported.publicIdentity, d.identity.publicIdentity, 'same identity');
  assertBytes(imported.binding, d.identity.binding, 'same binding');
  assert(identityExportable(imported), 'the new device can approve devices in turn');
  const other = await Device.generate('other');
  const others = await exportIdentityForLink(other.identity);
  await assertRejects(() => importLinkedIdentity({ ...json, dhPrivate: others.dhPrivate }), 'bad-format', 'private key of another identity');
  await assertRejects(() => importLinkedIdentity({ ...json, binding: others.binding }), 'bad-format', 'another binding');
});

test('an identity stored before linking (non-extractable) cannot be exported: a clear error', async () => {
  const seed = Uint8Array.from({ length: 32 }, (_, i) => i);
  const old = await identityFromKeyPairs(await ed25519FromSeed(seed), await x25519FromPrivate(seed));
  assert(!identityExportable(old), 'not exportable');
  const err = await assertRejects(() => exportIdentityForLink(old), 'not-extractable', 'export');
  assert(/reset the account/.test(err.message), err.message);
  const exported = await exportIdentityForLink(await identityFromKeyPairs(
    await ed25519FromSeed(seed, { extractable: true }), await x25519FromPrivate(seed, { extractable: true })));
  assertBytes(unb64(exported.signingPrivate), seed, 'raw Ed25519 seed');
  assertBytes(unb64(exported.dhPrivate), seed, 'raw X25519 private key');
});

// ---- device list check (the full table of cases is devices.json) ----

test('device list check takes keys and signatures as text or bytes; details carry no key', async () => {
  const owner = await Device.generate('owner');
  const list = { version: 1, issuedAt: 5, devices: [{ id: 1, key: KEY, linkedAt: 5 }] };
  const signature = await ed25519Sign(owner.identity.signing.privateKey, deviceListBytes(list));
  const asBytes = await checkDeviceList(owner.identity.signing.publicKey, null, { ...list, signature });
  assertEqual(JSON.stringify(asBytes), '{"accepted":true,"same":false}', 'bytes');
  const asText = { ...list, devices: [{ id: 1, key: b64(KEY), linkedAt: 5 }], signature: b64(signature) };
  assertEqual((await checkDeviceList(owner.identity.signing.publicKey, null, asText)).accepted, true, 'text');
  const reused = { version: 2, issuedAt: 6, devices: [{ id: 1, key: b64(new Uint8Array(32).fill(7)), linkedAt: 6 }] };
  const refusal = await checkDeviceList(owner.identity.signing.publicKey, asText,
    { ...reused, signature: await ed25519Sign(owner.identity.signing.privateKey, deviceListBytes(reused)) });
  assertEqual(refusal.reason, 'reused-device-id', 'a listed id with another key');
  assert(!refusal.detail.includes(reused.devices[0].key) && !refusal.detail.includes(b64(KEY)), refusal.detail);
});
