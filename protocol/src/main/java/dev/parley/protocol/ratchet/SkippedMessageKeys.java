package dev.parley.protocol.ratchet;

import dev.parley.protocol.Limits;
import dev.parley.protocol.codec.Bytes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Message keys of messages not yet received, keyed by {@code (ratchet key, n)} (CRYPTO.md §3.4),
 * in insertion order. At most {@link Limits#MAX_SKIPPED_KEYS} are kept (the oldest are evicted),
 * and a key stored longer than {@link Limits#SKIPPED_KEY_TTL} is deleted. A key is removed when
 * used, so each decrypts at most one message.
 */
public final class SkippedMessageKeys {

    /** One stored key; {@code storedAt} is the caller-supplied time it was derived. */
    public record Entry(byte[] ratchetKey, long index, byte[] messageKey, Instant storedAt) {
        public Entry {
            ratchetKey = ratchetKey.clone();
            messageKey = messageKey.clone();
        }

        @Override
        public byte[] ratchetKey() {
            return ratchetKey.clone();
        }

        @Override
        public byte[] messageKey() {
            return messageKey.clone();
        }

        @Override
        public String toString() {
            return "SkippedKey[dh=" + Bytes.b64(ratchetKey) + ", n=" + index + "]";
        }
    }

    private record Id(String ratchetKey, long index) {}

    private final LinkedHashMap<Id, Entry> entries = new LinkedHashMap<>();

    SkippedMessageKeys copy() {
        SkippedMessageKeys copy = new SkippedMessageKeys();
        copy.entries.putAll(entries);
        return copy;
    }

    /** Stores a key, evicting the oldest beyond {@link Limits#MAX_SKIPPED_KEYS}. */
    void put(Entry entry) {
        entries.put(id(entry.ratchetKey, entry.index()), entry);
        Iterator<Map.Entry<Id, Entry>> oldestFirst = entries.entrySet().iterator();
        while (entries.size() > Limits.MAX_SKIPPED_KEYS) {
            oldestFirst.next();
            oldestFirst.remove();
        }
    }

    /** Removes and returns the key for {@code (ratchetKey, index)}, or null. */
    Entry take(byte[] ratchetKey, long index) {
        if (entries.isEmpty()) {
            return null; // the usual case: no key to look up, so no hex id to build per message
        }
        return entries.remove(id(ratchetKey, index));
    }

    /** Deletes keys stored more than {@link Limits#SKIPPED_KEY_TTL} before {@code now}. */
    void expire(Instant now) {
        Instant cutoff = now.minus(Limits.SKIPPED_KEY_TTL);
        entries.values().removeIf(entry -> entry.storedAt().isBefore(cutoff));
    }

    public int size() {
        return entries.size();
    }

    /** Entries oldest first (for serialization). */
    public List<Entry> entries() {
        return new ArrayList<>(entries.values());
    }

    private static Id id(byte[] ratchetKey, long index) {
        return new Id(Bytes.hex(ratchetKey), index);
    }
}
