/**
 * Group states, changes and the rules of applying them (docs/design/GROUPS.md "Group state",
 * "Changes", "Applying"), snapshots, and their strict decoding.
 */

import { createSuite, assert, assertEqual, assertBytes, assertRejects } from './harness.js';
import { People, Group } from './group-fixtures.js';
import { concat, u8, u16, u64, utf8, b64 } from '/web/js/protocol/encoding.js';
import { sha256, ed25519Sign } from '/web/js/protocol/primitives.js';
import { groupChangeBytes, signedBytes, SignatureLabel } from '/web/js/wire/signed.js';
import {
  randomGroupId, groupIdText, parseGroupId, encodeGroupState, decodeGroupState, groupStateHash, createGroupChange,
  nextGroupChange, encodeGroupChange, decodeGroupChange, groupChangeHash, applyGroupChange, GroupChangeRefused,
  splitGroupSnapshot, joinGroupSnapshot, MAX_CHANGE_USERNAMES, REFUSAL_REASONS,
} from '/web/js/protocol/index.js';
import { encodeChangeBody } from '/web/js/protocol/groups/change.js';
import { MAX_GROUP_MEMBERS } from '/web/js/protocol/limits.js';
import { flipBit, snapshot } from './support.js';

const { test, run } = createSuite();
export { run };

/** Awaits `fn()` and requires a GroupChangeRefused with `reason`. */
async function assertRefused(fn, reason, what) {
  try {
    await fn();
  } catch (e) {
    if (!(e instanceof GroupChangeRefused)) throw new Error(`${what}: expected refusal ${reason}, got ${e && e.name}: ${e && e.message}`);
    assertEqual(e.reason, reason, `${what} (${e.message})`);
    return;
  }
  throw new Error(`${what}: expected refusal ${reason}, but it applied`);
}

const names = (n, prefix = 'user') => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(4, '0')}`);

/** A state object with `count` members (admin: the first), for size limits. */
function bigState(id, count) {
  return { id, version: 7, name: 'Big', members: names(count).map((username, i) => ({ username, admin: i === 0 })) };
}

/** Signs an arbitrary ChangeBody (for bodies the encoder would refuse). */
async function signBody(identity, body) {
  return concat(body, await ed25519Sign(identity.signing.privateKey, groupChangeBytes(body)));
}

// ---- ids ----

test('group ids: 32 random bytes, 43 characters of text, strict parsing', async () => {
  const id = randomGroupId();
  assertEqual(id.length, 32, 'id length');
  const text = groupIdText(id);
  assertEqual(text.length, 43, 'text length');
  assertBytes(parseGroupId(text), id, 'round trip');
  assert(!equal(randomGroupId(), id), 'ids differ');
  for (const bad of [text.slice(1), `${text}A`, `${text.slice(0, 42)}+`, `${text.slice(0, 42)}=`, 42]) {
    await assertRejects(() => parseGroupId(bad), 'bad-format', `refuses ${bad}`);
  }
  await assertRejects(() => groupIdText(new Uint8Array(31)), 'bad-format', '31 bytes');
});

function equal(a, b) {
  return b64(a) === b64(b);
}

// ---- state ----

test('state bytes: the layout of GROUPS.md, hash with its label, strict round trip', async () => {
  const id = new Uint8Array(32).fill(7);
  const state = { id, version: 3, name: 'Caf\u00e9', members: [{ username: 'alice', admin: true }, { username: 'bob', admin: false }] };
  const bytes = encodeGroupState(state);
  const expected = concat(u8(1), id, u64(3), u8(5), utf8('Caf\u00e9'), u16(2), u8(1), u8(5), utf8('alice'), u8(0), u8(3), utf8('bob'));
  assertBytes(bytes, expected, 'StateBytes');
  assertEqual(snapshot(decodeGroupState(bytes)), snapshot(state), 'decoded');
  assertBytes(await groupStateHash(state), await sha256(concat(utf8('parley-group-state-v1'), u8(0), bytes)), 'stateHash');
  assertBytes(await groupStateHash(bytes), await groupStateHash(state), 'hash of the bytes');
});

test('state decoding refuses every malformed state', async () => {
  const id = new Uint8Array(32).fill(1);
  const head = (version = 1, name = 'G') => concat(u8(1), id, u64(version), u8(utf8(name).length), utf8(name));
  const member = (role, name) => concat(u8(role), u8(utf8(name).length), utf8(name));
  const good = concat(head(), u16(2), member(1, 'alice'), member(0, 'bob'));
  decodeGroupState(good);
  const cases = {
    'trailing byte': concat(good, u8(0)),
    truncated: good.slice(0, good.length - 1),
    'format 2': concat(u8(2), good.slice(1)),
    'version 0': concat(head(0), u16(1), member(1, 'alice')),
    'no members': concat(head(), u16(0)),
    'count beyond the bytes': concat(head(), u16(3), member(1, 'alice'), member(0, 'bob')),
    unsorted: concat(head(), u16(2), member(0, 'bob'), member(1, 'alice')),
    duplicate: concat(head(), u16(2), member(1, 'alice'), member(0, 'alice')),
    'no admin': concat(head(), u16(1), member(0, 'alice')),
    'role 2': concat(head(), u16(1), member(2, 'alice')),
    'short username': concat(head(), u16(1), member(1, 'al')),
    'upper-case username': concat(head(), u16(1), member(1, 'Alice')),
    'empty name': concat(head(1, ''), u16(1), member(1, 'alice')),
    'control character in the name': concat(head(1, 'a\nb'), u16(1), member(1, 'alice')),
    'bidi override in the name': concat(head(1, 'a\u202eb'), u16(1), member(1, 'alice')),
    'name of 65 bytes': concat(head(1, 'x'.repeat(65)), u16(1), member(1, 'alice')),
    'malformed UTF-8': concat(u8(1), id, u64(1), u8(1), u8(0xff), u16(1), member(1, 'alice')),
  };
  for (const [what, bytes] of Object.entries(cases)) await assertRejects(() => decodeGroupState(bytes), 'bad-format', what);
  await assertRejects(() => decodeGroupState(encodeGroupState(bigState(id, MAX_GROUP_MEMBERS)).slice(0, 10)), 'bad-format', 'cut');
  decodeGroupState(encodeGroupState(bigState(id, MAX_GROUP_MEMBERS)));
  await assertRejects(() => encodeGroupState(bigState(id, MAX_GROUP_MEMBERS + 1)), 'bad-format', '1,001 members');
  await assertRejects(() => encodeGroupState({ id, version: 1, name: 'x'.repeat(65), members: [{ username: 'alice', admin: true }] }), 'bad-format', 'encoder: long name');
});

// ---- changes ----

test('changes: body layout, signature label, round trip, hash', async () => {
  const people = new People();
  const alice = await people.identity('alice');
  const id = new Uint8Array(32).fill(9);
  const change = await createGroupChange(alice, 'alice', id, 'G', [{ username: 'bob', admin: false }, { username: 'alice', admin: true }]);
  assertEqual(change.op.members.map((m) => m.username).join(), 'alice,bob', 'create sorts its members');
  const body = concat(u8(1), id, u64(1), new Uint8Array(32), u8(5), utf8('alice'), u8(1), u8(1), utf8('G'), u16(2),
    u8(1), u8(5), utf8('alice'), u8(0), u8(3), utf8('bob'));
  assertBytes(change.bytes, concat(body, change.signature), 'SignedChange');
  assertBytes(groupChangeBytes(body), signedBytes(SignatureLabel.GROUP_CHANGE, body), 'signed bytes');
  assertBytes(groupChangeBytes(body).slice(0, 23), concat(utf8('parley-group-change-v1'), u8(0)), 'label');
  const decoded = decodeGroupChange(change.bytes);
  assertEqual(snapshot(decoded), snapshot(change), 'decoded');
  assertBytes(encodeGroupChange(decoded), change.bytes, 're-encoded');
  assertBytes(await groupChangeHash(change), await sha256(change.bytes), 'changeHash');

  const state = await applyGroupChange(null, change, alice.signing.publicKey);
  const ops = [
    { type: 'add', usernames: ['dave', 'carol'] }, { type: 'remove', usernames: ['bob'] }, { type: 'leave' },
    { type: 'rename', name: 'New \ud83d\ude00' }, { type: 'promote', username: 'bob' }, { type: 'demote', username: 'alice' },
  ];
  for (const op of ops) {
    const next = await nextGroupChange(alice, 'alice', state, op);
    assertEqual(next.version, 2, `${op.type}: version`);
    assertBytes(next.parentHash, await groupStateHash(state), `${op.type}: parent hash`);
    assertEqual(snapshot(decodeGroupChange(next.bytes)), snapshot(next), `${op.type}: round trip`);
  }
  const add = await nextGroupChange(alice, 'alice', state, ops[0]);
  assertEqual(decodeGroupChange(add.bytes).op.usernames.join(), 'dave,carol', 'add keeps its order');
});

test('change decoding and encoding refuse every malformed change', async () => {
  const people = new People();
  const alice = await people.identity('alice');
  const id = new Uint8Array(32).fill(2);
  const state = { id, version: 1, name: 'G', members: [{ username: 'alice', admin: true }] };
  const head = concat(u8(1), id, u64(2), await groupStateHash(state), u8(5), utf8('alice'));
  const user = (n) => concat(u8(n.length), utf8(n));
  const good = await signBody(alice, concat(head, u8(2), u16(1), user('bob')));
  decodeGroupChange(good);
  const cases = {
    'trailing byte': concat(good, u8(0)),
    'no signature': good.slice(0, good.length - 64),
    'format 2': concat(u8(2), good.slice(1)),
    'op 0': await signBody(alice, concat(head, u8(0))),
    'op 8': await signBody(alice, concat(head, u8(8))),
    'empty add': await signBody(alice, concat(head, u8(2), u16(0))),
    'duplicate add': await signBody(alice, concat(head, u8(2), u16(2), user('bob'), user('bob'))),
    'bad username': await signBody(alice, concat(head, u8(3), u16(1), user('b'))),
    'too many usernames': await signBody(alice, concat(head, u8(2), u16(257), ...names(257).map(user))),
    'leave with a body': await signBody(alice, concat(head, u8(4), u8(0))),
    'bad name': await signBody(alice, concat(head, u8(5), u8(3), utf8('a\u0007b'))),
    'bad promote': await signBody(alice, concat(head, u8(6), user('BOB'))),
    'duplicate create member': await signBody(alice, concat(head, u8(1), u8(1), utf8('G'), u16(2), u8(1), user('bob'), u8(0), user('bob'))),
    'empty create': await signBody(alice, concat(head, u8(1), u8(1), utf8('G'), u16(0))),
    'role 2 in a create': await signBody(alice, concat(head, u8(1), u8(1), utf8('G'), u16(1), u8(2), user('alice'))),
    'bad author': concat(u8(1), id, u64(2), new Uint8Array(32), u8(2), utf8('al'), u8(4), new Uint8Array(64)),
  };
  for (const [what, bytes] of Object.entries(cases)) await assertRejects(() => decodeGroupChange(bytes), 'bad-format', what);
  decodeGroupChange(await signBody(alice, concat(head, u8(2), u16(MAX_CHANGE_USERNAMES), ...names(MAX_CHANGE_USERNAMES).map(user))));
  for (const op of [{ type: 'add', usernames: [] }, { type: 'add', usernames: names(257) }, { type: 'remove', usernames: ['bob', 'bob'] },
    { type: 'rename', name: '' }, { type: 'promote', username: 'x' }, { type: 'create', name: 'G', members: [] }, { type: 'fly' }]) {
    await assertRejects(() => nextGroupChange(alice, 'alice', state, op), 'bad-format', `encoder refuses ${JSON.stringify(op).slice(0, 60)}`);
  }
});

// ---- applying ----

test('applying: create, add, rename, promote, demote, remove, leave, each by the rules', async () => {
  const people = new People();
  const g = await Group.create(people, [{ username: 'bob', admin: false }]);
  assertEqual(g.state.version, 1, 'create is version 1');
  await g.apply('alice', { type: 'add', usernames: ['dave', 'carol'] });
  assertEqual(g.state.members.map((m) => m.username).join(), 'alice,bob,carol,dave', 'added, sorted');
  await g.apply('alice', { type: 'rename', name: 'Team' });
  assertEqual(g.state.name, 'Team', 'renamed');
  await g.apply('alice', { type: 'promote', username: 'bob' });
  assert(g.state.members.find((m) => m.username === 'bob').admin, 'bob admin');
  await g.apply('bob', { type: 'demote', username: 'alice' });
  assert(!g.state.members.find((m) => m.username === 'alice').admin, 'alice demoted by bob');
  await g.apply('bob', { type: 'remove', usernames: ['alice'] });
  await g.apply('carol', { type: 'leave' });
  assertEqual(g.state.members.map((m) => `${m.username}${m.admin ? '*' : ''}`).join(), 'bob*,dave', 'final members');
  assertEqual(g.state.version, 7, 'one version per change');
  assertEqual(snapshot(decodeGroupState(encodeGroupState(g.state))), snapshot(g.state), 'the state encodes');
  await g.apply('bob', { type: 'demote', username: 'bob' }).then(() => { throw new Error('last admin demoted'); }, (e) => assertEqual(e.reason, 'invalid', 'last admin'));
  await g.apply('bob', { type: 'promote', username: 'dave' });
  await g.apply('bob', { type: 'demote', username: 'bob' });
  await g.apply('bob', { type: 'leave' });
  assertEqual(g.state.members.map((m) => `${m.username}${m.admin ? '*' : ''}`).join(), 'dave*', 'an admin leaves once another is admin');
});

test('applying refuses: bad_signature, not_admin, stale, forked, gap', async () => {
  const people = new People();
  const g = await Group.create(people, [{ username: 'bob', admin: false }]);
  const before = g.state;
  const add = await g.change('alice', { type: 'add', usernames: ['carol'] });
  await assertRefused(async () => applyGroupChange(before, add, await people.key('bob')), 'bad_signature', 'another identity');
  const tampered = { ...add, op: { type: 'add', usernames: ['mallory'] } };
  await assertRefused(async () => applyGroupChange(before, tampered, await people.key('alice')), 'bad_signature', 'tampered op');
  await assertRefused(async () => applyGroupChange(before, decodeGroupChange(flipBit(add.bytes, add.bytes.length * 8 - 20)), await people.key('alice')),
    'bad_signature', 'flipped signature bit');
  await assertRefused(async () => applyGroupChange(before, { ...add, signature: new Uint8Array(64) }, await people.key('alice')), 'bad_signature', 'zero signature');
  await assertRefused(async () => applyGroupChange(before, await g.change('bob', { type: 'add', usernames: ['carol'] }), await people.key('bob')),
    'not_admin', 'a member adds');
  for (const op of [{ type: 'remove', usernames: ['alice'] }, { type: 'rename', name: 'x' }, { type: 'promote', username: 'bob' }, { type: 'demote', username: 'alice' }]) {
    await assertRefused(async () => applyGroupChange(before, await g.change('bob', op), await people.key('bob')), 'not_admin', `a member: ${op.type}`);
  }
  await assertRefused(async () => applyGroupChange(before, await g.change('mallory', { type: 'leave' }), await people.key('mallory')),
    'not_admin', 'a non-member leaves');
  await assertRefused(async () => applyGroupChange(before, await g.change('mallory', { type: 'add', usernames: ['eve'] }), await people.key('mallory')),
    'not_admin', 'a non-member adds');

  await g.apply('alice', { type: 'add', usernames: ['carol'] });
  await assertRefused(async () => applyGroupChange(g.state, add, await people.key('alice')), 'stale', 'replay');
  await assertRefused(async () => applyGroupChange(g.state, g.changes[0], await people.key('alice')), 'invalid', 'the create again');
  const rival = await nextGroupChange(await people.identity('alice'), 'alice', before, { type: 'rename', name: 'Rival' });
  await assertRefused(async () => applyGroupChange(g.state, rival, await people.key('alice')), 'stale', 'a lost race');
  const forkBase = { ...g.state, name: 'Other' };
  const forked = await nextGroupChange(await people.identity('alice'), 'alice', forkBase, { type: 'rename', name: 'Fork' });
  await assertRefused(async () => applyGroupChange(g.state, forked, await people.key('alice')), 'forked', 'another parent');
  const ahead = { ...g.state, version: g.state.version + 1 };
  const gap = await nextGroupChange(await people.identity('alice'), 'alice', ahead, { type: 'rename', name: 'Later' });
  const held = snapshot(g.state);
  await assertRefused(async () => applyGroupChange(g.state, gap, await people.key('alice')), 'gap', 'a version ahead');
  assertEqual(snapshot(g.state), held, 'refusals leave the state as it was');
  assertEqual(REFUSAL_REASONS.join(), 'bad_signature,not_admin,stale,forked,gap,invalid', 'reasons');
});

test('applying refuses as invalid what breaks the rules', async () => {
  const people = new People();
  const g = await Group.create(people, [{ username: 'bob', admin: false }, { username: 'carol', admin: false }]);
  const invalid = async (author, op, what) => assertRefused(async () => applyGroupChange(g.state, await g.change(author, op), await people.key(author)), 'invalid', what);
  await invalid('alice', { type: 'add', usernames: ['dave', 'bob'] }, 'adding a member');
  await invalid('alice', { type: 'remove', usernames: ['dave'] }, 'removing a non-member');
  await invalid('alice', { type: 'remove', usernames: ['bob', 'alice'] }, 'removing oneself');
  await invalid('alice', { type: 'leave' }, 'the last admin leaves');
  await invalid('alice', { type: 'demote', username: 'alice' }, 'the last admin demotes itself');
  await invalid('alice', { type: 'demote', username: 'bob' }, 'demoting a member');
  await invalid('alice', { type: 'promote', username: 'alice' }, 'promoting an admin');
  await invalid('alice', { type: 'promote', username: 'dave' }, 'promoting a non-member');
  const other = { ...g.state, id: randomGroupId() };
  const foreign = await nextGroupChange(await people.identity('alice'), 'alice', other, { type: 'rename', name: 'X' });
  await assertRefused(async () => applyGroupChange(g.state, foreign, await people.key('alice')), 'invalid', 'another group');
  await assertRefused(async () => applyGroupChange(null, foreign, await people.key('alice')), 'invalid', 'no state, not a create');
  const big = new Group(people, bigState(g.state.id, MAX_GROUP_MEMBERS), []);
  big.state.members[0] = { username: 'alice', admin: true };
  big.state.members.sort((a, b) => (a.username < b.username ? -1 : 1));
  await assertRefused(async () => applyGroupChange(big.state, await big.change('alice', { type: 'add', usernames: ['zed'] }), await people.key('alice')),
    'invalid', 'more than 1,000 members');
  const alice = await people.identity('alice');
  const notIncluded = await createGroupChange(alice, 'alice', randomGroupId(), 'G', [{ username: 'bob', admin: true }]);
  await assertRefused(() => applyGroupChange(null, notIncluded, alice.signing.publicKey), 'invalid', 'creator not a member');
  const notAdmin = await createGroupChange(alice, 'alice', randomGroupId(), 'G', [{ username: 'bob', admin: true }, { username: 'alice', admin: false }]);
  await assertRefused(() => applyGroupChange(null, notAdmin, alice.signing.publicKey), 'invalid', 'creator not an admin');
  const noAdmin = await createGroupChange(alice, 'alice', randomGroupId(), 'G', [{ username: 'alice', admin: false }]);
  await assertRefused(() => applyGroupChange(null, noAdmin, alice.signing.publicKey), 'invalid', 'a create without admin');
  const unsortedBody = concat(u8(1), g.state.id, u64(1), new Uint8Array(32), u8(5), utf8('alice'), u8(1), u8(1), utf8('G'), u16(2),
    u8(0), u8(3), utf8('bob'), u8(1), u8(5), utf8('alice'));
  const unsorted = await applyGroupChange(null, decodeGroupChange(await signBody(alice, unsortedBody)), alice.signing.publicKey);
  assertEqual(unsorted.members.map((m) => m.username).join(), 'alice,bob', 'a create in any order makes a sorted state');
  const foreignUnsigned = { ...foreign, signature: new Uint8Array(64) };
  await assertRefused(() => applyGroupChange(g.state, foreignUnsigned, alice.signing.publicKey), 'invalid', 'another group comes before the signature');
  const body = encodeChangeBody({ ...g.changes[0], version: 2 });
  const v2 = decodeGroupChange(await signBody(alice, body));
  await assertRefused(() => applyGroupChange(null, v2, alice.signing.publicKey), 'invalid', 'a create at version 2');
  const withParent = decodeGroupChange(await signBody(alice, encodeChangeBody({ ...g.changes[0], parentHash: new Uint8Array(32).fill(1) })));
  await assertRefused(() => applyGroupChange(null, withParent, alice.signing.publicKey), 'invalid', 'a create with a parent');
  const solo = await Group.create(people, []);
  await assertRefused(async () => applyGroupChange(solo.state, await solo.change('alice', { type: 'leave' }), await people.key('alice')),
    'invalid', 'the last member leaves');
});

test('a new member applies the add to the snapshot it was sent', async () => {
  const people = new People();
  const g = await Group.create(people, [{ username: 'bob', admin: false }]);
  await g.apply('alice', { type: 'rename', name: 'Before dave' });
  const snapshotState = g.state;
  const hash = await groupStateHash(snapshotState);
  const parts = splitGroupSnapshot(snapshotState, 10);
  const add = await g.apply('alice', { type: 'add', usernames: ['dave'] });
  const joined = await joinGroupSnapshot(snapshotState.version, hash, parts);
  const dave = await applyGroupChange(joined, decodeGroupChange(add.bytes), await people.key('alice'));
  assertEqual(snapshot(dave), snapshot(g.state), 'dave holds the same state');
  const forged = { ...snapshotState, name: 'Forged' };
  await assertRefused(async () => applyGroupChange(forged, add, await people.key('alice')), 'forked', 'a forged snapshot');
});

test('snapshots: split into bounded parts, joined only to the state of their version and hash', async () => {
  const state = bigState(new Uint8Array(32).fill(4), 300);
  const bytes = encodeGroupState(state);
  const hash = await groupStateHash(state);
  const parts = splitGroupSnapshot(state, 1000);
  assertEqual(parts.length, Math.ceil(bytes.length / 1000), 'part count');
  assert(parts.every((p) => p.length <= 1000 && p.length > 0), 'part sizes');
  assertBytes(concat(...parts), bytes, 'parts concatenate to StateBytes');
  assertEqual(splitGroupSnapshot(state, bytes.length).length, 1, 'one part');
  assertEqual(snapshot(await joinGroupSnapshot(7, hash, parts)), snapshot(state), 'joined');
  await assertRejects(() => joinGroupSnapshot(8, hash, parts), 'bad-format', 'another version');
  await assertRejects(() => joinGroupSnapshot(7, new Uint8Array(32), parts), 'bad-format', 'another hash');
  await assertRejects(() => joinGroupSnapshot(7, hash, parts.slice(1)), 'bad-format', 'a missing part');
  await assertRejects(() => joinGroupSnapshot(7, hash, [parts[1], parts[0], ...parts.slice(2)]), 'bad-format', 'parts out of order');
  await assertRejects(() => joinGroupSnapshot(7, hash, []), 'bad-format', 'no parts');
  let refused = false;
  try {
    splitGroupSnapshot(state, 0);
  } catch (e) {
    refused = e instanceof RangeError;
  }
  assert(refused, 'maxPartBytes 0 refused');
});
