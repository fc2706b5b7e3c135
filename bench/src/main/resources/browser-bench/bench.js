/**
 * Messages per second of Parley's browser protocol (web/js/protocol, the modules the web client
 * uses): two in-page parties, Alice and Bob, with sessions set up by PQXDH; each message is a
 * 1 KiB plaintext encrypted by one (encryptMessage) and decrypted by the other
 * (decryptMessage), every result checked. Session records are plain objects in memory.
 *
 * run({ messages, size, turns, warmup }) -> { messages, size, turns, warmup, seconds,
 *   messagesPerSecond, setupMillis, userAgent }
 *   turns: false = Alice to Bob only (same chain); true = directions alternate (a DH ratchet
 *   turn on every message).
 */

import {
  generateIdentity, generateSignedPreKey, generateOneTimePreKeys, generateKemPreKey, signCapabilities,
  publicBundle, verifyBundle, emptyRecord, initiateSession, encryptMessage, decryptMessage, equalBytes,
  KEM_KIND_LAST_RESORT,
} from '/web/js/protocol/index.js';

/** The caller's clock for skipped-key expiry (ms); fixed, the protocol reads none. */
const NOW = 1_767_225_600_000;

/** One party: keys, the prekey lookups decryptMessage needs, and its record for the peer. */
async function party() {
  const identity = await generateIdentity();
  const capabilities = await signCapabilities(identity, 0);
  const signedPreKey = await generateSignedPreKey(identity, 1);
  const [oneTimePreKey] = await generateOneTimePreKeys(100, 1);
  const kemPreKey = await generateKemPreKey(identity, 1, KEM_KIND_LAST_RESORT);
  return {
    identity,
    record: emptyRecord(),
    bundle: publicBundle({ identity, capabilities, signedPreKey, oneTimePreKey, kemPreKey }),
    context: {
      identity,
      capabilities: 0,
      now: NOW,
      prekeys: {
        signedPreKey: (id) => (id === signedPreKey.id ? signedPreKey : undefined),
        oneTimePreKey: (id) => (id === oneTimePreKey.id ? oneTimePreKey : undefined),
        kemPreKey: (id, kind) => (id === kemPreKey.id && kind === kemPreKey.kind ? kemPreKey : undefined),
      },
    },
  };
}

/** One message: `from` encrypts, `to` decrypts; both records are replaced, the plaintext checked. */
async function send(from, to, plaintext) {
  const sent = await encryptMessage(from.record, plaintext);
  from.record = sent.record;
  const received = await decryptMessage(to.record, sent.message, to.context);
  to.record = received.record;
  if (!equalBytes(received.plaintext, plaintext)) throw new Error('round trip changed the plaintext');
}

export async function run({ messages = 5000, size = 1024, turns = false, warmup = 500 } = {}) {
  const plaintext = crypto.getRandomValues(new Uint8Array(size));
  const alice = await party();
  const bob = await party();

  // Session setup: PQXDH by Alice (bundle verified), her first message, Bob's PreKeyMessage.
  const setupStart = performance.now();
  alice.record = (await initiateSession(alice.record, {
    identity: alice.identity, bundle: await verifyBundle(bob.bundle),
  })).record;
  await send(alice, bob, plaintext);
  const setupMillis = performance.now() - setupStart;
  await send(bob, alice, plaintext); // from now on RatchetMessages both ways

  const step = async (i) => (turns && i % 2 === 1 ? send(bob, alice, plaintext) : send(alice, bob, plaintext));
  for (let i = 0; i < warmup; i++) await step(i);
  const start = performance.now();
  for (let i = 0; i < messages; i++) await step(i);
  const seconds = (performance.now() - start) / 1000;
  return {
    messages, size, turns, warmup, seconds,
    messagesPerSecond: messages / seconds,
    setupMillis,
    userAgent: navigator.userAgent,
  };
}
