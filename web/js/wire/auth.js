/**
 * Register, log in, reset (docs/PROTOCOL.md §3), as Java's `AuthFrames`. Each is signed over
 * the connection's challenge (signed.js `authBytes`); the form of the username a new account
 * may take (limits.js `USERNAME`) is the server's check, answered `invalid_username`.
 */

import { answer, request } from './frame-type.js';
import { bytes, integer, object, pattern, string } from './fields.js';
import { DEVICE_LIST, deviceId } from './devices.js';
import {
  ED25519_KEY_BYTES, HASH_BYTES, MAX_LONG, MAX_NAME_CHARS, MAX_RECOVERY_CODE_CHARS, ORIGIN, SIGNATURE_BYTES, X25519_KEY_BYTES,
} from './limits.js';

/** A username as frames carry it (an account's own name is checked by the server). */
export const username = () => string(MAX_NAME_CHARS);

/** A device's public identity: Ed25519 signing key, X25519 key, and the binding signature of the latter by the former. */
export const IDENTITY_KEYS = Object.freeze({
  signingKey: bytes(ED25519_KEY_BYTES), dhKey: bytes(X25519_KEY_BYTES), binding: bytes(SIGNATURE_BYTES),
});

const SIGNED = { origin: pattern(ORIGIN, 'an http(s) origin'), timestamp: integer(0, MAX_LONG), signature: bytes(SIGNATURE_BYTES) };

/** `deviceList`: version 1 listing the registering device alone, as device 1. Signed by IKs over `parley-auth-v1`. */
export const Register = request('register', {
  username: username(), identity: object(IDENTITY_KEYS), recoveryHash: bytes(HASH_BYTES), deviceList: object(DEVICE_LIST), ...SIGNED,
});

/** A device's login: signed by that device's key over signed.js `deviceAuthBytes`. */
export const Login = request('login', { username: username(), device: deviceId(), ...SIGNED });

/** `recoveryCode` as the user typed it; the server canonicalises it (recovery.js). */
export const Reset = request('reset', {
  username: username(), recoveryCode: string(MAX_RECOVERY_CODE_CHARS), identity: object(IDENTITY_KEYS),
  recoveryHash: bytes(HASH_BYTES), deviceList: object(DEVICE_LIST), ...SIGNED,
});

/** `device`: the id the connection is logged in as (1 after register and reset). */
export const Registered = answer('registered', { username: username(), device: deviceId() });

export const LoggedIn = answer('logged_in', { username: username(), device: deviceId() });

export const ResetDone = answer('reset_done', { username: username(), device: deviceId() });

export const AUTH_FRAMES = Object.freeze([Register, Login, Reset, Registered, LoggedIn, ResetDone]);
