/** The sender's check of a contact's signed device list (CRYPTO.md §10.4). */
package dev.parley.protocol.devices;
