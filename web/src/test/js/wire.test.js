/**
 * The wire catalogue (web/js/wire/) against the vectors Java's `wire` module is pinned by:
 * test-vectors/wire/frames.json (every example decodes and encodes back to the same JSON, in
 * wire order; every catalogue type has an example and every example a type; every refused
 * example is refused with its code, naming its field) and test-vectors/wire/signed.json
 * (every signed layout's bytes, recovery codes). `args = { frames, signed }`: the files' URLs.
 */

import { createSuite, assert, assertEqual, assertBytes } from './harness.js';
import { unb64 } from '/web/js/protocol/encoding.js';
import { ed25519Verify } from '/web/js/protocol/primitives.js';
import { CATALOGUE, decode, encode, frameType, toJson } from '/web/js/wire/codec.js';
import { WireError } from '/web/js/wire/errors.js';
import { SendMessage, sendMulti } from '/web/js/wire/delivery.js';
import {
  MAX_ATTACHMENT_BYTES, MAX_EXPIRES_IN_SECONDS, MAX_MULTI_RECIPIENTS, attachmentBlobLength,
} from '/web/js/wire/limits.js';
import { BlobUpload, blobPath } from '/web/js/wire/blobs.js';
import { ErrorCode } from '/web/js/wire/errors.js';
import { ServerLimits } from '/web/js/wire/session.js';
import { SendWindow } from '/web/js/chat/send-window.js';
import { UploadPreKeys } from '/web/js/wire/prekeys.js';
import {
  SignatureLabel, authBytes, identityBindingBytes, signedPreKeyBytes, kemPreKeyBytes, capabilitiesBytes, deviceListBytes, deviceAuthBytes,
  groupChangeBytes, groupMessageBytes,
} from '/web/js/wire/signed.js';
import { canonicalRecoveryCode, displayRecoveryCode, generateRecoveryCode, recoveryHash } from '/web/js/wire/recovery.js';

/** JSON with every object's keys sorted: equal for deep-equal values whatever their key order. */
function sorted(value) {
  return JSON.stringify(value, (key, v) => (v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v));
}

/** JSON text of a vector value, BigInts (integers beyond 2^53) written as their exact digits. */
function jsonText(value) {
  return JSON.stringify(value, (key, v) => (typeof v === 'bigint' ? JSON.rawJSON(v.toString()) : v));
}

function refusal(fn) {
  try {
    fn();
  } catch (e) {
    if (e instanceof WireError) return e;
    throw e;
  }
  return null;
}

/** The vector file; integers beyond 2^53 (a u64 timestamp) are read exactly, as BigInts. */
async function load(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return JSON.parse(await res.text(), (key, value, context) => (typeof value === 'number' && !Number.isSafeInteger(value)
    && Number.isInteger(value) ? BigInt(context.source) : value));
}

const LAYOUTS = {
  auth: (i) => authBytes({ ...i, nonce: unb64(i.nonce) }),
  identity_binding: (i) => identityBindingBytes(unb64(i.dhKey)),
  signed_prekey: (i) => signedPreKeyBytes(i.id, unb64(i.key)),
  kem_prekey: (i) => kemPreKeyBytes(i.id, i.kind, unb64(i.key)),
  capabilities: (i) => capabilitiesBytes(i.flags),
  device_list: (i) => deviceListBytes(i),
  device_auth: (i) => deviceAuthBytes({ ...i, nonce: unb64(i.nonce) }),
  group_change: (i) => groupChangeBytes(unb64(i.changeBody)),
  group_message: (i) => groupMessageBytes(unb64(i.groupId), unb64(i.headerAndCiphertext)),
};

export async function run({ frames: framesUrl, signed: signedUrl }) {
  const { test, run: runSuite } = createSuite();
  const frames = await load(framesUrl);
  const signed = await load(signedUrl);

  test('every example decodes and encodes back to the same JSON, in wire order', () => {
    assert(frames.frames.length > 0, 'examples present');
    for (const { direction, frame } of frames.frames) {
      const decoded = decode(direction, JSON.stringify(frame));
      assertEqual(frameType(direction, decoded.type)?.direction, direction, `${frame.type} direction`);
      assertEqual(sorted(JSON.parse(encode(decoded))), sorted(frame), `${direction} ${frame.type}`);
      assertEqual(Object.keys(toJson(decoded)).join(), Object.keys(frame).join(), `${frame.type}: key order`);
    }
  });

  test('every catalogue type has an example and every example a type', () => {
    const examples = new Set(frames.frames.map(({ direction, frame }) => `${direction} ${frame.type}`));
    const types = new Set(CATALOGUE.map((t) => `${t.direction} ${t.type}`));
    assertEqual([...types].sort().join(', '), [...examples].sort().join(', '), 'types and examples');
  });

  test('every refused example is refused with its code, naming its field', () => {
    assert(frames.rejected.length > 0, 'refused examples present');
    for (const { direction, frame, code, field } of frames.rejected) {
      const text = jsonText(frame);
      const refused = refusal(() => decode(direction, text));
      assert(refused, `${text} was accepted`);
      assertEqual(refused.code, code, text);
      if (field !== null) assert(refused.message.startsWith(`'${field}'`), `${text} -> ${refused.message}`);
    }
  });

  test('text that is not one JSON object is bad_json', () => {
    for (const text of ['{"type":"pong"', '[1]', 'null', '"pong"']) {
      assertEqual(refusal(() => decode('server', text))?.code, 'bad_json', text);
    }
  });

  test('no type name is used in both directions, and each appears once', () => {
    const names = CATALOGUE.map((t) => t.type);
    assertEqual(new Set(names).size, names.length, 'distinct names');
  });

  test('encode refuses what the receiver would refuse, naming the field', () => {
    const missing = refusal(() => encode(SendMessage.of({ id: 'm1', to: 'bob', devices: [{ device: 1 }] })));
    assertEqual(missing?.code, 'bad_frame', 'no envelope');
    assert(missing.message.startsWith("'devices[0].envelope'"), missing.message);
    const noDevice = refusal(() => encode(SendMessage.of({ id: 'm1', to: 'bob', devices: [] })));
    assert(noDevice?.message.startsWith("'devices'"), noDevice?.message);
    const badId = refusal(() => encode(UploadPreKeys.of({ id: 'p1', oneTimePreKeys: [{ id: -1, key: 'AAAA' }] })));
    assert(badId?.message.startsWith("'oneTimePreKeys[0].id'"), badId?.message);
    assertEqual(refusal(() => encode({ type: 'fly', id: 'x' }))?.code, 'unknown_type', 'unknown type');
  });

  test('send_multi: at most 1,000 accounts, each copy with an envelope or the content, refusals read as []', () => {
    const recipients = (n) => Array.from({ length: n }, (_, i) => ({ to: `user${i}`, devices: [{ device: 1 }, { device: 2 }] }));
    const full = decode('client', encode(sendMulti({ id: 'g1', content: 'BAAA', recipients: recipients(MAX_MULTI_RECIPIENTS) })));
    assertEqual(full.recipients.length, MAX_MULTI_RECIPIENTS, 'a thousand accounts');
    assertEqual(full.recipients[0].devices[0].envelope, undefined, 'a content-only copy');
    const over = refusal(() => decode('client', JSON.stringify(sendMulti({
      id: 'g1', content: 'BAAA', recipients: recipients(MAX_MULTI_RECIPIENTS + 1),
    }))));
    assert(over?.message.startsWith("'recipients'"), over?.message);
    const empty = refusal(() => encode(sendMulti({ id: 'g1', recipients: [{ to: 'bob', devices: [{ device: 1 }] }] })));
    assert(empty?.message.startsWith("'recipients[0].devices[0].envelope'"), empty?.message);
    const stored = decode('server', '{"type":"stored","re":"g1","serverTime":1}');
    assertEqual(JSON.stringify(stored.refused), '[]', 'no refusals');
    assertEqual(encode(stored), '{"type":"stored","re":"g1","serverTime":1}', 'written without refused');
  });

  test('send_multi names its recipients or a set; stored carries the set; relay_message says whether it is multi', () => {
    const SET = 'HhKKGaPkPa4_Dlf5FObwAw';
    const toSet = decode('client', encode(sendMulti({ id: 'g2', content: 'BAAA', recipientSet: SET })));
    assertEqual(toSet.recipientSet, SET, 'the set');
    assertEqual(toSet.recipients, undefined, 'no recipient list');
    assertEqual(encode(toSet), `{"type":"send_multi","id":"g2","content":"BAAA","recipientSet":"${SET}"}`, 'wire text');
    const both = refusal(() => encode(sendMulti({
      id: 'g2', content: 'BAAA', recipientSet: SET, recipients: [{ to: 'bob', devices: [{ device: 1 }] }],
    })));
    assert(both?.message.startsWith("'recipientSet'"), both?.message);
    const noContent = refusal(() => encode(sendMulti({ id: 'g2', recipientSet: SET })));
    assert(noContent?.message.startsWith("'content'"), noContent?.message);
    const neither = refusal(() => encode(sendMulti({ id: 'g2', content: 'BAAA' })));
    assert(neither?.message.startsWith("'recipients'"), neither?.message);
    const stored = decode('server', `{"type":"stored","re":"g1","serverTime":1,"recipientSet":"${SET}"}`);
    assertEqual(stored.recipientSet, SET, 'stored names the set');
    assertEqual(decode('server', '{"type":"stored","re":"g1","serverTime":1}').recipientSet, undefined, 'no set');
    const fanOut = decode('server', '{"type":"relay_message","id":"m1","from":"alice","fromDevice":1,"envelope":"AAAA","content":"BAAA","serverTime":1}');
    assertEqual(fanOut.multi, false, 'absent: a send_message copy, whatever its content starts with');
    const multi = decode('server', '{"type":"relay_message","id":"m1","from":"alice","fromDevice":1,"content":"BAAA","serverTime":1,"multi":true}');
    assertEqual(multi.multi, true, 'a send_multi copy');
    assertEqual(encode(fanOut).includes('multi'), false, 'false is left out');
  });

  test('encode leaves out fields the catalogue does not declare', () => {
    const text = encode(SendMessage.of({ id: 'm1', to: 'bob', devices: [{ device: 2, envelope: 'AAAA', status: 'x' }], status: 'x' }));
    assertEqual(text, '{"type":"send_message","id":"m1","to":"bob","devices":[{"device":2,"envelope":"AAAA"}]}', 'wire text');
  });

  test('expiresIn: written after the copies when set, left out when not, refused out of 1..2,419,200 on writing too', () => {
    const base = { id: 'm1', to: 'bob', devices: [{ device: 1, envelope: 'AAAA' }] };
    assertEqual(encode(SendMessage.of({ ...base, expiresIn: 300 })),
      '{"type":"send_message","id":"m1","to":"bob","devices":[{"device":1,"envelope":"AAAA"}],"expiresIn":300}', 'wire text');
    assertEqual(encode(SendMessage.of(base)).includes('expiresIn'), false, 'absent: the message does not disappear');
    for (const bad of [0, MAX_EXPIRES_IN_SECONDS + 1, 1.5, '60']) {
      const e = refusal(() => encode(SendMessage.of({ ...base, expiresIn: bad })));
      assert(e && e.code === 'bad_frame' && e.message.startsWith("'expiresIn'"), `expiresIn ${bad} refused: ${e?.message}`);
    }
    const multi = decode('client', encode(sendMulti({ id: 'g1', content: 'BAAA', recipientSet: 'HhKKGaPkPa4_Dlf5FObwAw', expiresIn: MAX_EXPIRES_IN_SECONDS })));
    assertEqual(multi.expiresIn, MAX_EXPIRES_IN_SECONDS, 'send_multi carries it');
  });

  test('blobs: an attachment\'s blob length is its size and one tag per chunk; blob paths; blob_too_large is known', () => {
    assertEqual(attachmentBlobLength(0), 16, 'an empty file is one empty chunk');
    assertEqual(attachmentBlobLength(1), 17, 'one byte');
    assertEqual(attachmentBlobLength(65536), 65552, 'one whole chunk');
    assertEqual(attachmentBlobLength(65537), 65537 + 32, 'two chunks');
    assertEqual(attachmentBlobLength(MAX_ATTACHMENT_BYTES), 104857600 + 16 * 1600, 'the largest');
    assertEqual(encode(BlobUpload.of({ id: 'u1', size: attachmentBlobLength(10) })), '{"type":"blob_upload","id":"u1","size":26}', 'wire text');
    const blob = 'AAAAAAAAAAAAAAAAAAAAAA';
    assertEqual(blobPath(blob), '/v1/blobs/AAAAAAAAAAAAAAAAAAAAAA', 'download path');
    assertEqual(blobPath(blob, 8388608), '/v1/blobs/AAAAAAAAAAAAAAAAAAAAAA?offset=8388608', 'upload path');
    let refused = false;
    try { blobPath('../x'); } catch (e) { refused = e instanceof TypeError; }
    assert(refused, 'a string that is not a blob id names no path');
    assertEqual(ErrorCode.BLOB_TOO_LARGE, 'blob_too_large', 'error code');
  });

  test('server_limits sizes the outbox\'s send window: a smaller one is paid back before a waiting send goes, a larger one lets it go', async () => {
    const example = frames.frames.find((v) => v.frame.type === ServerLimits.type).frame;
    const limits = decode('server', JSON.stringify({ ...example, sendWindow: 2 }));
    const window = new SendWindow(3);
    for (let i = 0; i < 3; i++) await window.acquire();
    window.resize(limits.sendWindow);
    assertEqual(window.size, 2, 'size');
    let admitted = false;
    const waiting = window.acquire().then(() => { admitted = true; });
    window.release();
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert(!admitted, 'three in flight in a window of two: one answer leaves it full');
    window.release();
    await waiting;
    const grown = new SendWindow(1);
    await grown.acquire();
    let more = false;
    const next = grown.acquire().then(() => { more = true; });
    grown.resize(2);
    await next;
    assert(more, 'a larger window lets the waiting send out');
  });

  test('every signed layout matches its vector, one vector per label at least', () => {
    const covered = new Set();
    for (const { layout, inputs, signed: expected } of signed.layouts) {
      const build = LAYOUTS[layout];
      assert(build, `unknown layout ${layout}`);
      assertBytes(build(inputs), unb64(expected), `${layout} ${String(inputs.username ?? inputs.id ?? inputs.flags ?? "")}`);
      covered.add(layout);
    }
    assertEqual(covered.size, Object.keys(SignatureLabel).length, `layouts covered: ${[...covered]}`);
  });

  test('every vector signature verifies over its layout\'s bytes and over no other', async () => {
    const withSignature = signed.layouts.filter((v) => v.ed25519);
    assert(withSignature.some((v) => v.layout === 'group_change') && withSignature.some((v) => v.layout === 'group_message'),
      'the group layouts carry signatures');
    for (const { layout, inputs, ed25519 } of withSignature) {
      const bytes = LAYOUTS[layout](inputs);
      const key = unb64(ed25519.publicKey);
      assert(await ed25519Verify(key, bytes, unb64(ed25519.signature)), `${layout}: the signature verifies`);
      const other = bytes.slice();
      other[other.length - 1] ^= 1;
      assert(!(await ed25519Verify(key, other, unb64(ed25519.signature))), `${layout}: not over other bytes`);
    }
  });

  test('recovery codes: canonical form and hash as the vectors say', async () => {
    assert(signed.recoveryCodes.some((v) => v.canonical === null), 'refused codes present');
    for (const { typed, canonical, recoveryHash: hash } of signed.recoveryCodes) {
      assertEqual(canonicalRecoveryCode(typed), canonical, JSON.stringify(typed));
      if (canonical !== null) assertBytes(await recoveryHash(canonical), unb64(hash), typed);
    }
  });

  test('generated recovery codes are canonical and shown in eight groups', () => {
    const codes = Array.from({ length: 100 }, generateRecoveryCode);
    assertEqual(new Set(codes).size, 100, 'distinct');
    for (const code of codes) {
      assertEqual(canonicalRecoveryCode(code), code, 'canonical');
      const shown = displayRecoveryCode(code);
      assertEqual(shown.length, 39, 'shown length');
      assertEqual(canonicalRecoveryCode(shown.toLowerCase()), code, 'typed back');
    }
  });

  return runSuite();
}
