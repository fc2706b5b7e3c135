/**
 * Keys and their context-separated signatures (CRYPTO.md §1). Local key types
 * ({@code IdentityKeyPair}, {@code SignedPreKey}, {@code OneTimePreKey}, {@code KemPreKey},
 * {@code X25519KeyPair}) hold private material and print only public material; remote types
 * ({@code PublicIdentity}, {@code *Public}, {@code PreKeyBundle}) carry public keys and verify
 * their signatures.
 */
package dev.parley.protocol.keys;
