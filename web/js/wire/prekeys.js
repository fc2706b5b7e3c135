/** Uploading prekeys and fetching another user's bundle (docs/PROTOCOL.md §5), as Java's `PreKeyFrames`. */

import { answer, request, serverFrame } from './frame-type.js';
import { bytes, choice, integer, list, object, optionalObject } from './fields.js';
import { IDENTITY_KEYS, username } from './auth.js';
import { deviceId } from './devices.js';
import { KEM_KINDS } from './signed.js';
import {
  KEM_KEY_BYTES, MAX_INT, MAX_KEM_ONE_TIME_PER_UPLOAD, MAX_ONE_TIME_PER_UPLOAD, MAX_PREKEY_ID, SIGNATURE_BYTES, X25519_KEY_BYTES,
} from './limits.js';

const keyId = () => integer(0, MAX_PREKEY_ID);
const count = () => integer(0, MAX_INT);

/** The signed X25519 prekey. */
export const SIGNED_PREKEY = Object.freeze({ id: keyId(), key: bytes(X25519_KEY_BYTES), signature: bytes(SIGNATURE_BYTES) });
/** A signed ML-KEM-768 prekey as uploaded (its kind is where it is uploaded). */
export const KEM_PREKEY = Object.freeze({ id: keyId(), key: bytes(KEM_KEY_BYTES), signature: bytes(SIGNATURE_BYTES) });
/** A one-time X25519 prekey (unsigned: the PQXDH transcript binds it). */
export const ONE_TIME_PREKEY = Object.freeze({ id: keyId(), key: bytes(X25519_KEY_BYTES) });
/** The device's capability flags, signed so that a server cannot strip them. */
export const CAPABILITIES = Object.freeze({ flags: integer(0, 255), signature: bytes(SIGNATURE_BYTES) });
/** The ML-KEM key of a bundle: a one-time key while any is left, else the last-resort key. */
export const BUNDLE_KEM_PREKEY = Object.freeze({ ...KEM_PREKEY, kind: choice(Object.values(KEM_KINDS).map((k) => k.name)) });

/** What a first message to a user needs; `capabilities` and `oneTimePreKey` may be absent. */
export const BUNDLE = Object.freeze({
  identity: object(IDENTITY_KEYS), capabilities: optionalObject(CAPABILITIES), signedPreKey: object(SIGNED_PREKEY),
  oneTimePreKey: optionalObject(ONE_TIME_PREKEY), kemPreKey: object(BUNDLE_KEM_PREKEY),
});

const STOCK = { oneTimePreKeys: count(), kemOneTimePreKeys: count() };

/** Every part optional; a present part replaces (signed keys, capabilities) or adds to the stock. */
export const UploadPreKeys = request('upload_prekeys', {
  signedPreKey: optionalObject(SIGNED_PREKEY), kemLastResort: optionalObject(KEM_PREKEY), capabilities: optionalObject(CAPABILITIES),
  oneTimePreKeys: list(MAX_ONE_TIME_PER_UPLOAD, ONE_TIME_PREKEY), kemOneTimePreKeys: list(MAX_KEM_ONE_TIME_PER_UPLOAD, KEM_PREKEY),
});

/** The stock of one-time keys after an upload. */
export const PreKeysStored = answer('prekeys_stored', STOCK);

export const GetPreKeyCount = request('get_prekey_count');

export const PreKeyCount = answer('prekey_count', STOCK);

/** Unprompted: a bundle fetch left the owner's stock below limits.js LOW_ONE_TIME or LOW_KEM_ONE_TIME. */
export const PreKeysLow = serverFrame('prekeys_low', STOCK);

/** The bundle of one device of `username` (prekeys are per device). */
export const GetPreKeyBundle = request('get_prekey_bundle', { username: username(), device: deviceId() });

/** The answer to `get_prekey_bundle`. */
export const PreKeyBundle = answer('prekey_bundle', { username: username(), bundle: object(BUNDLE) });

export const PREKEY_FRAMES = Object.freeze([
  UploadPreKeys, PreKeysStored, GetPreKeyCount, PreKeyCount, PreKeysLow, GetPreKeyBundle, PreKeyBundle,
]);
