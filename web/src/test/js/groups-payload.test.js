/**
 * The group payloads 0x0B..0x0E (docs/design/GROUPS.md "Payloads"): layouts, round trips and
 * strict decoding; and what a group message may carry.
 */

import { createSuite, assert, assertEqual, assertBytes, assertRejects } from './harness.js';
import { People, Group } from './group-fixtures.js';
import { snapshot } from './support.js';
import { concat, u8, u16, u32, u64, utf8 } from '/web/js/protocol/encoding.js';
import {
  encodePayload, decodePayload, sealPayload, generateSenderChain, senderKeyDistribution, encodeSenderKeyDistribution,
  groupStateHash, splitGroupSnapshot, encodeGroupState, openGroupMessagePayload, randomGroupId,
} from '/web/js/protocol/index.js';

const { test, run } = createSuite();
export { run };

const NOW = 1767225600000;
const head = (code, id = 'g-1') => concat(u8(1), u8(code), u64(NOW), u8(utf8(id).length), utf8(id));

async function fixtures() {
  const people = new People();
  const g = await Group.create(people, [{ username: 'bob', admin: false }]);
  const change = await g.apply('alice', { type: 'add', usernames: ['carol'] });
  const chain = await generateSenderChain();
  return { g, change, distribution: senderKeyDistribution(chain, g.state.id) };
}

test('every group payload: its layout and a round trip', async () => {
  const { g, change, distribution } = await fixtures();
  const groupId = g.state.id;
  const hash = await groupStateHash(g.state);
  const [part] = splitGroupSnapshot(g.state, 10000);
  const cases = [
    [{ type: 'sender-key', id: 'g-1', sentAt: NOW, distribution }, concat(head(0x0b), encodeSenderKeyDistribution(distribution))],
    [{ type: 'group-change', id: 'g-1', sentAt: NOW, change }, concat(head(0x0c), groupId, u8(1), u32(change.bytes.length), change.bytes)],
    [{ type: 'group-snapshot-part', id: 'g-1', sentAt: NOW, groupId, version: g.state.version, stateHash: hash, index: 0, total: 1, part },
      concat(head(0x0c), groupId, u8(2), u64(g.state.version), hash, u16(0), u16(1), u32(part.length), part)],
    [{ type: 'group-receipt', id: 'g-1', sentAt: NOW, groupId, kind: 'delivery', ids: ['m1', 'm\u00e92'] },
      concat(head(0x0d), groupId, u8(2), u16(2), u8(2), utf8('m1'), u8(4), utf8('m\u00e92'))],
    [{ type: 'group-receipt', id: 'g-1', sentAt: NOW, groupId, kind: 'read', ids: ['m1'] }, concat(head(0x0d), groupId, u8(3), u16(1), u8(2), utf8('m1'))],
    [{ type: 'group-read-up-to', id: 'g-1', sentAt: NOW, groupId, readUpTo: NOW - 5 }, concat(head(0x0e), groupId, u64(NOW - 5))],
  ];
  for (const [payload, bytes] of cases) {
    const what = `${payload.type} ${payload.kind ?? ''}`;
    assertBytes(encodePayload(payload), bytes, `${what}: bytes`);
    const decoded = decodePayload(bytes);
    assertEqual(snapshot(decoded), snapshot(payload), `${what}: decoded`);
    const json = JSON.stringify(snapshot(structuredClone(decoded)));
    assertEqual(json, JSON.stringify(snapshot(payload)), `${what}: survives structuredClone`);
  }
  assertBytes(encodeGroupState(g.state), part, 'one part is the whole state');
});

test('group payload decoding is strict', async () => {
  const { g, change, distribution } = await fixtures();
  const groupId = g.state.id;
  const other = randomGroupId();
  const hash = await groupStateHash(g.state);
  const snap = (index, total, part) => concat(head(0x0c), groupId, u8(2), u64(2), hash, u16(index), u16(total), u32(part.length), part);
  const cases = {
    'distribution too short': concat(head(0x0b), encodeSenderKeyDistribution(distribution).slice(1)),
    'distribution trailing byte': concat(head(0x0b), encodeSenderKeyDistribution(distribution), u8(0)),
    'update kind 3': concat(head(0x0c), groupId, u8(3)),
    'change of another group': concat(head(0x0c), other, u8(1), u32(change.bytes.length), change.bytes),
    'change length beyond the bytes': concat(head(0x0c), groupId, u8(1), u32(change.bytes.length + 1), change.bytes),
    'change with trailing bytes inside its length': concat(head(0x0c), groupId, u8(1), u32(change.bytes.length + 1), change.bytes, u8(0)),
    'bytes after the change': concat(head(0x0c), groupId, u8(1), u32(change.bytes.length), change.bytes, u8(0)),
    'snapshot index = total': snap(1, 1, u8(1)),
    'snapshot total 0': snap(0, 0, u8(1)),
    'empty snapshot part': snap(0, 1, new Uint8Array(0)),
    'snapshot version 0': concat(head(0x0c), groupId, u8(2), u64(0), hash, u16(0), u16(1), u32(1), u8(1)),
    'receipt kind 4': concat(head(0x0d), groupId, u8(4), u16(0)),
    'receipt id of 0 bytes': concat(head(0x0d), groupId, u8(2), u16(1), u8(0)),
    'receipt count beyond the bytes': concat(head(0x0d), groupId, u8(3), u16(2), u8(2), utf8('m1')),
    'read-up-to trailing byte': concat(head(0x0e), groupId, u64(1), u8(0)),
    'read-up-to truncated': concat(head(0x0e), groupId, u8(0)),
    'read-up-to beyond 2^53': concat(head(0x0e), groupId, new Uint8Array(8).fill(0xff)),
  };
  for (const [what, bytes] of Object.entries(cases)) await assertRejects(() => decodePayload(bytes), 'bad-format', what);
  const base = { id: 'g-1', sentAt: NOW, groupId };
  for (const [what, p] of Object.entries({
    'receipt kind': { ...base, type: 'group-receipt', kind: 'seen', ids: [] },
    'short group id': { ...base, type: 'group-read-up-to', groupId: groupId.slice(1), readUpTo: 1 },
    'snapshot index': { ...base, type: 'group-snapshot-part', version: 1, stateHash: hash, index: 2, total: 2, part: u8(1) },
    'snapshot hash': { ...base, type: 'group-snapshot-part', version: 1, stateHash: hash.slice(1), index: 0, total: 1, part: u8(1) },
    'distribution': { ...base, type: 'sender-key', distribution: { ...distribution, chainId: new Uint8Array(15) } },
  })) {
    await assertRejects(() => encodePayload(p), 'bad-format', `encoder: ${what}`);
  }
});

test('a group message carries text, typing and content payloads, nothing else', async () => {
  const base = { id: 'm1', sentAt: NOW };
  assertEqual(openGroupMessagePayload(sealPayload({ ...base, type: 'text', text: 'hi' })).text, 'hi', 'text');
  assertEqual(openGroupMessagePayload(sealPayload({ ...base, type: 'typing', typing: true })).typing, true, 'typing');
  const message = { ...base, type: 'message', expireSeconds: 60, text: 'hi', quote: { author: 'bob', id: 'q1' }, attachment: null };
  assertEqual(openGroupMessagePayload(sealPayload(message)).quote.author, 'bob', 'message');
  for (const p of [{ ...base, type: 'edit', targetId: 'x', text: 'y' }, { ...base, type: 'delete', targetId: 'x' },
    { ...base, type: 'reaction', targetAuthor: 'bob', targetId: 'x', emoji: '' }, { ...base, type: 'timer', expireSeconds: 0 }]) {
    assertEqual(openGroupMessagePayload(sealPayload(p)).type, p.type, p.type);
  }
  for (const p of [{ ...base, type: 'read', ids: ['x'] }, { ...base, type: 'group-read-up-to', groupId: randomGroupId(), readUpTo: 1 },
    { ...base, type: 'read-up-to', peer: 'bob', readUpTo: 1 }, { ...base, type: 'block', peer: 'bob', blocked: true },
    { ...base, type: 'sent-payload', peer: 'bob', inner: { ...base, type: 'timer', expireSeconds: 5 } }]) {
    await assertRejects(() => openGroupMessagePayload(sealPayload(p)), 'bad-format', `${p.type} refused`);
  }
  assert(true, 'done');
});
