/** Safety numbers and their QR text (CRYPTO.md §6). */
package dev.parley.protocol.safety;
