/**
 * Sender keys (docs/design/GROUPS.md "Sender keys", "Rotation"): layout, out-of-order and
 * replay, tampering (the signature checked before anything is derived), the skip limits and
 * expiry, the three chains per sender device, rotation and late joiners.
 */

import { createSuite, assert, assertEqual, assertBytes, assertRejects } from './harness.js';
import { flipBit, snapshot } from './support.js';
import { concat, u8, u32, utf8 } from '/web/js/protocol/encoding.js';
import { hkdf, hmac, aesGcmDecrypt, ed25519Verify, ed25519FromSeed, ed25519Sign } from '/web/js/protocol/primitives.js';
import { kdfChain } from '/web/js/protocol/kdf.js';
import { groupMessageBytes } from '/web/js/wire/signed.js';
import { pad, sealPayload } from '/web/js/protocol/payload.js';
import {
  randomGroupId, generateSenderChain, senderKeyDistribution, encryptGroupMessage, emptySenderKeyReceiver, installSenderKey,
  decryptGroupMessage, groupMessageChainId, isGroupMessage, KIND_GROUP, encodeSenderKeyDistribution, decodeSenderKeyDistribution,
  hasSenderChain,
} from '/web/js/protocol/index.js';
import { senderChainFromSecrets } from '/web/js/protocol/groups/sender-chain.js';
import { MAX_SKIP, MAX_SKIPPED_KEYS, SKIPPED_KEY_TTL_MS, MAX_SENDER_KEY_CHAINS, MAX_SENDER_KEY_ITERATION } from '/web/js/protocol/limits.js';

const { test, run } = createSuite();
export { run };

const NOW = 1767225600000;
const padded = (text) => sealPayload({ type: 'text', id: `m-${text}`, sentAt: NOW, text });

/** A sender chain and `count` messages from it (`{ message, text }`), plus the chain after them. */
async function send(chain, groupId, count, prefix = 'm') {
  const out = [];
  let c = chain;
  for (let i = 0; i < count; i++) {
    const text = `${prefix}${c.iteration}`;
    const r = await encryptGroupMessage(c, groupId, padded(text));
    out.push({ message: r.message, padded: padded(text) });
    c = r.chain;
  }
  return { messages: out, chain: c };
}

/** A receiver holding `chain`'s distribution for `groupId`. */
function receiverOf(chain, groupId) {
  return installSenderKey(emptySenderKeyReceiver(), senderKeyDistribution(chain, groupId));
}

/** The chain `chain` would be after `steps` messages, derived without encrypting them. */
async function advanced(chain, steps) {
  let { chainKey } = chain;
  for (let i = 0; i < steps; i++) chainKey = (await kdfChain(chainKey)).chainKey;
  return { ...chain, chainKey, iteration: chain.iteration + steps };
}

async function expectRefused(receiver, groupId, message, code, what) {
  const before = snapshot(receiver);
  await assertRejects(() => decryptGroupMessage(receiver, groupId, message, NOW), code, what);
  assertEqual(snapshot(receiver), before, `${what}: receiver unchanged`);
}

test('a group message: the layout, keys and signature of GROUPS.md', async () => {
  const groupId = randomGroupId();
  const chain = await generateSenderChain();
  assertEqual(chain.iteration, 0, 'a new chain starts at iteration 0');
  const { message, chain: next } = await encryptGroupMessage(chain, groupId, padded('hi'));
  const header = concat(u8(KIND_GROUP), chain.chainId, u32(0));
  assertBytes(message.slice(0, 21), header, 'header');
  const seed = await hmac(chain.chainKey, u8(1));
  assertBytes(next.chainKey, await hmac(chain.chainKey, u8(2)), 'next chain key');
  assertEqual(next.iteration, 1, 'next iteration');
  const keys = await hkdf(new Uint8Array(32), seed, utf8('parley-sender-key-v1'), 44);
  const ciphertext = message.slice(21, message.length - 64);
  assertBytes(await aesGcmDecrypt(keys.slice(0, 32), keys.slice(32), ciphertext, concat(groupId, header)), padded('hi'), 'AEAD');
  const signed = concat(utf8('parley-group-message-v1'), u8(0), groupId, header, ciphertext);
  assertBytes(groupMessageBytes(groupId, concat(header, ciphertext)), signed, 'signed bytes');
  assert(await ed25519Verify(chain.signingPublic, signed, message.slice(message.length - 64)), 'signature');
  assert(isGroupMessage(message), 'isGroupMessage');
  assert(!isGroupMessage(message.slice(0, 100)) && !isGroupMessage(concat(u8(3), message.slice(1))), 'not group messages');
  assertBytes(groupMessageChainId(message), chain.chainId, 'chain id');
  await assertRejects(() => groupMessageChainId(concat(u8(2), message.slice(1))), 'bad-format', 'another kind');
  const cloned = structuredClone({ chain, receiver: receiverOf(chain, groupId) });
  assertEqual(snapshot(cloned.chain), snapshot(chain), 'chain survives structuredClone');
  assert(!JSON.stringify(snapshot(cloned)).includes('key:'), 'no CryptoKey in stored objects');
  assertBytes((await ed25519FromSeed(chain.signingPrivate)).publicKey, chain.signingPublic, 'signing key pair');
});

test('distributions: 116 bytes, strict decoding', async () => {
  const groupId = randomGroupId();
  const chain = await advanced(await generateSenderChain(), 7);
  const d = senderKeyDistribution(chain, groupId);
  const bytes = encodeSenderKeyDistribution(d);
  assertEqual(bytes.length, 116, 'length');
  assertBytes(bytes, concat(groupId, chain.chainId, u32(7), chain.chainKey, chain.signingPublic), 'layout');
  assertEqual(snapshot(decodeSenderKeyDistribution(bytes)), snapshot(d), 'round trip');
  await assertRejects(() => decodeSenderKeyDistribution(bytes.slice(1)), 'bad-format', 'short');
  await assertRejects(() => decodeSenderKeyDistribution(concat(bytes, u8(0))), 'bad-format', 'trailing');
  await assertRejects(() => installSenderKey(emptySenderKeyReceiver(), { ...d, chainKey: d.chainKey.slice(1) }), 'bad-format', 'bad chain key');
});

test('in order, out of order, and replays refused', async () => {
  const groupId = randomGroupId();
  const chain = await generateSenderChain();
  let receiver = receiverOf(chain, groupId);
  assert(hasSenderChain(receiver, chain.chainId), 'installed');
  const { messages } = await send(chain, groupId, 6);
  for (const i of [0, 1]) {
    const r = await decryptGroupMessage(receiver, groupId, messages[i].message, NOW);
    assertBytes(r.padded, messages[i].padded, `message ${i}`);
    receiver = r.receiver;
  }
  for (const i of [4, 2, 5, 3]) {
    const r = await decryptGroupMessage(receiver, groupId, messages[i].message, NOW);
    assertBytes(r.padded, messages[i].padded, `out of order ${i}`);
    receiver = r.receiver;
  }
  assertEqual(receiver.skipped.length, 0, 'every skipped key used once');
  for (const i of [0, 3, 5]) await expectRefused(receiver, groupId, messages[i].message, 'duplicate', `replay of ${i}`);
  let typeError = null;
  await decryptGroupMessage(receiver, groupId, messages[0].message).catch((e) => { typeError = e; });
  assert(typeError instanceof TypeError, 'decryption needs the caller time');
});

test('tampering: the signature is checked before anything is derived or decrypted', async () => {
  const groupId = randomGroupId();
  const chain = await generateSenderChain();
  const receiver = receiverOf(chain, groupId);
  const { message } = (await send(chain, groupId, 1)).messages[0];
  for (const bit of [8 * 20, 8 * 30, message.length * 8 - 100, message.length * 8 - 1]) {
    await expectRefused(receiver, groupId, flipBit(message, bit), 'bad-signature', `bit ${bit}`);
  }
  await expectRefused(receiver, randomGroupId(), message, 'bad-signature', 'another group');
  const far = concat(message.slice(0, 17), u32(5000), message.slice(21));
  await expectRefused(receiver, groupId, far, 'bad-signature', 'a forged far iteration costs no derivation');
  await expectRefused(receiver, groupId, concat(u8(KIND_GROUP), new Uint8Array(16), message.slice(17)), 'no-session', 'unknown chain');
  await expectRefused(receiver, groupId, message.slice(0, 100), 'bad-format', 'truncated');
  // The chain's own key signing a corrupted ciphertext (a misbehaving sender): the AEAD refuses.
  const header = message.slice(0, 21);
  const ciphertext = flipBit(message.slice(21, message.length - 64), 3);
  const { privateKey } = await ed25519FromSeed(chain.signingPrivate);
  const resigned = concat(header, ciphertext, await ed25519Sign(privateKey, groupMessageBytes(groupId, concat(header, ciphertext))));
  await expectRefused(receiver, groupId, resigned, 'decrypt-failed', 'signed but not authentic ciphertext');
});

test('skips: MAX_SKIP per message, at most 2000 stored keys (oldest evicted), 30-day expiry', async () => {
  const groupId = randomGroupId();
  const chain = await generateSenderChain();
  let receiver = receiverOf(chain, groupId);
  const at = async (n) => (await encryptGroupMessage(await advanced(chain, n), groupId, padded(`i${n}`))).message;
  await expectRefused(receiver, groupId, await at(MAX_SKIP + 1), 'too-many-skipped', 'skip 1001');
  receiver = (await decryptGroupMessage(receiver, groupId, await at(MAX_SKIP), NOW)).receiver;
  assertEqual(receiver.skipped.length, MAX_SKIP, 'skip exactly 1000');
  receiver = (await decryptGroupMessage(receiver, groupId, await at(2 * MAX_SKIP + 1), NOW + 1)).receiver;
  assertEqual(receiver.skipped.length, MAX_SKIPPED_KEYS, 'two skips fill the store');
  receiver = (await decryptGroupMessage(receiver, groupId, await at(2 * MAX_SKIP + 12), NOW + 2)).receiver;
  assertEqual(receiver.skipped.length, MAX_SKIPPED_KEYS, 'at most 2000');
  await expectRefused(receiver, groupId, await at(5), 'duplicate', 'an evicted key');
  const kept = await decryptGroupMessage(receiver, groupId, await at(20), NOW);
  assertBytes(kept.padded, padded('i20'), 'a kept key opens');
  const late = await at(1500);
  const day30 = await decryptGroupMessage(receiver, groupId, late, NOW + 1 + SKIPPED_KEY_TTL_MS);
  assertBytes(day30.padded, padded('i1500'), 'a key exactly 30 days old opens');
  await assertRejects(() => decryptGroupMessage(receiver, groupId, late, NOW + 2 + SKIPPED_KEY_TTL_MS), 'duplicate', 'an expired key');
  const expired = await decryptGroupMessage(receiver, groupId, await at(2 * MAX_SKIP + 20), NOW + 3 + SKIPPED_KEY_TTL_MS);
  assertEqual(expired.receiver.skipped.length, 7, 'expired keys are dropped, the new skip kept');
});

test('at most three chains per sender device, the newest distributed', async () => {
  const groupId = randomGroupId();
  const chains = [];
  let receiver = emptySenderKeyReceiver();
  for (let i = 0; i <= MAX_SENDER_KEY_CHAINS; i++) {
    chains.push(await generateSenderChain());
    receiver = installSenderKey(receiver, senderKeyDistribution(chains[i], groupId));
  }
  assertEqual(receiver.chains.length, MAX_SENDER_KEY_CHAINS, 'three chains');
  assert(!hasSenderChain(receiver, chains[0].chainId), 'the oldest dropped');
  await expectRefused(receiver, groupId, (await send(chains[0], groupId, 1)).messages[0].message, 'no-session', 'dropped chain');
  for (const c of chains.slice(1)) {
    const { message } = (await send(c, groupId, 1)).messages[0];
    assert((await decryptGroupMessage(receiver, groupId, message, NOW)).padded.length > 0, 'a kept chain opens');
  }
  // Skipped keys of a dropped chain go with it.
  let r = installSenderKey(emptySenderKeyReceiver(), senderKeyDistribution(chains[0], groupId));
  r = (await decryptGroupMessage(r, groupId, (await send(await advanced(chains[0], 3), groupId, 1)).messages[0].message, NOW)).receiver;
  assertEqual(r.skipped.length, 3, 'skipped keys');
  for (const c of chains.slice(1)) r = installSenderKey(r, senderKeyDistribution(c, groupId));
  assertEqual(r.skipped.length, 0, 'dropped with their chain');
});

test('rotation: an old chain cannot open the new one; a late joiner cannot open earlier iterations', async () => {
  const groupId = randomGroupId();
  const old = await generateSenderChain();
  const removed = receiverOf(old, groupId);
  const sent = await send(old, groupId, 3);
  const rotated = await generateSenderChain();
  const next = (await send(rotated, groupId, 1)).messages[0].message;
  await expectRefused(removed, groupId, next, 'no-session', 'the removed member has no key for the new chain');
  const relabelled = concat(u8(KIND_GROUP), old.chainId, next.slice(17));
  await expectRefused(removed, groupId, relabelled, 'bad-signature', 'the new chain under the old id');

  const joiner = receiverOf(sent.chain, groupId);
  for (const { message } of sent.messages) await expectRefused(joiner, groupId, message, 'duplicate', 'before the distribution');
  const after = (await send(sent.chain, groupId, 1)).messages[0];
  assertBytes((await decryptGroupMessage(joiner, groupId, after.message, NOW)).padded, after.padded, 'from its distribution on');
});

test('a distribution never moves a held chain, backwards or otherwise', async () => {
  const groupId = randomGroupId();
  const chain = await advanced(await generateSenderChain(), 5);
  let receiver = receiverOf(chain, groupId);
  const { messages, chain: later } = await send(chain, groupId, 2);
  receiver = (await decryptGroupMessage(receiver, groupId, messages[1].message, NOW)).receiver;
  for (const c of [chain, await advanced(later, 4)]) {
    const again = installSenderKey(receiver, senderKeyDistribution(c, groupId));
    assertEqual(snapshot(again), snapshot(receiver), `distribution at ${c.iteration} ignored`);
  }
  const rewound = installSenderKey(receiver, { ...senderKeyDistribution(chain, groupId), iteration: 0 });
  await expectRefused(rewound, groupId, messages[1].message, 'duplicate', 'still refused after an older distribution');
  assertBytes((await decryptGroupMessage(rewound, groupId, messages[0].message, NOW)).padded, messages[0].padded, 'the skipped one still opens');
});

test('a sender chain refuses what it cannot encrypt', async () => {
  const groupId = randomGroupId();
  const chain = await generateSenderChain();
  const last = await senderChainFromSecrets({ ...chain, iteration: MAX_SENDER_KEY_ITERATION });
  const { chain: exhausted } = await encryptGroupMessage(last, groupId, padded('last'));
  await assertRejects(() => encryptGroupMessage(exhausted, groupId, padded('more')), 'too-large', 'exhausted chain');
  await assertRejects(() => encryptGroupMessage(chain, groupId, new Uint8Array(32769)), 'too-large', 'oversized payload');
  await assertRejects(() => encryptGroupMessage(chain, groupId.slice(1), pad(new Uint8Array(1))), 'bad-format', 'bad group id');
});
