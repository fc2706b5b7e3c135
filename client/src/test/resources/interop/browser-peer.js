// A minimal Parley client made of the browser's protocol modules and wire catalogue (web/js/protocol
// and web/js/wire, served by the server under /js/), for the Java-browser interop test. Evaluated
// in a page of the server's origin; installs window.parleyPeer. Keys stay in memory
// (CryptoKeys). The peer is device 1 of its account (one device, list version 1; sessions and
// relays per sending device). Every frame is encoded and decoded by the catalogue.
async ({ wsUrl, origin }) => {
  const P = await import('/js/protocol/index.js');
  const { encode, decode } = await import('/js/wire/codec.js');
  const { Challenge, ErrorFrame } = await import('/js/wire/session.js');
  const { Register, Login } = await import('/js/wire/auth.js');
  const { UploadPreKeys, GetPreKeyBundle } = await import('/js/wire/prekeys.js');
  const { SendMessage, RelayMessage, Ack } = await import('/js/wire/delivery.js');
  const { deviceListBytes, deviceAuthBytes } = await import('/js/wire/signed.js');
  const DEVICE = 1;

  const challenges = [];
  const challengeWaiters = [];
  const pending = new Map();
  const signed = new Map();
  const oneTime = new Map();
  const kem = new Map();
  const records = new Map();
  const identities = new Map();
  const inbox = [];
  const errors = [];
  let held = [];
  let holding = false;
  let chain = Promise.resolve();
  let requestIds = 0;
  let identity;
  let username;
  let deviceKey;

  let ws;
  async function open() {
    challenges.length = 0;
    ws = new WebSocket(wsUrl);
    ws.onmessage = onFrame;
    await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = () => reject(new Error('websocket failed')); });
  }

  function onFrame(event) {
    const frame = decode('server', event.data);
    if (frame.type === Challenge.type) {
      const nonce = P.unb64(frame.nonce);
      const waiter = challengeWaiters.shift();
      if (waiter) waiter(nonce); else challenges.push(nonce);
      return;
    }
    const key = frame.re;
    if (key !== undefined && pending.has(key)) {
      const { resolve, reject } = pending.get(key);
      pending.delete(key);
      if (frame.type === ErrorFrame.type) reject(new Error(`${frame.code}: ${frame.message}`)); else resolve(frame);
      return;
    }
    if (frame.type === RelayMessage.type) {
      if (holding) held.push(frame); else chain = chain.then(() => receive(frame));
    }
  }

  async function auth(action) {
    const nonce = await nextChallenge();
    const timestamp = Date.now();
    const signature = await P.signAuth(identity, { nonce, origin, timestamp, action, username });
    return { username, origin, timestamp, signature: P.b64(signature) };
  }

  /** A device login: signed by this device's key, not the identity (parley-device-auth-v1). */
  async function deviceLogin() {
    const nonce = await nextChallenge();
    const timestamp = Date.now();
    const bytes = deviceAuthBytes({ nonce, origin, timestamp, username, device: DEVICE });
    const signature = new Uint8Array(await crypto.subtle.sign('Ed25519', deviceKey.privateKey, bytes));
    return Login.of({ username, device: DEVICE, origin, timestamp, signature: P.b64(signature) });
  }

  /** List version 1: this device alone, signed by the identity (parley-device-list-v1). */
  async function firstDeviceList() {
    const key = new Uint8Array(await crypto.subtle.exportKey('raw', deviceKey.publicKey));
    const list = { version: 1, issuedAt: Date.now(), devices: [{ id: DEVICE, key: P.b64(key), linkedAt: Date.now() }] };
    const signature = new Uint8Array(await crypto.subtle.sign('Ed25519', identity.signing.privateKey, deviceListBytes(list)));
    return { ...list, signature: P.b64(signature) };
  }

  await open();

  function nextChallenge() {
    if (challenges.length) return Promise.resolve(challenges.shift());
    return new Promise((resolve) => challengeWaiters.push(resolve));
  }

  function request(frame) {
    if (frame.id === undefined) frame.id = 'w' + (++requestIds);
    return new Promise((resolve, reject) => {
      pending.set(frame.id, { resolve, reject });
      ws.send(encode(frame));
    });
  }

  const prekeys = {
    signedPreKey: (id) => signed.get(id),
    oneTimePreKey: (id) => oneTime.get(id),
    kemPreKey: (id, kind) => kem.get(kind + ':' + id),
  };

  async function receive(frame) {
    const peer = frame.from + '/' + frame.fromDevice;
    const record = records.get(peer) ?? P.emptyRecord();
    try {
      // With content (a fan-out), the FanOutMessage is 0x03 || u32 len(envelope) || envelope || content.
      const envelope = frame.content == null ? frame.envelope : P.b64(fanOut(P.unb64(frame.envelope), P.unb64(frame.content)));
      const out = await P.decryptEnvelope(record, envelope, { identity, capabilities: 0, prekeys, now: Date.now() });
      records.set(peer, out.record);
      const used = out.preKeysUsed;
      if (used && used.oneTimePreKeyId !== undefined) oneTime.delete(used.oneTimePreKeyId);
      if (used && used.kemPreKey && used.kemPreKey.kind === P.KEM_KIND_ONE_TIME) kem.delete(P.KEM_KIND_ONE_TIME + ':' + used.kemPreKey.id);
      identities.set(frame.from, out.remoteIdentity);
      const p = out.payload;
      inbox.push({ from: frame.from, device: frame.fromDevice, wireId: frame.id, type: p.type, id: p.id, sentAt: Number(p.sentAt),
        text: p.text ?? null, ids: p.ids ?? null, typing: p.typing ?? null });
    } catch (e) {
      errors.push({ from: frame.from, id: frame.id, code: e.code ?? null, message: String(e) });
    }
    ws.send(encode(Ack.of({ id: frame.id, from: frame.from })));
  }

  function fanOut(keyMessage, content) {
    const out = new Uint8Array(5 + keyMessage.length + content.length);
    out[0] = P.KIND_FANOUT;
    new DataView(out.buffer).setUint32(1, keyMessage.length);
    out.set(keyMessage, 5);
    out.set(content, 5 + keyMessage.length);
    return out;
  }

  /** One whole message for device 1 of `to` (the Java peers of this test have one device). */
  async function encryptFor(to, payload) {
    const peer = to + '/1';
    let record = records.get(peer) ?? P.emptyRecord();
    if (!P.canEncrypt(record)) {
      const reply = await request(GetPreKeyBundle.of({ username: to, device: 1 }));
      const bundle = await P.verifyBundle(reply.bundle);
      record = (await P.initiateSession(record, { identity, bundle })).record;
      identities.set(to, bundle.identity.publicIdentity);
    }
    const out = await P.encryptPayload(record, payload);
    records.set(peer, out.record); // stored before the envelope leaves
    return out.envelope;
  }

  const randomId = () => P.b64(crypto.getRandomValues(new Uint8Array(16)));

  window.parleyPeer = {
    async register(name) {
      username = name;
      identity = await P.generateIdentity();
      deviceKey = await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify']);
      const recoveryHash = new Uint8Array(await crypto.subtle.digest('SHA-256', crypto.getRandomValues(new Uint8Array(20))));
      await request(Register.of({ ...(await auth('register')), identity: P.publicJson.identity(identity),
        recoveryHash: P.b64(recoveryHash), deviceList: await firstDeviceList() }));
      const spk = await P.generateSignedPreKey(identity, 1);
      const lastResort = await P.generateKemPreKey(identity, 1, P.KEM_KIND_LAST_RESORT);
      const caps = await P.signCapabilities(identity, 0);
      const opks = await P.generateOneTimePreKeys(1, 10);
      const kems = [];
      for (let i = 0; i < 3; i++) kems.push(await P.generateKemPreKey(identity, 100 + i, P.KEM_KIND_ONE_TIME));
      signed.set(spk.id, spk);
      kem.set(P.KEM_KIND_LAST_RESORT + ':' + lastResort.id, lastResort);
      opks.forEach((k) => oneTime.set(k.id, k));
      kems.forEach((k) => kem.set(P.KEM_KIND_ONE_TIME + ':' + k.id, k));
      await request(UploadPreKeys.of({ signedPreKey: P.publicJson.signedPreKey(spk), kemLastResort: P.publicJson.kemPreKey(lastResort),
        capabilities: P.publicJson.capabilities(caps), oneTimePreKeys: opks.map(P.publicJson.oneTimePreKey),
        kemOneTimePreKeys: kems.map(P.publicJson.kemPreKey) }));
      return name;
    },
    /** Closes the WebSocket: the account is offline, the server queues what arrives for it. */
    async goOffline() {
      const closed = new Promise((resolve) => { ws.onclose = resolve; });
      ws.close();
      await closed;
    },
    /** Reconnects and logs in with the same identity; the server replays the queue. */
    async comeOnline() {
      await open();
      await request(await deviceLogin());
    },
    /** Encrypts a text now and returns {id, envelope} without sending it. */
    async encryptText(to, text) {
      const id = randomId();
      return { id, envelope: await encryptFor(to, { type: 'text', sentAt: Date.now(), id, text }) };
    },
    /** Sends an envelope; resolves with the server's `stored` answer's `duplicate` flag. */
    async sendEnvelope(to, id, envelope) {
      const stored = await request(SendMessage.of({ id, to, devices: [{ device: 1, envelope }] }));
      return stored.duplicate;
    },
    async sendText(to, text) {
      const { id, envelope } = await this.encryptText(to, text);
      await this.sendEnvelope(to, id, envelope);
      return id;
    },
    async sendReceipt(to, type, ids) {
      const id = randomId();
      await this.sendEnvelope(to, id, await encryptFor(to, { type, sentAt: Date.now(), id, ids }));
      return id;
    },
    async sendTyping(to, typing) {
      const id = randomId();
      await this.sendEnvelope(to, id, await encryptFor(to, { type: 'typing', sentAt: Date.now(), id, typing }));
    },
    /** Holds relayed messages instead of decrypting them, until release(order). */
    hold() { holding = true; },
    /** Decrypts the held messages in the given order of indexes (e.g. [2, 0, 1]). */
    async release(order) {
      const frames = held;
      held = [];
      holding = false;
      for (const i of order) chain = chain.then(() => receive(frames[i]));
      await chain;
      return frames.length;
    },
    heldCount() { return held.length; },
    /** Waits until `count` payloads of `type` have arrived; returns them in arrival order. */
    async waitFor(type, count, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = inbox.filter((m) => m.type === type);
        if (found.length >= count) return found;
        if (Date.now() > deadline) throw new Error(`only ${found.length} ${type} payloads within ${timeoutMs} ms; errors: ${JSON.stringify(errors)}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    errors() { return errors; },
    async safetyNumber(peerName) {
      return P.safetyNumber(identity.publicIdentity, username, identities.get(peerName), peerName);
    },
  };
}
