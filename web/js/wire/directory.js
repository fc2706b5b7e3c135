/** Who is on the server, with which identity, and who is online (docs/PROTOCOL.md §4), as Java's `DirectoryFrames`. */

import { answer, request, serverFrame } from './frame-type.js';
import { array, bool, object } from './fields.js';
import { IDENTITY_KEYS, username } from './auth.js';

/** The most users one `public_keys` may list (a directory larger than this is not a Parley server's). */
export const MAX_USERS = 100_000;

/** Subscribes this connection to directory changes, and asks for the whole list. */
export const GetPublicKeys = request('get_public_keys');

export const USER_KEYS = Object.freeze({ username: username(), identity: object(IDENTITY_KEYS), online: bool() });

/**
 * The answer to `get_public_keys` (`complete`: every account, by username), or, unprompted
 * and not complete, an account created or reset.
 */
export const PublicKeys = answer('public_keys', { complete: bool(), users: array(MAX_USERS, USER_KEYS) });

/** A subscribed connection learns that `username` came online or went away. */
export const Presence = serverFrame('presence', { username: username(), online: bool() });

export const DIRECTORY_FRAMES = Object.freeze([GetPublicKeys, PublicKeys, Presence]);
