/** Typed, versioned payloads and size-bucket padding (CRYPTO.md §4). */
package dev.parley.protocol.payload;
