/**
 * `groups.json` (docs/design/GROUPS.md; the same shape in test-vectors/java/ and js/):
 * - `senderKeyKdf`: steps `{chainKey, messageKeySeed, aesKey, nonce, nextChainKey}` from one chain key;
 * - `groupMessages`: a sender chain's secrets (`chainId, signingPrivate, signingPublic, chainKey,
 *   iteration`), its `distribution` bytes, `messages[]` of `{iteration, payload, padded, message}`
 *   (re-encrypted byte for byte: Ed25519 is deterministic), a `receiveOrder` in which a receiver
 *   holding the distribution opens them, and `tampered[]` `{message, reason}` it must refuse;
 * - `stateChain`: the authors' Ed25519 seeds (`identities`) and `steps[]` of `{change, expect,
 *   stateAfter, stateHash}`, replayed from no state: each change applied to the held state
 *   gives `expect` ("applied" or a refusal reason; a change that does not decode counts as
 *   "invalid"), and the held state after it is `stateAfter`;
 * - `snapshot`: a state, its hash, `maxPartBytes` and its `parts`;
 * - `payloads[]`: `{payload, encoded}` of every group payload type. Group payload JSON: the
 *   payload objects of group-payload.js with bytes as b64, `distribution` an object of b64
 *   fields, `change` the b64 SignedChange.
 */

import { b64, unb64, concat, equalBytes, hex } from '/web/js/protocol/encoding.js';
import { ProtocolError } from '/web/js/protocol/errors.js';
import { ed25519FromSeed } from '/web/js/protocol/primitives.js';
import { kdfChain } from '/web/js/protocol/kdf.js';
import { encodePayload, decodePayload, pad, unpad } from '/web/js/protocol/payload.js';
import {
  encodeGroupState, decodeGroupState, groupStateHash, createGroupChange, nextGroupChange, decodeGroupChange, encodeGroupChange,
  applyGroupChange, GroupChangeRefused, splitGroupSnapshot, joinGroupSnapshot, senderKeyDistribution, encryptGroupMessage,
  emptySenderKeyReceiver, installSenderKey, decryptGroupMessage, encodeSenderKeyDistribution, decodeSenderKeyDistribution,
} from '/web/js/protocol/index.js';
import { senderChainFromSecrets } from '/web/js/protocol/groups/sender-chain.js';
import { senderMessageKeys } from '/web/js/protocol/groups/group-message.js';
import { derive } from './support.js';
import { payloadToJson, payloadFromJson } from './vectors.js';

/** The caller time of every decryption (2026-01-01T00:00:00Z), as in the other vectors. */
const NOW = 1767225600000;

function same(actual, expected, what) {
  const a = actual instanceof Uint8Array ? actual : unb64(actual);
  const e = expected instanceof Uint8Array ? expected : unb64(expected);
  if (!equalBytes(a, e)) throw new Error(`${what}: expected ${hex(e).slice(0, 96)}..., got ${hex(a).slice(0, 96)}...`);
}

function canonical(value) {
  return JSON.stringify(value, (key, v) => (v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v));
}

// ---- group payload JSON ----

const B64_FIELDS = ['groupId', 'stateHash', 'part'];
const DISTRIBUTION_FIELDS = ['groupId', 'chainId', 'chainKey', 'signingPublic'];

/** Adds the group fields of `p` to `out` (the payload JSON head). */
export function groupPayloadToJson(p, out) {
  if (p.type === 'sender-key') {
    const d = p.distribution;
    out.distribution = { ...Object.fromEntries(DISTRIBUTION_FIELDS.map((k) => [k, b64(d[k])])), iteration: d.iteration };
  }
  if (p.type === 'group-change') out.change = b64(encodeGroupChange(p.change));
  for (const k of ['groupId', 'version', 'stateHash', 'index', 'total', 'part', 'kind', 'ids', 'readUpTo']) {
    if (p.type.startsWith('group-') && p.type !== 'group-change' && p[k] !== undefined) out[k] = B64_FIELDS.includes(k) ? b64(p[k]) : p[k];
  }
  return out;
}

export function groupPayloadFromJson(j, p) {
  if (j.type === 'sender-key') {
    p.distribution = { ...j.distribution, ...Object.fromEntries(DISTRIBUTION_FIELDS.map((k) => [k, unb64(j.distribution[k])])) };
  }
  if (j.type === 'group-change') p.change = decodeGroupChange(unb64(j.change));
  if (j.type.startsWith('group-')) for (const k of B64_FIELDS) if (typeof j[k] === 'string') p[k] = unb64(j[k]);
  return p;
}

// ---- builder ----

async function identity(name) {
  const seed = await derive(`groups/identity/${name}`, 32);
  return { seed, identity: { signing: await ed25519FromSeed(seed) } };
}

async function buildStateChain(groupId) {
  const people = {};
  for (const name of ['alice', 'bob', 'carol', 'dave']) people[name] = await identity(name);
  const steps = [];
  let state = null;
  const step = async (change, author) => {
    let expect = 'applied';
    try {
      state = await applyGroupChange(state, change, people[author].identity.signing.publicKey);
    } catch (e) {
      if (!(e instanceof GroupChangeRefused)) throw e;
      expect = e.reason;
    }
    steps.push({ change: b64(change.bytes), expect, stateAfter: b64(encodeGroupState(state)), stateHash: b64(await groupStateHash(state)) });
    return change;
  };
  const next = (author, op, parent = state) => nextGroupChange(people[author].identity, author, parent, op);
  await step(await createGroupChange(people.alice.identity, 'alice', groupId, 'Climbing \u26f0', [
    { username: 'alice', admin: true }, { username: 'bob', admin: false }]), 'alice');
  const add = await step(await next('alice', { type: 'add', usernames: ['dave', 'carol'] }), 'alice');
  await step(await next('bob', { type: 'add', usernames: ['mallory'] }), 'bob');
  const unsigned = await next('alice', { type: 'rename', name: 'Unsigned' });
  const zero = new Uint8Array(64);
  await step({ ...unsigned, signature: zero, bytes: concat(unsigned.bytes.slice(0, -64), zero) }, 'alice');
  await step(await next('alice', { type: 'rename', name: 'Climbing club' }), 'alice');
  await step(await next('alice', { type: 'promote', username: 'bob' }), 'alice');
  await step(add, 'alice');
  await step(await next('alice', { type: 'rename', name: 'Fork' }, { ...state, name: 'Another state' }), 'alice');
  await step(await next('alice', { type: 'add', usernames: ['bob'] }), 'alice');
  await step(await next('bob', { type: 'remove', usernames: ['carol'] }), 'bob');
  await step(await next('dave', { type: 'leave' }), 'dave');
  const identities = Object.fromEntries(Object.entries(people).map(([name, p]) => [name, { signingPrivate: b64(p.seed) }]));
  return { chain: { groupId: b64(groupId), identities, steps }, state };
}

async function buildGroupMessages(groupId) {
  const secrets = {
    chainId: await derive('groups/chain/id', 16), iteration: 5,
    chainKey: await derive('groups/chain/key', 32), signingPrivate: await derive('groups/chain/signing', 32),
  };
  let chain = await senderChainFromSecrets(secrets);
  const distribution = encodeSenderKeyDistribution(senderKeyDistribution(chain, groupId));
  const payloads = [
    { type: 'text', id: 'g-m1', sentAt: NOW, text: 'first' }, { type: 'typing', id: 'g-t1', sentAt: NOW + 1, typing: true },
    { type: 'text', id: 'g-m2', sentAt: NOW + 2, text: 'caf\u00e9 \ud83e\uddd7' }, { type: 'text', id: 'g-m3', sentAt: NOW + 3, text: 'x'.repeat(300) },
  ];
  const messages = [];
  for (const payload of payloads) {
    const padded = pad(encodePayload(payload));
    const out = await encryptGroupMessage(chain, groupId, padded);
    messages.push({ iteration: chain.iteration, payload: payloadToJson(payload), padded: b64(padded), message: b64(out.message) });
    chain = out.chain;
  }
  const first = unb64(messages[0].message);
  const flipped = first.slice();
  flipped[30] ^= 0x01;
  const otherGroup = await derive('groups/other-group', 32);
  const elsewhere = await encryptGroupMessage(await senderChainFromSecrets(secrets), otherGroup, unb64(messages[0].padded));
  return {
    groupId: b64(groupId), chainId: b64(secrets.chainId), signingPrivate: b64(secrets.signingPrivate), signingPublic: b64(chain.signingPublic),
    chainKey: b64(secrets.chainKey), iteration: secrets.iteration, distribution: b64(distribution), messages, receiveOrder: [2, 0, 3, 1],
    tampered: [{ message: b64(flipped), reason: 'bad_signature' }, { message: b64(elsewhere.message), reason: 'wrong_group' }],
  };
}

export async function buildGroups() {
  const groupId = await derive('groups/group-id', 32);
  const seed = await derive('groups/kdf', 32);
  const senderKeyKdf = [];
  let chainKey = seed;
  for (let i = 0; i < 3; i++) {
    const { messageKey, chainKey: next } = await kdfChain(chainKey);
    const { aesKey, nonce } = await senderMessageKeys(messageKey);
    senderKeyKdf.push({ chainKey: b64(chainKey), messageKeySeed: b64(messageKey), aesKey: b64(aesKey), nonce: b64(nonce), nextChainKey: b64(next) });
    chainKey = next;
  }
  const { chain: stateChain, state } = await buildStateChain(groupId);
  const big = { ...state, members: [...state.members, ...Array.from({ length: 40 }, (_, i) => ({ username: `member_${String(i).padStart(2, '0')}`, admin: i % 7 === 0 }))] };
  big.members.sort((a, b) => (a.username < b.username ? -1 : 1));
  const maxPartBytes = 200;
  const snapshot = {
    state: b64(encodeGroupState(big)), stateHash: b64(await groupStateHash(big)), maxPartBytes, parts: splitGroupSnapshot(big, maxPartBytes).map(b64),
  };
  const lastChange = unb64(stateChain.steps.findLast((s) => s.expect === 'applied').change);
  const base = { sentAt: NOW };
  const payloads = [
    { ...base, id: 'g-sk', type: 'sender-key', distribution: decodeSenderKeyDistribution(unb64((await buildGroupMessages(groupId)).distribution)) },
    { ...base, id: 'g-ch', type: 'group-change', change: decodeGroupChange(lastChange) },
    { ...base, id: 'g-sp', type: 'group-snapshot-part', groupId, version: big.version, stateHash: unb64(snapshot.stateHash), index: 1, total: snapshot.parts.length, part: unb64(snapshot.parts[1]) },
    { ...base, id: 'g-rd', type: 'group-receipt', groupId, kind: 'delivery', ids: ['g-m1', 'g-m2'] },
    { ...base, id: 'g-rr', type: 'group-receipt', groupId, kind: 'read', ids: ['g-m1'] },
    { ...base, id: 'g-ru', type: 'group-read-up-to', groupId, readUpTo: NOW - 1 },
  ].map((p) => ({ payload: payloadToJson(p), encoded: b64(encodePayload(p)) }));
  return { senderKeyKdf, groupMessages: await buildGroupMessages(groupId), stateChain, snapshot, payloads };
}

// ---- verifier ----

async function verifyGroupMessages(v) {
  const groupId = unb64(v.groupId);
  let chain = await senderChainFromSecrets({ chainId: unb64(v.chainId), iteration: v.iteration, chainKey: unb64(v.chainKey), signingPrivate: unb64(v.signingPrivate) });
  same(chain.signingPublic, v.signingPublic, 'signingPublic');
  same(encodeSenderKeyDistribution(senderKeyDistribution(chain, groupId)), v.distribution, 'distribution');
  for (const m of v.messages) {
    if (m.iteration !== chain.iteration) throw new Error(`message iterations must follow the chain from ${v.iteration}`);
    const padded = pad(encodePayload(payloadFromJson(m.payload)));
    same(padded, m.padded, `padded ${m.iteration}`);
    const out = await encryptGroupMessage(chain, groupId, padded);
    same(out.message, m.message, `message ${m.iteration}`);
    chain = out.chain;
  }
  const fresh = () => installSenderKey(emptySenderKeyReceiver(), decodeSenderKeyDistribution(unb64(v.distribution)));
  let receiver = fresh();
  if (new Set(v.receiveOrder).size !== v.messages.length) throw new Error('receiveOrder names every message once');
  for (const i of v.receiveOrder) {
    const out = await decryptGroupMessage(receiver, groupId, unb64(v.messages[i].message), NOW);
    same(out.padded, v.messages[i].padded, `received ${i}`);
    if (canonical(payloadToJson(decodePayload(unpad(out.padded)))) !== canonical(v.messages[i].payload)) throw new Error(`payload ${i}`);
    receiver = out.receiver;
  }
  if (!v.tampered?.length) throw new Error('tampered messages present');
  for (const t of v.tampered) {
    let code = null;
    try {
      await decryptGroupMessage(fresh(), groupId, unb64(t.message), NOW);
    } catch (e) {
      if (!(e instanceof ProtocolError)) throw e;
      code = e.code;
    }
    if (code === null || (t.reason === 'bad_signature' && code !== 'bad-signature')) throw new Error(`tampered (${t.reason}) gave ${code}`);
  }
}

async function verifyStateChain(v) {
  const keys = {};
  for (const [name, { signingPrivate }] of Object.entries(v.identities)) keys[name] = (await ed25519FromSeed(unb64(signingPrivate))).publicKey;
  let state = null;
  const seen = new Set();
  for (const [i, s] of v.steps.entries()) {
    let outcome = 'applied';
    try {
      const change = decodeGroupChange(unb64(s.change));
      same(encodeGroupChange(change), s.change, `step ${i}: change re-encoded`);
      if (!keys[change.author]) throw new Error(`step ${i}: no identity for ${change.author}`);
      state = await applyGroupChange(state, change, keys[change.author]);
    } catch (e) {
      if (e instanceof GroupChangeRefused) outcome = e.reason;
      else if (e instanceof ProtocolError) outcome = 'invalid';
      else throw e;
    }
    if (outcome !== s.expect) throw new Error(`step ${i}: expected ${s.expect}, got ${outcome}`);
    seen.add(outcome);
    same(encodeGroupState(state), s.stateAfter, `step ${i}: state after`);
    same(await groupStateHash(state), s.stateHash, `step ${i}: state hash`);
    same(await groupStateHash(decodeGroupState(unb64(s.stateAfter))), s.stateHash, `step ${i}: hash of the state bytes`);
  }
  for (const reason of ['applied', 'bad_signature', 'not_admin', 'stale', 'forked']) {
    if (!seen.has(reason)) throw new Error(`the state chain has no ${reason} step`);
  }
}

export async function verifyGroups(v) {
  if (v.senderKeyKdf.length < 3) throw new Error('three sender key KDF steps');
  for (const [i, c] of v.senderKeyKdf.entries()) {
    const { messageKey, chainKey } = await kdfChain(unb64(c.chainKey));
    same(messageKey, c.messageKeySeed, `kdf ${i}: seed`);
    same(chainKey, c.nextChainKey, `kdf ${i}: next chain key`);
    const { aesKey, nonce } = await senderMessageKeys(messageKey);
    same(aesKey, c.aesKey, `kdf ${i}: aes key`);
    same(nonce, c.nonce, `kdf ${i}: nonce`);
    if (i > 0) same(c.chainKey, v.senderKeyKdf[i - 1].nextChainKey, `kdf ${i}: one chain`);
  }
  await verifyGroupMessages(v.groupMessages);
  await verifyStateChain(v.stateChain);
  const { snapshot: snap } = v;
  const state = decodeGroupState(unb64(snap.state));
  same(await groupStateHash(state), snap.stateHash, 'snapshot hash');
  const parts = splitGroupSnapshot(state, snap.maxPartBytes);
  if (parts.length !== snap.parts.length || parts.length < 2) throw new Error('snapshot: several parts, as many as the vector');
  parts.forEach((p, i) => same(p, snap.parts[i], `snapshot part ${i}`));
  same(encodeGroupState(await joinGroupSnapshot(state.version, unb64(snap.stateHash), snap.parts.map(unb64))), snap.state, 'joined');
  const types = new Set();
  for (const c of v.payloads) {
    same(encodePayload(payloadFromJson(c.payload)), c.encoded, `payload ${c.payload.type} ${c.payload.id}`);
    const decoded = payloadToJson(decodePayload(unb64(c.encoded)));
    if (canonical(decoded) !== canonical(c.payload)) throw new Error(`decoded ${c.payload.type}: expected ${canonical(c.payload)}, got ${canonical(decoded)}`);
    types.add(`${c.payload.type}${c.payload.kind ?? ''}`);
  }
  for (const t of ['sender-key', 'group-change', 'group-snapshot-part', 'group-receiptdelivery', 'group-receiptread', 'group-read-up-to']) {
    if (!types.has(t)) throw new Error(`payload vectors: no ${t}`);
  }
}
