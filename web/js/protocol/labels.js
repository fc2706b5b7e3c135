/**
 * The context strings of the end-to-end protocol (docs/CRYPTO.md §2, §2.4, §3, §5, §6): KDF
 * labels separate the derivations of one key from each other. The signature labels are part
 * of the wire protocol and have their one definition in wire/signed.js.
 */

/** SK = HKDF(0^32, F || DH1 || DH2 || DH3 [|| DH4] || SS, info, 32) (§2). */
export const INFO_PQXDH = 'Parley_PQXDH_X25519_SHA-256_ML-KEM-768';
/** The same without SS (§2.4). */
export const INFO_X3DH = 'Parley_X3DH_X25519_SHA-256';

/** KDF_RK(rk, dh) = HKDF(rk, dh, info, 64) (§3). */
export const INFO_RATCHET_ROOT = 'Parley_Ratchet_Root';
/** MSG_KEYS(mk) = HKDF(0^32, mk, info, 44) -> aes key || nonce (§3). */
export const INFO_MESSAGE_KEYS = 'Parley_Message_Keys';

/** AES-GCM associated data of the fan-out content (§5). */
export const AD_FANOUT = 'Parley_FanOut_v1';

/** Prefix of the QR text of a safety number (§6). */
export const SAFETY_QR_PREFIX = 'parley-safety:v1:';

/** k_req = HKDF(0^32, E_pub, info, 32): the key of the sealed link request (§10.2). */
export const INFO_LINK_REQUEST = 'parley-link-request-v1';
/** k = HKDF(0^32, DH(ek, E_pub), info || ek_pub || E_pub, 32): the key of the sealed link message (§10.3). */
export const INFO_LINK_MESSAGE = 'parley-link-v1';
/** Prefix of the QR text of a link code (§10.1). */
export const LINK_QR_PREFIX = 'parley-link:v1:';

/** Sender keys: (aes key || nonce) = HKDF(0^32, seed, info, 44) (docs/design/GROUPS.md "Sender keys"). */
export const INFO_SENDER_KEY = 'parley-sender-key-v1';
/** stateHash = SHA-256(utf8(label) || 0x00 || StateBytes) (docs/design/GROUPS.md "Group state"). */
export const HASH_GROUP_STATE = 'parley-group-state-v1';

/** AES-GCM associated data of every attachment chunk (§12). */
export const AD_ATTACHMENT = 'parley-attachment-v1';
