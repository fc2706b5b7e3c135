/** Bounds-checked readers and writers for the byte layouts of CRYPTO.md, and base64url. */
package dev.parley.protocol.codec;
