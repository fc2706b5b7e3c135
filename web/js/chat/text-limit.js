/**
 * The one place that decides whether a text fits in a message. The limit is in UTF-8 bytes,
 * because that is what the payload carries (CRYPTO.md §4: the text payload must stay below the
 * top padding bucket, limits.js MAX_PAYLOAD, with room for its header); characters outside
 * ASCII take 2 to 4 bytes each, so a character count would let long non-ASCII text through to
 * fail late.
 */

/** Largest text accepted by the composer, in UTF-8 bytes (the payload limit is 32767). */
export const MAX_TEXT_BYTES = 30_000;

/** From this many bytes left on, the composer shows how many remain. */
export const SHOW_REMAINING_BELOW = 2_000;

const encoder = new TextEncoder();

/** UTF-8 length of `text` in bytes. */
export function utf8Length(text) {
  return encoder.encode(text).length;
}

/**
 * -> { bytes, remaining, tooLong, message }: `message` says why the text cannot be sent, or
 * how much room is left near the limit, or is null when there is nothing to say.
 */
export function checkText(text) {
  const bytes = utf8Length(text);
  const remaining = MAX_TEXT_BYTES - bytes;
  if (remaining < 0) {
    return {
      bytes, remaining, tooLong: true,
      message: `Too long to send: ${bytes.toLocaleString('en')} bytes, the limit is ${MAX_TEXT_BYTES.toLocaleString('en')}. `
        + `Remove ${(-remaining).toLocaleString('en')} bytes (letters outside A–Z take 2 to 4 bytes each), or split it into several messages.`,
    };
  }
  const message = remaining < SHOW_REMAINING_BELOW
    ? `${remaining.toLocaleString('en')} bytes left (letters outside A–Z take 2 to 4 bytes each)`
    : null;
  return { bytes, remaining, tooLong: false, message };
}
