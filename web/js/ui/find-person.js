/**
 * Finding one person by exact username (docs/PROTOCOL.md §4, `find_users`), shared by "New
 * chat" and the group member picker: the name is checked in form here, looked up on the
 * server, and the answer said in words. A private directory tells nothing more than whether
 * that exact name exists; look-ups are limited per account, so a refusal for the rate says so.
 */

import { USERNAME_PATTERN } from '../chat/account.js';
import { ErrorCode } from '../wire/errors.js';

/**
 * Looks up `raw` (trimmed, lower-cased) by exact name.
 * -> { username } when the account exists, or { error: text for the user }.
 */
export async function findPerson(messenger, raw) {
  const name = raw.trim().toLowerCase();
  if (name === '') return { error: 'Type a username.' };
  if (!USERNAME_PATTERN.test(name)) return { error: 'A username is 3 to 32 letters a–z, digits or _.' };
  if (name === messenger.username) return { error: 'That is you.' };
  try {
    const found = await messenger.directory.find([name]);
    return found.includes(name) ? { username: name } : { error: `There is no user named “${name}” on this server.` };
  } catch (e) {
    if (e.code === ErrorCode.RATE_LIMITED) return { error: 'Too many look-ups in the last minute. Wait a moment and try again.' };
    if (e.code === 'offline' || e.code === 'timeout') return { error: 'Not connected to the server. Try again once connected.' };
    return { error: e.message };
  }
}
