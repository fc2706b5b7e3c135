/**
 * The system lines of a group conversation, in words: one per applied change ("alice added
 * bob"), and a warning per refused change, with the reason GroupRules gives (the refusal codes
 * of docs/design/GROUPS.md). "you" stands for this account.
 *
 * A system line is a Message (messages.js) with `direction: 'system'`, `peer` = the group id's
 * text, and `kind`: 'change' | 'warning'.
 */

import { randomId } from '../../lib/ids.js';

/** Why a change was refused, in words. */
export const REFUSAL_TEXT = Object.freeze({
  bad_signature: 'its signature does not verify under the author\'s identity',
  not_admin: 'its author is not an admin of the group',
  stale: 'it is older than the group as this device holds it (a replay, or a change that lost to another)',
  forked: 'it changes another version of the group than the one this device holds (two admins changed the group at once)',
  gap: 'too many changes are missing before it',
  invalid: 'it is not a valid change of this group',
  unknown_author: 'its author\'s identity is not known',
  not_member: 'it comes from an account that is not a member',
});

function who(name, me) {
  return name === me ? 'you' : name;
}

function names(list, me) {
  return list.map((n) => who(n, me)).join(', ');
}

/** "alice added bob, carol" for an applied change. */
export function describeChange(change, me) {
  const author = who(change.author, me);
  const { op } = change;
  switch (op.type) {
    case 'create': return `${author} created the group "${op.name}"`;
    case 'add': return `${author} added ${names(op.usernames, me)}`;
    case 'remove': return `${author} removed ${names(op.usernames, me)}`;
    case 'leave': return `${author} left`;
    case 'rename': return `${author} renamed the group to "${op.name}"`;
    case 'promote': return `${author} made ${who(op.username, me)} an admin`;
    case 'demote': return `${author} made ${who(op.username, me)} a member`;
    default: return `${author} changed the group`;
  }
}

/** A system line of `group` (the id's text). */
export function systemLine(group, kind, text, at = Date.now()) {
  return { peer: group, id: `system-${randomId()}`, direction: 'system', kind, text, sentAt: at, serverTime: at, status: 'received', read: true };
}

/** The warning shown for a refused change by `author` (or relayed by `from`). */
export function refusalLine(group, { author, reason, version }, me) {
  return systemLine(group, 'warning', `A change to this group by ${who(author, me)} (version ${version}) was refused: ${REFUSAL_TEXT[reason] ?? reason}.`);
}
