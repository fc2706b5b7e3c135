/**
 * The public surface of Parley's browser protocol modules (DOM-free ES modules). The web
 * client imports from here; each name is documented in its own module.
 */

export { b64, unb64, equalBytes, concat } from './encoding.js';
export { ProtocolError, FormatError } from './errors.js';
export * as limits from './limits.js';
export { systemEntropy } from './entropy.js';
export {
  generateIdentity, identityFromKeyPairs, generateSignedPreKey, generateOneTimePreKeys, generateKemPreKey,
  signCapabilities, signAuth, publicBundle, publicJson, verifyBundle, verifyIdentityBinding, CAP_ACCEPTS_X3DH, KEM_KIND_LAST_RESORT, KEM_KIND_ONE_TIME,
} from './keys.js';
export { MODE_PQXDH, MODE_X3DH } from './pqxdh.js';
export {
  emptyRecord, restoreRecord, hasSession, canEncrypt, remoteIdentity, initiateSession, encryptMessage, decryptMessage,
  RECORD_VERSION,
} from './session.js';
export { encodePayload, decodePayload, sealPayload, openPayload, pad, unpad } from './payload.js';
export { packHistory, TRUST_STATES } from './sync-payload.js';
export { CONTENT_TYPE_CODES, SENDABLE_CONTENT_TYPES } from './content-payload.js';
export { checkAttachment } from './attachment-pointer.js';
export {
  CHUNK_BYTES, TAG_BYTES, MAX_ATTACHMENT_BYTES, chunkCount, blobLength, newAttachmentKey, encryptChunk, decryptChunk, AttachmentDigest,
  AttachmentError,
} from './attachments.js';
export {
  linkCodeDisplay, linkCodeQrText, parseLinkCode, generateLinkKey, linkChannel, sealLinkRequest, openLinkRequest,
  sealLinkMessage, openLinkMessage, LINK_CODE_LENGTH,
} from './link.js';
export { identityExportable, exportIdentityForLink, importLinkedIdentity } from './identity-transfer.js';
export { checkDeviceList, deviceListMalformation, DEVICE_LIST_REFUSALS } from './device-list.js';
export { deviceNameProblem, MAX_DEVICE_NAME_BYTES } from './device-name.js';
export { encryptFanOut, decryptFanOut } from './fanout.js';
export { encryptPayload, decryptEnvelope } from './envelope.js';
export { fingerprint, safetyNumber, groupDigits, qrText, matchesQrText } from './safety.js';
export { KIND_PREKEY, KIND_RATCHET, KIND_FANOUT } from './header.js';
export * from './groups/index.js';
