/**
 * Linking a new device to an account (CRYPTO.md §10): the link code, the sealed link request
 * and link message, and device names.
 */
package dev.parley.protocol.link;
