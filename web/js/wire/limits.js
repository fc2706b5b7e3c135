/**
 * The limits that are part of the protocol (docs/PROTOCOL.md), as Java's
 * `dev.parley.wire.WireLimits`: every implementation refuses or respects the same numbers.
 * Limits an operator sets (rates, queue sizes, the envelope limit) are not here: clients learn
 * them from the server's answers.
 */

/** The largest frame, in UTF-8 bytes. */
export const MAX_FRAME_BYTES = 64 * 1024;
/** Request and message ids: 1 to 64 characters of `A-Z a-z 0-9 _ -`. */
export const MAX_ID_CHARS = 64;
/** A username a new account may take. Other frames carry any string of at most MAX_NAME_CHARS. */
export const USERNAME = /^[a-z0-9_]{3,32}$/;
export const MAX_NAME_CHARS = 64;
/** The origin a client signs: the server as the client addressed it. */
export const ORIGIN = /^https?:\/\/[A-Za-z0-9.\-[\]:]{1,255}$/;
/** How far an auth timestamp may be from the server's clock. */
export const AUTH_CLOCK_SKEW_MILLIS = 5 * 60 * 1000;
export const MAX_RECOVERY_CODE_CHARS = 256;

export const NONCE_BYTES = 32;
export const ED25519_KEY_BYTES = 32;
export const X25519_KEY_BYTES = 32;
export const SIGNATURE_BYTES = 64;
export const HASH_BYTES = 32;
export const KEM_KEY_BYTES = 1184;
/** Prekey ids are unsigned 32-bit, with 0xFFFFFFFF reserved. */
export const MAX_PREKEY_ID = 0xfffffffe;

export const MAX_ONE_TIME_PER_UPLOAD = 100;
export const MAX_KEM_ONE_TIME_PER_UPLOAD = 20;
export const MAX_ONE_TIME_STOCK = 1000;
export const MAX_KEM_ONE_TIME_STOCK = 200;
/** Below these stocks the owner is told `prekeys_low`. */
export const LOW_ONE_TIME = 20;
export const LOW_KEM_ONE_TIME = 5;

/** The most devices an account has (the first and 5 linked), and the largest device id. */
export const MAX_DEVICES = 6;
export const MAX_DEVICE_ID = 255;

/** A link channel: SHA-256 of the new device's one-time X25519 key. */
export const LINK_CHANNEL_BYTES = 32;
/** A sealed link request: AES-256-GCM of `u8 0x01 || 32 DKs || u8 len || name (0..255)`, tag included. */
export const MIN_LINK_REQUEST_BYTES = 1 + 32 + 1 + 16;
export const MAX_LINK_REQUEST_BYTES = 1 + 32 + 1 + 255 + 16;
/** A sealed link message: `ek_pub (32) || AES-256-GCM(LinkMessage)`, tag included; at most what fits a frame. */
export const MIN_LINK_SEALED_BYTES = 32 + 16 + 1;
export const MAX_LINK_SEALED_BYTES = 46 * 1024;

/**
 * The most accounts one `send_multi` names (a group's most members): their device list, about
 * 40 bytes per account, fits one frame with a short message beside it.
 */
export const MAX_MULTI_RECIPIENTS = 1000;

/** The longest timer of a disappearing message, in seconds (4 weeks): the largest `expiresIn` of a send. */
export const MAX_EXPIRES_IN_SECONDS = 2_419_200;

/** Attachments are encrypted in chunks of this many plaintext bytes (the last one shorter). */
export const ATTACHMENT_CHUNK_BYTES = 65_536;
/** Each encrypted chunk carries an authentication tag of this many bytes. */
export const ATTACHMENT_TAG_BYTES = 16;
/** The largest attachment, in plaintext bytes (100 MiB): the protocol's limit and the server's default. */
export const MAX_ATTACHMENT_BYTES = 104_857_600;
/** The most bytes one PUT of a blob upload may carry (8 MiB). */
export const MAX_BLOB_PART_BYTES = 8 * 1024 * 1024;
/** Where the blobs are on the server's HTTP port: `/v1/blobs/{blob}`. */
export const BLOB_PATH = '/v1/blobs/';

/**
 * The length of the blob of an attachment of `size` plaintext bytes: the plaintext and one tag
 * per chunk, `size + 16 * max(1, ceil(size / 65536))` (an empty file is one empty chunk), as Java's
 * `WireLimits.attachmentBlobLength`.
 */
export function attachmentBlobLength(size) {
  if (!Number.isSafeInteger(size) || size < 0) throw new TypeError('an attachment size is a non-negative integer');
  return size + ATTACHMENT_TAG_BYTES * Math.max(1, Math.ceil(size / ATTACHMENT_CHUNK_BYTES));
}

/** Relayed messages one connection may hold unacknowledged; also the sends a client may pipeline. */
export const DELIVERY_WINDOW = 256;

/**
 * Java reads timestamps and server times as 64-bit integers; a JavaScript number is exact up
 * to 2^53 - 1, which is where this catalogue stops (a millisecond clock reaches it in the year
 * 287396).
 */
export const MAX_LONG = Number.MAX_SAFE_INTEGER;
/** Counts of the prekey frames (Java's int). */
export const MAX_INT = 0x7fffffff;
