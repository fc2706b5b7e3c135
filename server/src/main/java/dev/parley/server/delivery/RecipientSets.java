package dev.parley.server.delivery;

import dev.parley.wire.frames.DeliveryFrames.MultiDevice;
import dev.parley.wire.frames.DeliveryFrames.MultiRecipient;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The recipient sets of {@code send_multi} (docs/PROTOCOL.md §6a): the recipients a frame named
 * (accounts and their devices, no envelopes), remembered under a random id so that the sending
 * device's later frames to the same group can name the id instead of the list. Only the device
 * a set was issued to can use it; anyone else's id, an evicted one or one from before a restart
 * is unknown ({@link #expand} returns null) and the client names its recipients again.
 *
 * <p>Bounds: at most {@link #PER_DEVICE} sets per sending device, and at most {@code maxBytes}
 * over the whole server; past either, the least recently used set (of that device, or of the
 * server) goes. The same list named again by the same device gets its set's id back, so a
 * client that never uses sets costs one set per group, not one per message.
 *
 * <p>Why not a cache library: the two bounds (a count per device and a weight over all devices)
 * evict from two different orders, which one access-ordered {@link LinkedHashMap} per device
 * and one over all sets give directly, under one lock; a weighted cache would still need the
 * per-device index beside it. The lock is held for a map operation and, when a set is issued
 * or used, one pass over its members (at most 1,000): the network thread never waits long.
 *
 * <p>A set is kept as one string of {@code (u8 length, username, u8 count, count x u8 device)}
 * per member, every char below 256: Java stores it at one byte a char, so a 1,000-member set
 * takes about 12 KiB. {@link #bytes} counts that string and a fixed overhead per set.
 */
final class RecipientSets {

    /** Sets kept per sending device. */
    static final int PER_DEVICE = 8;
    /** Random bytes of a set id: 128 bits, 22 base64url characters. */
    static final int ID_BYTES = 16;
    /** Heap counted per set besides its members: the id, the entry objects and two map nodes. */
    static final int OVERHEAD_BYTES = 256;

    private record Owner(String account, int device) {
    }

    private record Held(String id, Owner owner, String members) {
        /** The members' string at one byte a char (two if any char is past Latin-1), and the overhead. */
        long bytes() {
            boolean latin1 = members.chars().allMatch(c -> c < 256);
            return OVERHEAD_BYTES + (long) members.length() * (latin1 ? 1 : 2);
        }
    }

    private final long maxBytes;
    private final SecureRandom random;
    /** Every set by id, least recently used first. */
    private final LinkedHashMap<String, Held> all = new LinkedHashMap<>(16, 0.75f, true);
    /** Each device's sets by id, least recently used first; never empty. */
    private final Map<Owner, LinkedHashMap<String, Held>> byOwner = new HashMap<>();
    private long bytes;

    RecipientSets(long maxBytes, SecureRandom random) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("the recipient sets' bound must be positive");
        }
        this.maxBytes = maxBytes;
        this.random = random;
    }

    /**
     * The id of the set of {@code recipients} (their accounts and devices, envelopes ignored)
     * for {@code device} of {@code account}: its existing set's if it named the same list
     * before and the set is still held, else a new one.
     */
    synchronized String issue(String account, int device, List<MultiRecipient> recipients) {
        Owner owner = new Owner(account, device);
        String members = encode(recipients);
        LinkedHashMap<String, Held> own = byOwner.computeIfAbsent(owner, o -> new LinkedHashMap<>(16, 0.75f, true));
        String known = null;
        for (Held held : own.values()) {
            if (held.members().equals(members)) {
                known = held.id();
                break;
            }
        }
        if (known != null) {
            own.get(known);
            all.get(known);
            return known;
        }
        Held held = new Held(newId(), owner, members);
        own.put(held.id(), held);
        all.put(held.id(), held);
        bytes += held.bytes();
        if (own.size() > PER_DEVICE) {
            remove(own.values().iterator().next());
        }
        // The new set is the most recently used: it goes only if it alone is over the bound
        // (never with the operator's smallest bound, 1 MiB, over a 64 KiB frame's list).
        while (bytes > maxBytes && !all.isEmpty()) {
            remove(all.values().iterator().next());
        }
        return all.containsKey(held.id()) ? held.id() : null;
    }

    /** The recipients of set {@code id} if {@code device} of {@code account} holds it, else null. */
    synchronized List<MultiRecipient> expand(String account, int device, String id) {
        Held held = all.get(id);
        if (held == null || !held.owner().equals(new Owner(account, device))) {
            return null;
        }
        byOwner.get(held.owner()).get(id);
        return decode(held.members());
    }

    /** Characters held over all sets, with their overhead (for the metric and tests). */
    synchronized long bytes() {
        return bytes;
    }

    /** Sets held (for the metric and tests). */
    synchronized int size() {
        return all.size();
    }

    /** Forgets {@code held}: from all sets, from its owner's, and from the count. */
    private void remove(Held held) {
        all.remove(held.id());
        LinkedHashMap<String, Held> own = byOwner.get(held.owner());
        own.remove(held.id());
        if (own.isEmpty()) {
            byOwner.remove(held.owner());
        }
        bytes -= held.bytes();
    }

    private String newId() {
        byte[] id = new byte[ID_BYTES];
        random.nextBytes(id);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(id);
    }

    /** {@code (u8 length, username, u8 count, count x u8 device)} per recipient, in the frame's order. */
    static String encode(List<MultiRecipient> recipients) {
        StringBuilder members = new StringBuilder(recipients.size() * 12);
        for (MultiRecipient recipient : recipients) {
            members.append((char) recipient.to().length()).append(recipient.to()).append((char) recipient.devices().size());
            for (MultiDevice device : recipient.devices()) {
                members.append((char) device.device());
            }
        }
        return members.toString();
    }

    /** The recipients of {@link #encode}'s form, every copy the content alone. */
    static List<MultiRecipient> decode(String members) {
        List<MultiRecipient> recipients = new ArrayList<>();
        int at = 0;
        while (at < members.length()) {
            int length = members.charAt(at++);
            String to = members.substring(at, at + length);
            at += length;
            int count = members.charAt(at++);
            List<MultiDevice> devices = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                devices.add(new MultiDevice(members.charAt(at++), null));
            }
            recipients.add(new MultiRecipient(to, devices));
        }
        return recipients;
    }
}
