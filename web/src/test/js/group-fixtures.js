/**
 * Fixtures of the group tests: identities by name and a group built change by change, each
 * change applied through `applyGroupChange` exactly as a member device would.
 */

import { generateIdentity } from '/web/js/protocol/keys.js';
import { randomGroupId } from '/web/js/protocol/groups/group-id.js';
import { createGroupChange, nextGroupChange } from '/web/js/protocol/groups/change.js';
import { applyGroupChange } from '/web/js/protocol/groups/apply.js';

/** Lazily generated identities by username. */
export class People {
  constructor() {
    this.identities = new Map();
  }

  async identity(name) {
    if (!this.identities.has(name)) this.identities.set(name, await generateIdentity());
    return this.identities.get(name);
  }

  async key(name) {
    return (await this.identity(name)).signing.publicKey;
  }
}

/** A group held by one device: `state`, the list of applied changes, and helpers to change it. */
export class Group {
  constructor(people, state, changes) {
    this.people = people;
    this.state = state;
    this.changes = changes;
  }

  /** Alice creates `name` with `members` ({username, admin}); she is included as admin unless listed. */
  static async create(people, members = [], { author = 'alice', name = 'Friends', id = randomGroupId() } = {}) {
    const all = members.some((m) => m.username === author) ? members : [{ username: author, admin: true }, ...members];
    const change = await createGroupChange(await people.identity(author), author, id, name, all);
    const state = await applyGroupChange(null, change, await people.key(author));
    return new Group(people, state, [change]);
  }

  /** A change by `author` of the held state (not applied). */
  async change(author, op) {
    return nextGroupChange(await this.people.identity(author), author, this.state, op);
  }

  /** Makes and applies a change; the held state advances. */
  async apply(author, op) {
    const change = await this.change(author, op);
    this.state = await applyGroupChange(this.state, change, await this.people.key(author));
    this.changes.push(change);
    return change;
  }
}
