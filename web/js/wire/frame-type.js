/**
 * One entry of the catalogue, as Java's `FrameType`: a frame's `type`, who sends it
 * (`'client'` or `'server'`), what comes after `type` (`'id'` for a request, `'re'` for an
 * answer, which is absent in an unprompted frame of the same type, or nothing), and its fields
 * in the order they are written (fields.js), and optionally `whole(frame)`, a check of fields
 * that must fit together (it throws the refusal, naming the field). The family files declare
 * one per frame; codec.js collects them. `of(values)` builds the frame object that `encode` writes.
 */

export const CLIENT = 'client';
export const SERVER = 'server';

function declare(type, direction, head, fields, whole) {
  return Object.freeze({
    type, direction, head, fields: Object.freeze(fields), whole,
    /** The frame `{ type, ...values }`; the codec validates it when it is encoded. */
    of(values = {}) {
      return { type, ...values };
    },
  });
}

/** A client frame that asks for an answer: its `id` comes back as the answer's `re`. */
export const request = (type, fields = {}, whole = undefined) => declare(type, CLIENT, 'id', fields, whole);

/** A client frame without an answer. */
export const clientFrame = (type, fields) => declare(type, CLIENT, null, fields);

/** A server frame answering a request (`re`), or sent unprompted without `re`. */
export const answer = (type, fields = {}) => declare(type, SERVER, 're', fields);

/** A server frame that answers nothing. */
export const serverFrame = (type, fields, whole = undefined) => declare(type, SERVER, null, fields, whole);
