/**
 * A test double of the Parley server's routing for the browser client's multi-device tests
 * (multi-device-chat.test.js): it speaks the real wire (every frame decoded and encoded by
 * web/js/wire/codec.js, so a frame the catalogue refuses fails the test) and keeps what the
 * routing needs: accounts with their device lists, prekeys and a queue per device, link
 * channels. It is NOT the server: it checks no signature, applies no rate or size limit and
 * stores nothing on disk; the server's own behaviour is tested in the server module and e2e.
 * What it does enforce, as docs/design/LINKED-DEVICES.md says the server does: a send names
 * exactly the recipient's listed devices (to one's own name: all but the sender), else
 * `mismatched_devices` with nothing stored; lists change only by one version at a time,
 * adding a device only through `link_approve`; unlinked devices are closed with
 * `device_unlinked` and refused at login with `unknown_device`; an account from before
 * devices (`addUnlisted`) logs in as device 1, may only read and publish its first list, and
 * gets nothing relayed until it has (docs/PROTOCOL.md §3). `send_multi` (groups) is routed as
 * the server does: per recipient the same device check, refused recipients listed in the one
 * `stored` with nothing stored for them, every other copy queued (content plus the device's own
 * envelope, if any, and `multi: true`), deduplicated per (sender, device, id). Recipient sets
 * as the server keeps them: every `stored` of a frame that named its recipients carries the id
 * of that list (the same list from the same device, the same id), at most 8 per sending device
 * (least recently used dropped); a frame naming a set is expanded and checked like the list
 * (a member's changed devices refused `mismatched_devices`), an unknown one is answered
 * `unknown_recipient_set` with nothing stored; `forgetRecipientSets()` is a server restart.
 */

import { decode, encode } from '/web/js/wire/codec.js';
import { RelaySets } from './relay-sets.js';
import { RelayError, randomNonce } from './relay-error.js';

const OK_BEFORE_LOGIN = new Set(['register', 'login', 'reset', 'link_open', 'get_server_limits', 'ping']);
const OK_UNLISTED = new Set(['get_devices', 'publish_devices', 'ping', 'get_server_limits']);

export class TestRelay {
  accounts = new Map();
  channels = new Map();
  sockets = new Set();
  /** Every client frame type received, in order (for assertions on what was sent). */
  received = [];
  /** Every refusal sent, as `code` or `code missing=.. extra=..`. */
  refusals = [];
  /** Every login received with the challenge it signed: [{ frame, nonce }] (the relay itself checks no signature). */
  logins = [];
  /**
   * The directory mode (`server_limits.directory`): in 'private', `get_public_keys` is refused
   * with `directory_private`, new accounts are pushed to nobody, and `find_users` is the only
   * way to learn an account (the server's per-account look-up limit is not applied here).
   */
  directory = 'open';
  /** Every `find_users` received: its usernames. */
  lookups = [];
  /** Whether list changes are pushed (`devices_changed`); off, senders learn of them from `mismatched_devices`. */
  pushDevicesChanged = true;
  /**
   * When set, `(relayFrame) => frames`: what is queued instead of each relayed copy, as a
   * server that rewrites `fromDevice` could (receivers must refuse a device the list lacks).
   */
  tamper = null;
  /**
   * Every `send_multi` received: [{ id, from, recipients: [to], content: boolean, recipientSet: the
   * set it named or null, devices: ["to:1+2"], refused?: the whole frame's refusal }] (groups'
   * tests; a set's recipients as expanded).
   */
  multis = [];
  #sets = new RelaySets();
  #serverTime = 1_764_150_000_000;

  /** A new connection; `endpoint = { send(text), close() }` reaches the client. -> { receive(text), closed() } */
  accept(endpoint) {
    const socket = { endpoint, auth: null, open: true, nonce: randomNonce() };
    this.sockets.add(socket);
    this.#send(socket, { type: 'challenge', nonce: socket.nonce });
    return { receive: (text) => this.#receive(socket, text), closed: () => this.#closed(socket) };
  }

  #send(socket, frame) {
    if (socket.open) socket.endpoint.send(encode(frame));
  }

  #close(socket) {
    socket.open = false;
    this.#closed(socket);
    socket.endpoint.close();
  }

  #closed(socket) {
    this.sockets.delete(socket);
    socket.open = false;
    if (socket.auth) {
      const device = this.accounts.get(socket.auth.username)?.devices.get(socket.auth.device);
      if (device?.socket === socket) device.socket = null;
    }
  }

  #receive(socket, text) {
    let frame;
    try {
      frame = decode('client', text);
    } catch (e) {
      this.#send(socket, { type: 'error', code: e.code ?? 'bad_frame', message: e.message });
      return;
    }
    this.received.push(frame.type);
    try {
      if (!socket.auth && !OK_BEFORE_LOGIN.has(frame.type)) throw new RelayError('not_authenticated', 'log in first');
      if (socket.auth && !this.accounts.get(socket.auth.username).list && !OK_UNLISTED.has(frame.type)) {
        throw new RelayError('unknown_device', 'publish a device list first');
      }
      const answer = this[`on_${frame.type}`](socket, frame);
      if (answer) this.#send(socket, { ...answer, re: frame.id });
    } catch (e) {
      if (!(e instanceof RelayError)) throw e;
      this.refusals.push(e.extra.missing ? `${e.code} missing=${e.extra.missing} extra=${e.extra.extra}` : e.code);
      this.#send(socket, { type: 'error', re: frame.id, code: e.code, message: e.message, ...e.extra });
    }
  }

  #account(username) {
    const account = this.accounts.get(username);
    if (!account) throw new RelayError('unknown_user', `no user ${username}`);
    return account;
  }

  #newDevice(key) {
    return { key, socket: null, lastSeen: null, queue: [], prekeys: { oneTimePreKeys: [], kemOneTimePreKeys: [] } };
  }

  #authenticated(socket, username, deviceId) {
    const device = this.accounts.get(username).devices.get(deviceId);
    if (device.socket && device.socket !== socket) {
      this.#send(device.socket, { type: 'error', code: 'session_replaced', message: 'logged in on another connection' });
      this.#close(device.socket);
    }
    device.socket = socket;
    device.lastSeen = Date.now() - (Date.now() % 86_400_000); // the server records the UTC day only
    socket.auth = { username, device: deviceId };
    for (const [channel, link] of this.channels) if (link.username === username && link.device === deviceId) this.channels.delete(channel);
    queueMicrotask(() => device.queue.forEach((m) => this.#send(socket, m)));
  }

  /** An account as a server upgraded to linked devices holds one from before: no list, its prekeys as device 1's. */
  addUnlisted(username, identity) {
    this.accounts.set(username, { identity, list: null, largest: 1, devices: new Map([[1, this.#newDevice(null)]]) });
  }

  on_register(socket, { username, identity, deviceList }) {
    if (this.accounts.has(username)) throw new RelayError('username_taken', 'taken');
    const account = { identity, list: deviceList, largest: 1, devices: new Map([[1, this.#newDevice(deviceList.devices[0].key)]]) };
    this.accounts.set(username, account);
    this.#authenticated(socket, username, 1);
    if (this.directory === 'open') this.#broadcast({ type: 'public_keys', complete: false, users: [{ username, identity, online: true }] }, socket);
    return { type: 'registered', username, device: 1 };
  }

  on_login(socket, frame) {
    const { username, device } = frame;
    this.logins.push({ frame, nonce: socket.nonce });
    const account = this.#account(username);
    if (!account.devices.has(device)) throw new RelayError('unknown_device', `${username} has no device ${device}`);
    if (!account.list) {
      account.devices.get(device).socket = socket;
      socket.auth = { username, device };
      return { type: 'logged_in', username, device };
    }
    this.#authenticated(socket, username, device);
    return { type: 'logged_in', username, device };
  }

  on_ping() {
    return { type: 'pong' };
  }

  on_get_server_limits() {
    return { type: 'server_limits', maxEnvelopeChars: 60_000, sendWindow: 256, framesPerSecond: 1000, frameBurst: 1000, queueTtlSeconds: 86_400, directory: this.directory };
  }

  on_get_public_keys(socket) {
    if (this.directory === 'private') throw new RelayError('directory_private', 'this directory is private');
    socket.subscribed = true;
    const users = [...this.accounts].map(([username, a]) => ({ username, identity: a.identity, online: [...a.devices.values()].some((d) => d.socket) }));
    return { type: 'public_keys', complete: true, users };
  }

  on_find_users(socket, { usernames }) {
    this.lookups.push([...usernames]);
    const users = [...new Set(usernames)].filter((u) => this.accounts.has(u)).map((username) => {
      const a = this.accounts.get(username);
      return { username, identity: a.identity, online: [...a.devices.values()].some((d) => d.socket) };
    });
    return { type: 'public_keys', complete: false, users };
  }

  #stock(device) {
    return { oneTimePreKeys: device.prekeys.oneTimePreKeys.length, kemOneTimePreKeys: device.prekeys.kemOneTimePreKeys.length };
  }

  #me(socket) {
    return this.accounts.get(socket.auth.username).devices.get(socket.auth.device);
  }

  on_upload_prekeys(socket, frame) {
    const { prekeys } = this.#me(socket);
    for (const part of ['signedPreKey', 'kemLastResort', 'capabilities']) if (frame[part]) prekeys[part] = frame[part];
    prekeys.oneTimePreKeys.push(...frame.oneTimePreKeys);
    prekeys.kemOneTimePreKeys.push(...frame.kemOneTimePreKeys);
    return { type: 'prekeys_stored', ...this.#stock(this.#me(socket)) };
  }

  on_get_prekey_count(socket) {
    return { type: 'prekey_count', ...this.#stock(this.#me(socket)) };
  }

  on_get_devices(socket, { username }) {
    const account = this.#account(username);
    if (!account.list) return { type: 'devices', username, servers: [{ id: 1 }] };
    const own = username === socket.auth.username;
    const servers = [...account.devices].map(([id, d]) => (own ? { id, lastSeen: d.lastSeen ?? undefined } : { id }));
    return { type: 'devices', username, list: account.list, servers };
  }

  on_get_prekey_bundle(socket, { username, device }) {
    const target = this.#account(username).devices.get(device);
    if (!target) throw new RelayError('unknown_device', `${username} has no device ${device}`);
    const { prekeys } = target;
    if (!prekeys.signedPreKey) throw new RelayError('no_prekeys', `${username}'s device ${device} has no prekeys yet`);
    const kem = prekeys.kemOneTimePreKeys.shift();
    const bundle = {
      identity: this.accounts.get(username).identity, capabilities: prekeys.capabilities, signedPreKey: prekeys.signedPreKey,
      oneTimePreKey: prekeys.oneTimePreKeys.shift(),
      kemPreKey: kem ? { ...kem, kind: 'one-time' } : { ...prekeys.kemLastResort, kind: 'last-resort' },
    };
    return { type: 'prekey_bundle', username, bundle };
  }

  on_send_message(socket, { id, to, content, devices }) {
    const account = this.#account(to);
    if (!account.list) throw new RelayError('unknown_device', `${to} has not published a device list yet`);
    const { username: from, device: fromDevice } = socket.auth;
    const expected = account.list.devices.map((d) => d.id).filter((d) => to !== from || d !== fromDevice);
    const named = devices.map((d) => d.device);
    const missing = expected.filter((d) => !named.includes(d));
    const extra = named.filter((d) => !expected.includes(d));
    if (missing.length || extra.length) {
      throw new RelayError('mismatched_devices', `'${to}' has devices ${expected}`, { missing, extra });
    }
    const serverTime = ++this.#serverTime;
    for (const { device, envelope } of devices) {
      const target = account.devices.get(device);
      const relay = { type: 'relay_message', id, from, fromDevice, envelope, content, serverTime };
      for (const copy of this.tamper ? this.tamper(relay) : [relay]) {
        if (target.queue.some((m) => m.id === id && m.from === from && m.fromDevice === copy.fromDevice)) continue;
        target.queue.push(copy);
        if (target.socket) this.#send(target.socket, copy);
      }
    }
    return { type: 'stored', serverTime };
  }

  /** The refusal of `to` for a send from `from`'s `fromDevice` naming `named`, or null. */
  #deviceMismatch(account, to, from, fromDevice, named) {
    const expected = account.list.devices.map((d) => d.id).filter((d) => to !== from || d !== fromDevice);
    const missing = expected.filter((d) => !named.includes(d));
    const extra = named.filter((d) => !expected.includes(d));
    return missing.length || extra.length ? { missing, extra } : null;
  }

  /** Queues one relayed copy on `target` (deduplicated per sender device and id) and sends it if connected. */
  #deliver(target, relay) {
    for (const copy of this.tamper ? this.tamper(relay) : [relay]) {
      if (target.queue.some((m) => m.id === relay.id && m.from === relay.from && m.fromDevice === copy.fromDevice)) continue;
      target.queue.push(copy);
      if (target.socket) this.#send(target.socket, copy);
    }
  }

  /** Drops every recipient set, as a server restart does. */
  forgetRecipientSets() {
    this.#sets.clear();
  }

  on_send_multi(socket, { id, content, recipients: named, recipientSet }) {
    const { username: from, device: fromDevice } = socket.auth;
    let recipients = named;
    try {
      if (recipientSet) recipients = this.#sets.expand(from, fromDevice, recipientSet);
    } catch (e) {
      this.multis.push({ id, from, recipients: [], content: content !== undefined, recipientSet, devices: [], refused: e.code });
      throw e;
    }
    this.multis.push({
      id, from, recipients: recipients.map((r) => r.to), content: content !== undefined, recipientSet: recipientSet ?? null,
      devices: recipients.map((r) => `${r.to}:${r.devices.map((d) => d.device).join('+')}`),
    });
    const serverTime = ++this.#serverTime;
    const refused = [];
    for (const { to, devices } of recipients) {
      const account = this.accounts.get(to);
      const mismatch = account?.list ? this.#deviceMismatch(account, to, from, fromDevice, devices.map((d) => d.device)) : null;
      const refusal = !account ? { to, code: 'unknown_user' } : !account.list ? { to, code: 'unknown_device' }
        : mismatch ? { to, code: 'mismatched_devices', ...mismatch } : null;
      if (refusal) {
        refused.push(refusal);
        this.refusals.push(refusal.missing ? `${refusal.code} missing=${refusal.missing} extra=${refusal.extra}` : refusal.code);
        continue;
      }
      for (const { device, envelope } of devices) {
        const relay = { type: 'relay_message', id, from, fromDevice, serverTime, multi: true };
        if (envelope !== undefined) relay.envelope = envelope;
        if (content !== undefined) relay.content = content;
        this.#deliver(account.devices.get(device), relay);
      }
    }
    const set = recipientSet ? {} : { recipientSet: this.#sets.issue(from, fromDevice, recipients) };
    return { type: 'stored', serverTime, refused, ...set };
  }

  on_ack(socket, { id, from }) {
    const me = this.#me(socket);
    me.queue = me.queue.filter((m) => !(m.id === id && m.from === from));
  }

  /** Replaces `username`'s list by `list` (one version more); drops the devices it no longer names. */
  #replaceList(username, list) {
    const account = this.accounts.get(username);
    if (list.version !== account.list.version + 1) throw new RelayError('stale_device_list', `expected version ${account.list.version + 1}`);
    account.list = list;
    for (const [id, device] of account.devices) {
      if (list.devices.some((d) => d.id === id)) continue;
      account.devices.delete(id);
      if (device.socket) {
        this.#send(device.socket, { type: 'error', code: 'device_unlinked', message: 'this device was unlinked' });
        this.#close(device.socket);
      }
    }
    if (this.pushDevicesChanged) this.#broadcast({ type: 'devices_changed', username, version: list.version });
  }

  on_publish_devices(socket, { list }) {
    const account = this.accounts.get(socket.auth.username);
    if (!account.list) {
      if (list.version !== 1 || list.devices.length !== 1 || list.devices[0].id !== 1) throw new RelayError('bad_device_list', 'version 1, device 1 alone');
      account.list = list;
      account.devices.get(1).key = list.devices[0].key;
      if (this.pushDevicesChanged) this.#broadcast({ type: 'devices_changed', username: socket.auth.username, version: 1 });
      return { type: 'devices_published', version: 1 };
    }
    if (list.devices.some((d) => !account.devices.has(d.id))) throw new RelayError('bad_device_list', 'a device is added only by link_approve');
    this.#replaceList(socket.auth.username, list);
    return { type: 'devices_published', version: list.version };
  }

  on_link_open(socket, { channel, request }) {
    const link = this.channels.get(channel) ?? { request, expiresAt: Date.now() + 600_000 };
    link.socket = socket;
    this.channels.set(channel, link);
    if (link.sealed) queueMicrotask(() => this.#send(socket, { type: 'link_sealed', channel, sealed: link.sealed, device: link.device }));
    return { type: 'link_opened', expiresAt: link.expiresAt };
  }

  on_link_peek(socket, { channel }) {
    const link = this.channels.get(channel);
    if (!link) throw new RelayError('unknown_link', 'no such link');
    if (link.sealed) throw new RelayError('link_expired', 'already approved');
    return { type: 'link_request', channel, request: link.request, expiresAt: link.expiresAt };
  }

  on_link_approve(socket, { channel, list, sealed }) {
    const link = this.channels.get(channel);
    if (!link) throw new RelayError('unknown_link', 'no such link');
    if (link.sealed) throw new RelayError('link_expired', 'already approved');
    const { username } = socket.auth;
    const account = this.accounts.get(username);
    const added = list.devices.filter((d) => !account.devices.has(d.id));
    if (added.length !== 1 || added[0].id <= account.largest) throw new RelayError('bad_device_list', 'exactly one new device, at a new id');
    if (list.devices.length > 6) throw new RelayError('too_many_devices', 'at most 6');
    this.#replaceList(username, list);
    account.devices.set(added[0].id, this.#newDevice(added[0].key));
    account.largest = added[0].id;
    Object.assign(link, { sealed, device: added[0].id, username });
    if (link.socket?.open) this.#send(link.socket, { type: 'link_sealed', channel, sealed, device: added[0].id });
    return { type: 'link_approved', device: added[0].id };
  }

  #broadcast(frame, except = null) {
    for (const socket of this.sockets) if (socket.auth && socket !== except) this.#send(socket, frame);
  }
}
