package dev.parley.client;

import dev.parley.client.store.ClientStore;
import dev.parley.protocol.crypto.Digests;
import dev.parley.wire.WireJson;
import dev.parley.wire.frames.DeliveryFrames.MultiDevice;
import dev.parley.wire.frames.DeliveryFrames.MultiRecipient;
import dev.parley.wire.frames.DeliveryFrames.SendMulti;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Recipient sets (PROTOCOL.md §6a; docs/CLIENT-MODEL.md, the group outbox, point 4): the one
 * place that decides which {@code send_multi} frame of a group names a set instead of its
 * recipients, and what is remembered from the answers (kept in {@link ClientStore#groupRecipientSets}).
 *
 * <ul>
 * <li>A set is remembered per group with the fingerprint of exactly the (account, devices) list
 * its frame named ({@link #fingerprint}: envelopes left out, order ignored), one per frame of a
 * split send.
 * <li>A frame may name a set only when it carries content and no envelope (no sender key to
 * distribute, not a group update) and its list's fingerprint is a remembered one.
 * <li>The group's whole recipient list (every recipient of a sealed text) is remembered with the
 * sets: a text to another list (a member added or removed, one who linked or unlinked a device)
 * forgets them, so the list goes again once after every change.
 * <li>Naming a set is only a saving: the server checks every recipient's devices against its
 * current list as for {@code recipients}, and a set it no longer holds is answered
 * {@code unknown_recipient_set}, after which the same frame goes again with its list.
 * </ul>
 */
final class GroupRecipientSets {

    private final ClientStore store;

    GroupRecipientSets(ClientStore store) {
        this.store = store;
    }

    /** The fingerprint of a frame's recipients: accounts and device ids only. */
    static String fingerprint(List<MultiRecipient> recipients) {
        Map<String, List<Integer>> devices = new TreeMap<>();
        recipients.forEach(r -> devices.put(r.to(), r.devices().stream().map(MultiDevice::device).sorted().toList()));
        return digest(devices);
    }

    /** The fingerprint of a sealed entry's whole list: account to its devices' envelopes. */
    static String listFingerprint(Map<String, Map<Integer, String>> recipients) {
        Map<String, List<Integer>> devices = new TreeMap<>();
        recipients.forEach((to, forDevices) -> devices.put(to, forDevices.keySet().stream().sorted().toList()));
        return digest(devices);
    }

    private static String digest(Map<String, List<Integer>> devices) {
        // Usernames are [a-z0-9_]: ':' ',' ';' cannot occur in them.
        String canonical = devices.entrySet().stream()
                .map(e -> e.getKey() + ":" + e.getValue().stream().map(String::valueOf).collect(Collectors.joining(",")))
                .collect(Collectors.joining(";"));
        return WireJson.base64(Digests.sha256(canonical.getBytes(StandardCharsets.UTF_8)));
    }

    /** Whether {@code frame} may name a set instead of its recipients: content, and not one envelope. */
    static boolean mayNameSet(SendMulti frame) {
        return frame.content() != null && frame.recipientSet() == null
                && frame.recipients().stream().allMatch(r -> r.devices().stream().allMatch(d -> d.envelope() == null));
    }

    /** {@code listed} (a frame naming its recipients) as it goes: naming the set remembered for exactly its list, if any. */
    SendMulti frameFor(String group, SendMulti listed) {
        if (!mayNameSet(listed)) {
            return listed;
        }
        return store.groupRecipientSets.set(group, fingerprint(listed.recipients()))
                .map(set -> SendMulti.toSet(listed.id(), listed.content(), set)).orElse(listed);
    }

    /** A text of {@code group} was sealed for {@code recipients}: another list than the sets' forgets them. */
    void sealed(String group, Map<String, Map<Integer, String>> recipients) {
        store.groupRecipientSets.list(group, listFingerprint(recipients));
    }

    /** The server answered {@code listed} (sent with its recipients) with set {@code set}: remembered for its list. */
    void learned(String group, SendMulti listed, String set) {
        store.groupRecipientSets.learned(group, fingerprint(listed.recipients()), set);
    }

    /** The server no longer holds the set named for {@code listed}'s list: forgotten, the list goes again. */
    void dropped(String group, SendMulti listed) {
        store.groupRecipientSets.dropped(group, fingerprint(listed.recipients()));
    }
}
