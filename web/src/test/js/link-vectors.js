/**
 * `link.json` (docs/CRYPTO.md §10.1-§10.3; shape in Java's LinkVectors): `codes[]` of
 * `{publicKey, display, qrText}`; `requests[]` of `{linkPrivateKey, linkPublicKey, channel,
 * deviceKey, name, encoded, sealed}`; `messages[]` of `{linkPrivateKey, linkPublicKey, channel,
 * x25519Keys: [ek private key], plaintext, sealed}`. The verifier reseals with the recorded keys
 * and compares bytes, and opens what was sealed.
 */

import { b64, unb64, utf8, equalBytes, hex } from '/web/js/protocol/encoding.js';
import { x25519FromPrivate } from '/web/js/protocol/primitives.js';
import {
  linkCodeDisplay, linkCodeQrText, parseLinkCode, linkChannel, encodeLinkRequest, sealLinkRequest, openLinkRequest,
  sealLinkMessage, openLinkMessage,
} from '/web/js/protocol/link.js';
import { derive, seededEntropy, replayEntropy } from './support.js';

function same(actual, expected, what) {
  const a = actual instanceof Uint8Array ? actual : unb64(actual);
  const e = expected instanceof Uint8Array ? expected : unb64(expected);
  if (!equalBytes(a, e)) throw new Error(`${what}: expected ${hex(e).slice(0, 96)}..., got ${hex(a).slice(0, 96)}...`);
}

function sameText(actual, expected, what) {
  if (actual !== expected) throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

async function linkKey(label) {
  const raw = await derive(`link/${label}`, 32);
  const e = await x25519FromPrivate(raw);
  return { e, fields: { linkPrivateKey: b64(raw), linkPublicKey: b64(e.publicKey), channel: b64(await linkChannel(e.publicKey)) } };
}

export async function buildLink() {
  const codes = [];
  for (const key of [new Uint8Array(32).fill(0x5a), await derive('link/code', 32)]) {
    codes.push({ publicKey: b64(key), display: linkCodeDisplay(key), qrText: linkCodeQrText(key) });
  }
  const requests = [];
  for (const name of ['Phone', 'Ordinateur portable \u00e9\u00e8', '\u6f22\u5b57'.repeat(10)]) {
    const { e, fields } = await linkKey(`request/${requests.length}`);
    const request = { deviceKey: await derive(`link/device-key/${requests.length}`, 32), name };
    requests.push({
      ...fields, deviceKey: b64(request.deviceKey), name,
      encoded: b64(encodeLinkRequest(request)), sealed: b64(await sealLinkRequest(e.publicKey, request)),
    });
  }
  const messages = [];
  for (const text of ['{"username":"bob","device":3,"history":true}', 'x']) {
    const { e, fields } = await linkKey(`message/${messages.length}`);
    const entropy = await seededEntropy(`link/ek/${messages.length}`);
    const plaintext = utf8(text);
    const sealed = await sealLinkMessage(e.publicKey, plaintext, entropy);
    messages.push({ ...fields, x25519Keys: entropy.recorded.x25519Keys, plaintext: b64(plaintext), sealed: b64(sealed) });
  }
  return { codes, requests, messages };
}

async function checkLinkKey(c, what) {
  const e = await x25519FromPrivate(unb64(c.linkPrivateKey));
  same(e.publicKey, c.linkPublicKey, `${what}: link public key`);
  same(await linkChannel(e.publicKey), c.channel, `${what}: channel`);
  return e;
}

export async function verifyLink(v) {
  if (!v.codes?.length || !v.requests?.length || !v.messages?.length) throw new Error('link.json: codes, requests and messages required');
  for (const c of v.codes) {
    const key = unb64(c.publicKey);
    sameText(linkCodeDisplay(key), c.display, 'code display');
    sameText(linkCodeQrText(key), c.qrText, 'code QR text');
    same(parseLinkCode(c.display), key, 'display parses');
    same(parseLinkCode(c.qrText), key, 'QR text parses');
  }
  for (const [i, c] of v.requests.entries()) {
    const e = await checkLinkKey(c, `request ${i}`);
    const request = { deviceKey: unb64(c.deviceKey), name: c.name };
    same(encodeLinkRequest(request), c.encoded, `request ${i}: encoding`);
    same(await sealLinkRequest(e.publicKey, request), c.sealed, `request ${i}: sealed`);
    const opened = await openLinkRequest(e.publicKey, unb64(c.sealed));
    same(opened.deviceKey, c.deviceKey, `request ${i}: opened device key`);
    sameText(opened.name, c.name, `request ${i}: opened name`);
  }
  for (const [i, c] of v.messages.entries()) {
    const e = await checkLinkKey(c, `message ${i}`);
    const entropy = replayEntropy({ x25519Keys: c.x25519Keys });
    same(await sealLinkMessage(e.publicKey, unb64(c.plaintext), entropy), c.sealed, `message ${i}: sealed`);
    if (entropy.remaining() !== 0) throw new Error(`message ${i}: recorded keys left over`);
    same(await openLinkMessage(e, unb64(c.sealed)), c.plaintext, `message ${i}: opened`);
  }
}
