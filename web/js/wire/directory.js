/** Who is on the server, with which identity, and who is online (docs/PROTOCOL.md §4), as Java's `DirectoryFrames`. */

import { answer, request, serverFrame } from './frame-type.js';
import { array, bool, object, strings } from './fields.js';
import { IDENTITY_KEYS, username } from './auth.js';
import { MAX_NAME_CHARS } from './limits.js';

/** The most users one `public_keys` may list (a directory larger than this is not a Parley server's). */
export const MAX_USERS = 100_000;

/** The most usernames one `find_users` may name. */
export const MAX_LOOKUP = 100;

/**
 * Subscribes this connection to directory changes, and asks for the whole list; refused with
 * `directory_private` on a server whose directory is private.
 */
export const GetPublicKeys = request('get_public_keys');

/**
 * Looks up accounts by exact username (1 to `MAX_LOOKUP` names), in either directory mode;
 * answered by a `public_keys` that is not complete and lists only the names that exist. The
 * connection then receives the pushes of the accounts it found.
 */
export const FindUsers = request('find_users', { usernames: strings(1, MAX_LOOKUP, MAX_NAME_CHARS) });

export const USER_KEYS = Object.freeze({ username: username(), identity: object(IDENTITY_KEYS), online: bool() });

/**
 * The answer to `get_public_keys` (`complete`: every account, by username), to `find_users`
 * (not complete: the names found), or, unprompted and not complete, an account created or reset.
 */
export const PublicKeys = answer('public_keys', { complete: bool(), users: array(MAX_USERS, USER_KEYS) });

/** A subscribed connection learns that `username` came online or went away. */
export const Presence = serverFrame('presence', { username: username(), online: bool() });

export const DIRECTORY_FRAMES = Object.freeze([GetPublicKeys, FindUsers, PublicKeys, Presence]);
