/**
 * The new device's side of linking (docs/design/LINKED-DEVICES.md, "Linking", steps 1 and 4):
 * it makes its device key and a one-time link key E, shows the link code (E_pub) and its QR
 * text, opens the link channel `SHA-256(E_pub)` on an unauthenticated connection with the
 * sealed request (`link_open`, sent again after each reconnect so that an approval made
 * meanwhile still reaches it), and waits for `link_sealed`. It then opens the link message,
 * checks it (the list verifies under the identity received and names this device's key at
 * the id given; else "the link was altered") and creates the local account.
 *
 * A browser holds at most one device of an account (its store is named by the username). If
 * the link message names an account this browser already holds, the approval already added
 * a device to that account's list: this device takes itself out again (it logs in as the new
 * device once and publishes the next list without itself, as "sign out this device" does),
 * so that no listed device is one that nobody holds, and says so.
 *
 * Events: 'waiting' ({ expiresAt }), 'linked' ({ username }), 'failed' ({ message }).
 */

import {
  b64, unb64, generateLinkKey, linkChannel, sealLinkRequest, openLinkMessage, linkCodeDisplay, linkCodeQrText,
  importLinkedIdentity, equalBytes, deviceNameProblem, checkDeviceList,
} from '../protocol/index.js';
import { Emitter } from '../lib/emitter.js';
import { keyFingerprint } from '../lib/fingerprint.js';
import { Connection, ServerError } from '../net/connection.js';
import { LinkOpen, LinkSealed, PublishDevices } from '../wire/devices.js';
import { Login } from '../wire/auth.js';
import { randomId } from '../lib/ids.js';
import { ErrorCode } from '../wire/errors.js';
import { listLocalAccounts, ACCOUNT_LOCK_PREFIX } from '../store/local-accounts.js';
import { socketUrl, serverOrigin, createLinkedAccount } from './account.js';
import { generateDeviceKey, nextDeviceList, signDeviceLogin } from './device-keys.js';
import { decodeLinkMessage, LinkMessageError } from './link-message.js';

/** How long taking the added device off the list again may take before the user is told to unlink it. */
const WITHDRAW_TIMEOUT_MS = 20_000;
const ALTERED = 'The link was altered on its way (the answer does not match this device): nothing was linked. Start again.';

export class NewDeviceLink extends Emitter {
  /** `{ display, qr }`: the code as shown (13 groups of four) and the QR text. */
  code = null;
  /** This device's key fingerprint, which the approving device shows: the user compares them. */
  fingerprint = null;
  #name;
  #deviceKey;
  #linkKey;
  #channel;
  #request;
  #connection = null;
  #done = false;

  constructor({ name }) {
    super();
    const problem = deviceNameProblem(name);
    if (problem) throw new Error(`The device name ${problem}.`);
    this.#name = name;
  }

  /** Makes the keys and the code and opens the channel; the code is ready when this resolves. */
  async start() {
    this.#deviceKey = await generateDeviceKey();
    this.#linkKey = await generateLinkKey();
    this.#channel = b64(await linkChannel(this.#linkKey.publicKey));
    this.#request = b64(await sealLinkRequest(this.#linkKey.publicKey, { deviceKey: this.#deviceKey.publicKey, name: this.#name }));
    this.code = { display: linkCodeDisplay(this.#linkKey.publicKey), qr: linkCodeQrText(this.#linkKey.publicKey) };
    this.fingerprint = await keyFingerprint(this.#deviceKey.publicKey);
    this.#connection = new Connection({ url: socketUrl(), authenticate: async () => null });
    this.#connection.on('online', () => this.#open());
    this.#connection.on('frame', (frame) => {
      if (frame.type === LinkSealed.type && frame.channel === this.#channel) this.#sealed(frame);
    });
    this.#connection.start();
  }

  /** Stops waiting (the user gave up); the channel expires on the server. */
  cancel() {
    this.#done = true;
    this.#connection?.stop();
  }

  async #open() {
    try {
      const opened = await this.#connection.request(LinkOpen.of({ channel: this.#channel, request: this.#request }));
      if (!this.#done) this.emit('waiting', { expiresAt: opened.expiresAt });
    } catch (e) {
      if (!(e instanceof ServerError) || e.code === 'offline' || e.code === 'timeout') return; // reconnects and opens again
      this.#fail(e.code === ErrorCode.RATE_LIMITED
        ? 'Too many link attempts from this address. Wait a while, then start again.'
        : `The server refused the link: ${e.message}`);
    }
  }

  #fail(message) {
    this.cancel();
    this.emit('failed', { message });
  }

  /**
   * Takes the device the link added back off the account's list: logs in as it (its device
   * key) and publishes the next list without it. Rejects if that fails (offline, or the list
   * changed meanwhile: `stale_device_list`); the caller then tells the user to unlink it.
   */
  async #withdraw({ username, device, list }, identity) {
    const withoutThis = await nextDeviceList(identity, list, { remove: [device] });
    const connection = new Connection({
      url: socketUrl(),
      authenticate: async (nonce) => {
        const origin = serverOrigin();
        const timestamp = Date.now();
        const signature = b64(await signDeviceLogin(this.#deviceKey, { nonce, origin, timestamp, username, device }));
        return Login.of({ id: randomId(), username, device, origin, timestamp, signature });
      },
    });
    let timer;
    try {
      await new Promise((resolve, reject) => {
        timer = setTimeout(() => reject(new Error('the server did not answer')), WITHDRAW_TIMEOUT_MS);
        connection.on('online', () => connection.request(PublishDevices.of({ list: withoutThis })).then(resolve, reject));
        connection.on('fatal', (f) => reject(new ServerError(f)));
        connection.start();
      });
    } finally {
      clearTimeout(timer);
      connection.stop();
    }
  }

  async #sealed(frame) {
    if (this.#done) return;
    this.#done = true;
    this.#connection.stop();
    let message;
    let identity;
    try {
      const plaintext = await openLinkMessage(this.#linkKey, unb64(frame.sealed));
      message = decodeLinkMessage(new TextDecoder('utf-8', { fatal: true }).decode(plaintext));
      identity = await importLinkedIdentity(message.identity);
    } catch (e) {
      if (e instanceof LinkMessageError) console.error(e.message);
      this.emit('failed', { message: ALTERED });
      return;
    }
    const mine = message.list.devices.find((d) => d.id === message.device);
    const check = await checkDeviceList(identity.signing.publicKey, null, message.list);
    if (!check.accepted || message.device !== frame.device || !mine || !equalBytes(unb64(mine.key), this.#deviceKey.publicKey)) {
      this.emit('failed', { message: ALTERED });
      return;
    }
    // Created under the account's lock, so that no other tab of this browser opens, registers,
    // resets or links the same account meanwhile.
    const created = await navigator.locks.request(ACCOUNT_LOCK_PREFIX + message.username, { ifAvailable: true }, async (lock) => {
      if (!lock || (await listLocalAccounts()).some((a) => a.username === message.username)) return false;
      const { db } = await createLinkedAccount({
        username: message.username, identity, deviceId: message.device, deviceKey: this.#deviceKey, deviceName: this.#name,
        list: message.list, contacts: message.contacts, devices: message.devices, recoveryCodeShown: message.recoveryCodeShown,
      });
      db.close();
      return true;
    });
    if (!created) {
      const taken = `This browser already has an account named ${message.username}: a browser holds one device of an account. Remove it first, or link another browser.`;
      const withdrawn = await this.#withdraw(message, identity).then(() => true, (e) => {
        console.error(e);
        return false;
      });
      this.emit('failed', {
        message: withdrawn ? taken
          : `${taken} The device this link added (${this.#name}) could not be taken off ${message.username}'s list: unlink it in Settings on another device of ${message.username}.`,
      });
      return;
    }
    this.emit('linked', { username: message.username, history: message.history });
  }
}
