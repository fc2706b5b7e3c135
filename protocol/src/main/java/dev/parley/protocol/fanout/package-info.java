/** One message for several devices: content encrypted once, its key sent per session (CRYPTO.md §5). */
package dev.parley.protocol.fanout;
