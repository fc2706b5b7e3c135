/**
 * Every error code a client can receive in an `error` frame (docs/PROTOCOL.md §7), as Java's
 * `dev.parley.wire.ErrorCode`, and the one error type of this folder: `WireError`, thrown by
 * the codec with `code` `bad_json`, `bad_frame` or `unknown_type` and a message that starts
 * with the field's path in quotes (`'oneTimePreKeys[3].id' must be ...`), as Java's
 * `FieldReader` words it.
 */

export const ErrorCode = Object.freeze({
  BAD_JSON: 'bad_json',
  BAD_FRAME: 'bad_frame',
  UNKNOWN_TYPE: 'unknown_type',
  FRAME_TOO_LARGE: 'frame_too_large',
  ENVELOPE_TOO_LARGE: 'envelope_too_large',
  RATE_LIMITED: 'rate_limited',
  NOT_AUTHENTICATED: 'not_authenticated',
  ALREADY_AUTHENTICATED: 'already_authenticated',
  BAD_SIGNATURE: 'bad_signature',
  STALE_TIMESTAMP: 'stale_timestamp',
  BAD_ORIGIN: 'bad_origin',
  INVALID_USERNAME: 'invalid_username',
  USERNAME_TAKEN: 'username_taken',
  USERNAME_CONFUSABLE: 'username_confusable',
  UNKNOWN_USER: 'unknown_user',
  BAD_RECOVERY_CODE: 'bad_recovery_code',
  NO_PREKEYS: 'no_prekeys',
  QUEUE_FULL: 'queue_full',
  QUEUE_SHARE_FULL: 'queue_share_full',
  QUOTA_EXCEEDED: 'quota_exceeded',
  STORAGE_FULL: 'storage_full',
  /** A `blob_upload` larger than the server's attachment limit (`server_limits.maxAttachmentBytes`, as a blob length). */
  BLOB_TOO_LARGE: 'blob_too_large',
  SESSION_REPLACED: 'session_replaced',
  IDENTITY_RESET: 'identity_reset',
  INTERNAL_ERROR: 'internal_error',
  /** The server cannot reach its database; nothing was stored or read. Transient: send again later, as after a connection loss. */
  UNAVAILABLE: 'unavailable',
  /** A send's device set is not the recipient's current one; the error lists `missing` and `extra` ids. */
  MISMATCHED_DEVICES: 'mismatched_devices',
  UNKNOWN_DEVICE: 'unknown_device',
  /** Sent to a device's connection, closing it, when the account's new list no longer has it. */
  DEVICE_UNLINKED: 'device_unlinked',
  BAD_DEVICE_LIST: 'bad_device_list',
  STALE_DEVICE_LIST: 'stale_device_list',
  TOO_MANY_DEVICES: 'too_many_devices',
  UNKNOWN_LINK: 'unknown_link',
  LINK_EXPIRED: 'link_expired',
  /** A `send_multi` named a recipient set the server does not hold for this device; send it again with `recipients`. */
  UNKNOWN_RECIPIENT_SET: 'unknown_recipient_set',
  /** The server's directory is private: `get_public_keys` is refused; find accounts by exact name with `find_users`. */
  DIRECTORY_PRIVATE: 'directory_private',
});

/** A frame the catalogue refuses (or cannot write): `code` is one of {@link ErrorCode}. */
export class WireError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'WireError';
    this.code = code;
  }
}
