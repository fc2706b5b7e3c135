/**
 * Groups (CRYPTO.md §11): the signed, hash-chained group state and its changes
 * ({@link dev.parley.protocol.groups.GroupRules}), snapshots for new members, and Sender Keys,
 * which encrypt a group message once for every member device.
 */
package dev.parley.protocol.groups;
