/**
 * Every limit of the protocol with the reason for its value (docs/CRYPTO.md §1, §3.6, §4).
 * The Java implementation has the same values in Limits.java. The prekey batch sizes and
 * refill levels are the wire protocol's (wire/limits.js).
 */

import { LOW_KEM_ONE_TIME, LOW_ONE_TIME, MAX_KEM_ONE_TIME_PER_UPLOAD, MAX_ONE_TIME_PER_UPLOAD } from '../wire/limits.js';

/**
 * Skipped message keys one header may make us derive in one receiving chain. A header that
 * needs more is refused: an attacker-chosen counter must not make us derive unbounded keys,
 * while 1000 covers any realistic gap of lost or reordered messages.
 */
export const MAX_SKIP = 1000;

/**
 * Skipped message keys stored per session, and per sender device of a group (all its
 * receiving chains together); the oldest are evicted first. Bounds the memory and IndexedDB
 * size of a session against a peer that keeps skipping. MAX_SKIP bounds a group message's
 * skip in its sender chain alike.
 */
export const MAX_SKIPPED_KEYS = 2000;

/**
 * Age after which a stored skipped key (ratchet or sender key) is deleted (30 days in ms). Keys for messages that
 * will never arrive would otherwise weaken forward secrecy forever. The time is supplied by
 * the caller; the protocol modules read no clock.
 */
export const SKIPPED_KEY_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/** Older sessions per peer kept for late messages (simultaneous initiation, resets). */
export const MAX_ARCHIVED_SESSIONS = 5;

/**
 * Largest padded plaintext (the top bucket). With the PreKeyMessage overhead and base64 the
 * envelope still fits the server's 48 KiB envelope limit inside a 64 KiB WebSocket frame.
 */
export const MAX_PADDED_PAYLOAD = 32768;

/** Smallest padding bucket: shorter payloads (receipts, typing, short texts) look alike. */
export const MIN_PADDED_PAYLOAD = 256;

/** Largest payload before padding: the top bucket minus the 0x80 padding marker. */
export const MAX_PAYLOAD = MAX_PADDED_PAYLOAD - 1;

/** Largest message number `N` of a chain: the next index must still fit the header's u32 (unreachable in practice). */
export const MAX_MESSAGE_NUMBER = 0xfffffffe;

/** Client message ids are 1..64 UTF-8 bytes (u8-length-prefixed, kept short for receipts). */
export const MAX_MESSAGE_ID_BYTES = 64;

/**
 * One-time X25519 prekeys published in a batch (the most one upload may carry), and the level
 * that triggers a refill (the server's `prekeys_low` level): the wire protocol's numbers.
 */
export const ONE_TIME_PREKEY_BATCH = MAX_ONE_TIME_PER_UPLOAD;
export const ONE_TIME_PREKEY_REFILL_BELOW = LOW_ONE_TIME;

/** One-time ML-KEM prekeys published in a batch (they are 1184 bytes each), and the refill level. */
export const KEM_PREKEY_BATCH = MAX_KEM_ONE_TIME_PER_UPLOAD;
export const KEM_PREKEY_REFILL_BELOW = LOW_KEM_ONE_TIME;

/** Recommended rotation period of the signed prekey and the last-resort KEM prekey (7 days). */
export const SIGNED_PREKEY_ROTATION_MS = 7 * 24 * 60 * 60 * 1000;

/** Iterations of SHA-512 in a safety-number fingerprint (Signal's value). */
export const FINGERPRINT_ITERATIONS = 5200;

/** Members of a group: what one change, one snapshot and one send_multi frame are sized for (docs/design/GROUPS.md). */
export const MAX_GROUP_MEMBERS = 1000;

/**
 * Usernames one group change names (create, add, remove). A change travels in each recipient
 * device's pairwise session, and all of one member's devices (up to 6) must be in the same
 * send_multi frame: 64 x 34 bytes pads to a 4 KiB payload, about 9 KiB of base64 per device even
 * as a first PreKeyMessage, so one member's part stays well inside a 64 KiB frame. A larger add
 * is split into successive changes.
 */
export const MAX_CHANGE_USERNAMES = 64;

/** A group's name: 1..64 UTF-8 bytes, the device-name rule (device-name.js). */
export const MAX_GROUP_NAME_BYTES = 64;

/**
 * Changes of one group held for a version gap (durably, by the client), applied when the
 * versions between arrive; a gap beyond a full hold is refused.
 */
export const MAX_HELD_GROUP_CHANGES = 32;

/**
 * Receiving chains kept per sender device of a group: the newest distributed ones, so that
 * messages sent just before a rotation still open while a removed member's chain ages out.
 */
export const MAX_SENDER_KEY_CHAINS = 3;

/** Largest iteration a sender chain encrypts with: the next iteration must still fit the header's u32. */
export const MAX_SENDER_KEY_ITERATION = 0xfffffffe;

/*
 * Everyday content (docs/CRYPTO.md §4 types 0x0F..0x15, §12 attachments), as Java's Limits.
 * Clients check these before queueing; decoders refuse anything outside them.
 */

/** Longest disappearing-message timer (4 weeks, the queue's lifetime); 0 means off. */
export const MAX_EXPIRE_SECONDS = 2419200;

/** Text of a message or an edit, in UTF-8 bytes (a whole payload must still fit MAX_PAYLOAD). */
export const MAX_TEXT_BYTES = 30000;

/** A reaction's emoji in UTF-8 bytes: room for any emoji sequence (flags, skin tones, ZWJ families). */
export const MAX_EMOJI_BYTES = 32;

/** A sender-made thumbnail inside the message (JPEG or PNG), small enough to leave room for a caption. */
export const MAX_THUMBNAIL_BYTES = 16384;

/** An attachment's file name in UTF-8 bytes (the common file-system limit). */
export const MAX_FILE_NAME_BYTES = 255;

/** An attachment's content type ("type/subtype") in bytes. */
export const MAX_CONTENT_TYPE_BYTES = 100;

/** Largest attachment, in plaintext bytes (100 MiB): the server's default blob limit. */
export const MAX_ATTACHMENT_BYTES = 104857600;

/** The content limits together, for clients. */
export const CONTENT = Object.freeze({
  maxExpireSeconds: MAX_EXPIRE_SECONDS, maxTextBytes: MAX_TEXT_BYTES, maxEmojiBytes: MAX_EMOJI_BYTES,
  maxThumbnailBytes: MAX_THUMBNAIL_BYTES, maxFileNameBytes: MAX_FILE_NAME_BYTES, maxContentTypeBytes: MAX_CONTENT_TYPE_BYTES,
  maxAttachmentBytes: MAX_ATTACHMENT_BYTES, maxPayloadBytes: MAX_PAYLOAD,
});
