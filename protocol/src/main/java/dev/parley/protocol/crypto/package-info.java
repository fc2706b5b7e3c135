/**
 * Thin wrappers over the JDK (AES-GCM, HMAC, HKDF via {@code javax.crypto.KDF}, ML-KEM) and
 * BouncyCastle's constant-time curve code (Ed25519, X25519), with the input checks CRYPTO.md §0
 * and §9 require. No primitive is implemented here; Wycheproof vectors pin every wrapper.
 */
package dev.parley.protocol.crypto;
