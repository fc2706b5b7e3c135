/**
 * This device's prekeys (docs/CRYPTO.md §1): generation, storage, upload, replenishing and
 * rotation. Private halves are generated non-extractable and stored in the account database
 * **before** the public halves are uploaded, so every published key can be used.
 *
 * - At registration: signed prekey, last-resort ML-KEM prekey, capabilities (flags 0: PQXDH
 *   only), 100 one-time X25519 and 20 one-time ML-KEM prekeys.
 * - Replenished to a full batch when the server reports fewer than 20 / 5 left
 *   (`prekeys_low`, or `prekey_count` after login).
 * - The signed prekey and the last-resort KEM prekey are rotated after 7 days; the previous
 *   ones stay usable for 30 more days for PreKeyMessages already in flight.
 */

import {
  generateSignedPreKey, generateOneTimePreKeys, generateKemPreKey, signCapabilities, publicJson,
  KEM_KIND_LAST_RESORT, KEM_KIND_ONE_TIME, limits,
} from '../protocol/index.js';
import { tx, done, getAll } from '../store/idb.js';
import { kemKey } from '../store/account-db.js';
import { addEvent, EVENTS } from '../store/security-log.js';
import { UploadPreKeys, GetPreKeyCount } from '../wire/prekeys.js';

const RETIRED_PREKEY_GRACE_MS = 30 * 24 * 60 * 60 * 1000;

/** The `prekeys` lookup that js/protocol's decryptEnvelope uses. */
export function prekeyLookup(db) {
  const get = (store, key) => tx(db, store, 'readonly', (s) => done(s[store].get(key)));
  return {
    signedPreKey: (id) => get('signedPreKeys', id),
    oneTimePreKey: (id) => get('oneTimePreKeys', id),
    kemPreKey: (id, kind) => get('kemPreKeys', kemKey(kind, id)),
  };
}

/** Deletes the prekeys a PreKeyMessage used (in the caller's transaction). */
export function deleteUsedPreKeys(stores, used) {
  if (!used) return;
  if (used.oneTimePreKeyId !== undefined) stores.oneTimePreKeys.delete(used.oneTimePreKeyId);
  if (used.kemPreKey && used.kemPreKey.kind === KEM_KIND_ONE_TIME) {
    stores.kemPreKeys.delete(kemKey(used.kemPreKey.kind, used.kemPreKey.id));
  }
}

async function nextIds(db, field, count) {
  return tx(db, 'meta', 'readwrite', async ({ meta }) => {
    const account = await done(meta.get('account'));
    const first = account[field];
    account[field] = (first + count) % 0xffffffff;
    meta.put(account, 'account');
    return first;
  });
}

/** Generates a batch of one-time X25519 prekeys, stores the private halves, returns the JSON. */
async function oneTimeBatch(db) {
  const first = await nextIds(db, 'nextOneTimePreKeyId', limits.ONE_TIME_PREKEY_BATCH);
  const keys = await generateOneTimePreKeys(first, limits.ONE_TIME_PREKEY_BATCH);
  await tx(db, 'oneTimePreKeys', 'readwrite', ({ oneTimePreKeys }) => keys.forEach((k) => oneTimePreKeys.put(k)));
  return keys.map(publicJson.oneTimePreKey);
}

async function kemBatch(db, identity) {
  const first = await nextIds(db, 'nextKemPreKeyId', limits.KEM_PREKEY_BATCH);
  const keys = [];
  for (let i = 0; i < limits.KEM_PREKEY_BATCH; i++) {
    keys.push(await generateKemPreKey(identity, (first + i) % 0xffffffff, KEM_KIND_ONE_TIME));
  }
  await tx(db, 'kemPreKeys', 'readwrite', ({ kemPreKeys }) => keys.forEach((k) => kemPreKeys.put({ ...k, key: kemKey(k.kind, k.id) })));
  return keys.map(publicJson.kemPreKey);
}

/** A new signed prekey and last-resort KEM prekey, stored; older ones are marked retired. */
async function rotatedKeys(db, identity) {
  const id = await nextIds(db, 'nextSignedPreKeyId', 1);
  const spk = await generateSignedPreKey(identity, id);
  const kem = await generateKemPreKey(identity, id, KEM_KIND_LAST_RESORT);
  const now = Date.now();
  await tx(db, ['meta', 'signedPreKeys', 'kemPreKeys'], 'readwrite', async ({ meta, signedPreKeys, kemPreKeys }) => {
    const account = await done(meta.get('account'));
    for (const old of await getAll(signedPreKeys)) {
      if (old.retiredAt === undefined) signedPreKeys.put({ ...old, retiredAt: now });
      else if (now - old.retiredAt > RETIRED_PREKEY_GRACE_MS) signedPreKeys.delete(old.id);
    }
    for (const old of await getAll(kemPreKeys)) {
      if (old.kind !== KEM_KIND_LAST_RESORT) continue;
      if (old.retiredAt === undefined) kemPreKeys.put({ ...old, retiredAt: now });
      else if (now - old.retiredAt > RETIRED_PREKEY_GRACE_MS) kemPreKeys.delete(old.key);
    }
    signedPreKeys.put({ ...spk, createdAt: now });
    kemPreKeys.put({ ...kem, key: kemKey(kem.kind, kem.id), createdAt: now });
    meta.put({ ...account, signedPreKeyAt: now }, 'account');
  });
  return { signedPreKey: publicJson.signedPreKey(spk), kemLastResort: publicJson.kemPreKey(kem) };
}

/** The full first upload of a new (or reset) account. */
export async function uploadInitialPreKeys(db, identity, connection) {
  const frame = UploadPreKeys.of({
    ...(await rotatedKeys(db, identity)),
    capabilities: publicJson.capabilities(await signCapabilities(identity, 0)),
    oneTimePreKeys: await oneTimeBatch(db),
    kemOneTimePreKeys: await kemBatch(db, identity),
  });
  const answer = await connection.request(frame);
  await markUploaded(db, { initial: true, ...answer });
  return answer;
}

/**
 * Brings the server's stock back up when it is low and rotates the signed keys when due.
 * `counts` is a `prekey_count` / `prekeys_low` frame.
 */
export async function replenish(db, identity, connection, counts) {
  const account = await tx(db, 'meta', 'readonly', ({ meta }) => done(meta.get('account')));
  const parts = {};
  if (counts.oneTimePreKeys < limits.ONE_TIME_PREKEY_REFILL_BELOW) parts.oneTimePreKeys = await oneTimeBatch(db);
  if (counts.kemOneTimePreKeys < limits.KEM_PREKEY_REFILL_BELOW) parts.kemOneTimePreKeys = await kemBatch(db, identity);
  const rotate = Date.now() - (account.signedPreKeyAt ?? 0) > limits.SIGNED_PREKEY_ROTATION_MS;
  if (rotate) Object.assign(parts, await rotatedKeys(db, identity));
  if (Object.keys(parts).length === 0) return null;
  const frame = UploadPreKeys.of(parts);
  const answer = await connection.request(frame);
  await markUploaded(db, { rotated: rotate, ...answer });
  return answer;
}

async function markUploaded(db, { initial, rotated, oneTimePreKeys, kemOneTimePreKeys }) {
  await tx(db, ['meta', 'log'], 'readwrite', async ({ meta, log }) => {
    if (initial) {
      const account = await done(meta.get('account'));
      meta.put({ ...account, prekeysUploaded: true }, 'account');
    }
    if (rotated) addEvent(log, { event: EVENTS.signedPreKeyRotated });
    addEvent(log, { event: EVENTS.prekeysUploaded, detail: `server stock: ${oneTimePreKeys} one-time X25519, ${kemOneTimePreKeys} one-time ML-KEM-768` });
  });
}

/**
 * Keeps the server's stock of this device's prekeys: the first upload after registration,
 * then a check after every login and on every `prekeys_low`. One upload at a time: every
 * bundle fetch below the threshold sends another `prekeys_low`; warnings that arrive during an
 * upload make it check the server's count again afterwards, so a shortage of the other kind is
 * not missed.
 */
export class PreKeyUpkeep {
  #chat;
  #running = null;
  #again = false;

  /** `chat`: the messenger's shared state (messenger.js). */
  constructor(chat) {
    this.#chat = chat;
  }

  /** After a login: the initial upload if it never happened, else a count and a top-up. */
  async afterLogin(account) {
    const { db, connection } = this.#chat;
    if (!account.prekeysUploaded) {
      await uploadInitialPreKeys(db, account.identity, connection);
      return { ...account, prekeysUploaded: true };
    }
    this.replenish(await connection.request(GetPreKeyCount.of()));
    return account;
  }

  /** Tops up the stock from `counts` (a `prekey_count` or `prekeys_low` frame). */
  replenish(counts) {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    const { db, connection } = this.#chat;
    this.#running = (async () => {
      let next = counts;
      for (;;) {
        this.#again = false;
        await replenish(db, this.#chat.identity(), connection, next);
        if (!this.#again) return;
        next = await connection.request(GetPreKeyCount.of());
      }
    })().catch((e) => this.#chat.report(e)).finally(() => { this.#running = null; });
    return this.#running;
  }
}
