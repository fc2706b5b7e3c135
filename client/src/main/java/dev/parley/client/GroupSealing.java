package dev.parley.client;

import dev.parley.client.ClientException.Reason;
import dev.parley.client.store.ClientStore;
import dev.parley.client.store.GroupOutboxStore;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.crypto.Randomness;
import dev.parley.protocol.groups.GroupId;
import dev.parley.protocol.groups.SenderChain;
import dev.parley.protocol.payload.Padding;
import dev.parley.protocol.payload.Payload;
import dev.parley.protocol.session.PeerSessions;
import dev.parley.protocol.session.PeerSessionsCodec;
import dev.parley.wire.WireJson;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Sealing group outbox entries (docs/CLIENT-MODEL.md, "Groups"), once, when first sent, under
 * {@link Messaging#lock}. A group message is encrypted once with this device's sending chain of
 * the group; its recipients are every device of every member's accepted list (this account's
 * other devices included), and each device the chain was not yet distributed to gets the
 * distribution in a pairwise envelope. Before that, the rotation rule: if a device the chain
 * was distributed to is no longer a recipient (a member left, a device was unlinked), a new
 * chain starts, distributed to nobody yet. A group update (a change or a snapshot part) is a
 * whole pairwise message to every device of its recipients, with no shared content: each
 * device's envelope is the update encrypted in its session (a change names at most
 * {@link dev.parley.protocol.groups.GroupOp#MAX_USERNAMES} usernames and a snapshot part is at most
 * {@link GroupAdmin#SNAPSHOT_PART_BYTES}, so a member's six copies fit one frame). A relay
 * with content and the {@code multi} mark is a group message to every receiver, so an update
 * never carries content. The content, the envelopes, the chain and the
 * session states are committed in one transaction, before anything is sent.
 *
 * <p>A member whose devices cannot be encrypted to (its list does not verify, it is not on the
 * server, a verified contact's identity changed) is left out of that send and reported; a
 * member cannot get a part of a send (the server requires every device of its list). This
 * account's own other devices are never left out: the entry waits (a device just linked has
 * no prekeys for a moment).
 */
final class GroupSealing {

    /** What sealing left out: member to reason. */
    record Skipped(Map<String, String> members) {}

    private final ClientStore store;
    private final Messaging messaging;
    private final GroupStates states;
    private final Randomness randomness;

    GroupSealing(ClientStore store, Messaging messaging, GroupStates states, Randomness randomness) {
        this.store = store;
        this.messaging = messaging;
        this.states = states;
        this.randomness = randomness;
    }

    /** Seals {@code entry} (not sealed yet) and commits it; returns the members left out. */
    Skipped seal(GroupOutboxStore.Entry entry, long now) throws ClientException {
        messaging.lock.lock();
        try {
            return entry.kind() == GroupOutboxStore.Kind.MESSAGE ? sealMessage(entry, now) : sealUpdate(entry);
        } finally {
            messaging.lock.unlock();
        }
    }

    private Skipped sealMessage(GroupOutboxStore.Entry entry, long now) throws ClientException {
        GroupId groupId = groupId(entry.groupId());
        var held = states.held(groupId).filter(GroupStates.Held::active);
        Map<String, String> skipped = new TreeMap<>();
        if (held.isEmpty()) {
            store.transaction(() -> { // this account is no longer in the group: nothing is sent
                store.groupOutbox.remove(entry.id());
                store.groupHistory.raiseStatus(entry.groupId(), messaging.username, entry.id(), MessageStatus.FAILED);
            });
            skipped.put("", "this account is no longer a member of the group");
            return new Skipped(skipped);
        }
        Map<String, List<Integer>> devices = devicesOf(held.get().state().usernames(), skipped);
        Set<String> recipients = new HashSet<>();
        devices.forEach((member, ids) -> ids.forEach(d -> recipients.add(member + "/" + d)));
        SenderChain chain = store.groups.senderChain(entry.groupId()).map(GroupSealing::chain).orElse(null);
        Set<String> distributed = new HashSet<>(store.groups.distributed(entry.groupId()));
        boolean fresh = chain == null || !recipients.containsAll(distributed);
        if (fresh) {
            chain = SenderChain.generate(randomness);
            distributed.clear();
        }
        byte[] pairwise = Messaging.encode(new Payload.SenderKey(entry.id(), now, chain.distribution(groupId)));
        byte[] padded;
        try {
            padded = Padding.pad(entry.payload());
        } catch (ProtocolException e) {
            throw new ClientException(Reason.FAILED, "cannot encrypt for the group: " + e.failure(), e);
        }
        var encrypted = chain.encrypt(groupId, padded);
        Map<String, Map<Integer, String>> envelopes = new LinkedHashMap<>();
        Map<String, PeerSessions> advanced = new LinkedHashMap<>();
        for (var member : devices.entrySet()) {
            Map<Integer, String> forMember = envelopes(member.getKey(), member.getValue(), pairwise,
                    d -> !distributed.contains(member.getKey() + "/" + d), advanced, skipped);
            if (forMember != null) {
                envelopes.put(member.getKey(), forMember);
            }
        }
        SenderChain next = encrypted.next();
        boolean rotated = fresh;
        store.transaction(() -> {
            store.groups.saveSenderChain(entry.groupId(), next.encode(), rotated);
            envelopes.forEach((member, forMember) -> forMember.forEach((d, envelope) -> {
                if (envelope != null) {
                    store.groups.markDistributed(entry.groupId(), member, d);
                }
            }));
            saveSessions(advanced);
            store.groupOutbox.sealed(entry.id(), WireJson.base64(encrypted.message()), pairwise, envelopes);
        });
        return new Skipped(skipped);
    }

    private Skipped sealUpdate(GroupOutboxStore.Entry entry) throws ClientException {
        Map<String, String> skipped = new TreeMap<>();
        Map<String, List<Integer>> devices = devicesOf(List.copyOf(entry.recipients().keySet()), skipped);
        byte[] payload = entry.payload();
        Map<String, Map<Integer, String>> envelopes = new LinkedHashMap<>();
        Map<String, PeerSessions> advanced = new LinkedHashMap<>();
        for (var member : devices.entrySet()) {
            Map<Integer, String> forMember = envelopes(member.getKey(), member.getValue(), payload, d -> true, advanced,
                    skipped);
            if (forMember != null) {
                envelopes.put(member.getKey(), forMember);
            }
        }
        store.transaction(() -> {
            saveSessions(advanced);
            store.groupOutbox.sealed(entry.id(), null, payload, envelopes); // no content: every copy is its envelope
            for (String member : entry.recipients().keySet()) {
                if (!envelopes.containsKey(member)) {
                    store.groupOutbox.recipientDone(entry.id(), member); // left out, or no device to send to
                }
            }
        });
        return new Skipped(skipped);
    }

    /**
     * {@code mismatched_devices} for {@code member} of a sealed entry: its list is fetched and
     * checked again; the devices that left lose their part, those that joined get the entry's
     * pairwise payload (a message: the distribution its content needs; an update: the update
     * itself), and the same content (if any) is
     * sent again under the same id. REFUSED when the checked list is the one sent to (the
     * server's devices differ from the list the account signed).
     */
    void resealMember(GroupOutboxStore.Entry entry, String member) throws ClientException {
        messaging.lock.lock();
        try {
            List<Integer> listed = messaging.lists.refreshRecipientDevices(member);
            Map<Integer, String> sent = entry.recipients().getOrDefault(member, Map.of());
            if (listed.isEmpty()) {
                store.groupOutbox.recipientDone(entry.id(), member); // this account's only device now
                return;
            }
            if (new HashSet<>(listed).equals(sent.keySet())) {
                throw new ClientException(Reason.REFUSED, "the server's devices for " + member + " differ from the device list "
                        + member + " signed; nothing was sent to a device the account did not approve");
            }
            Map<String, PeerSessions> advanced = new LinkedHashMap<>();
            Map<String, String> skipped = new TreeMap<>();
            Map<Integer, String> added = envelopes(member, listed.stream().filter(d -> !sent.containsKey(d)).toList(),
                    entry.pairwise(), d -> true, advanced, skipped);
            if (added == null) {
                throw new ClientException(Reason.REFUSED, skipped.get(member));
            }
            Map<Integer, String> devices = new TreeMap<>();
            sent.forEach((d, envelope) -> {
                if (listed.contains(d)) {
                    devices.put(d, envelope);
                }
            });
            devices.putAll(added);
            store.transaction(() -> {
                saveSessions(advanced);
                store.groupOutbox.setDevices(entry.id(), member, devices);
                if (entry.kind() == GroupOutboxStore.Kind.MESSAGE) {
                    added.keySet().forEach(d -> store.groups.markDistributed(entry.groupId(), member, d));
                }
            });
        } finally {
            messaging.lock.unlock();
        }
    }

    /**
     * The recipient devices of each member (this account: its other devices); members whose
     * devices cannot be used are left out, with the reason in {@code skipped}. Unreachable:
     * thrown, nothing is sealed now.
     */
    Map<String, List<Integer>> devicesOf(List<String> members, Map<String, String> skipped) throws ClientException {
        Map<String, List<Integer>> devices = new LinkedHashMap<>();
        for (String member : members) {
            var contact = store.contact(member);
            if (contact.isPresent() && contact.get().trust() == Contact.Trust.CHANGED) {
                skipped.put(member, Identities.refusal(contact.get()).getMessage());
                continue;
            }
            try {
                List<Integer> ids = messaging.lists.recipientDevices(member);
                if (!ids.isEmpty()) {
                    devices.put(member, ids);
                }
            } catch (ClientException e) {
                if (e.reason() == Reason.SERVER_UNREACHABLE || e.reason() == Reason.TIMEOUT) {
                    throw e;
                }
                skipped.put(member, e.getMessage());
            }
        }
        return devices;
    }

    /**
     * Envelopes of {@code payload} for {@code member}'s devices (null for those {@code needs}
     * refuses: content only), the sessions advanced added to {@code advanced}; null (and the
     * reason in {@code skipped}) when one device cannot be encrypted to.
     */
    private Map<Integer, String> envelopes(String member, List<Integer> devices, byte[] payload,
            java.util.function.IntPredicate needs, Map<String, PeerSessions> advanced, Map<String, String> skipped)
            throws ClientException {
        Map<Integer, String> envelopes = new TreeMap<>();
        Map<String, PeerSessions> mine = new LinkedHashMap<>();
        try {
            for (int d : devices) {
                if (needs.test(d)) {
                    PeerSessions peer = messaging.sessions.sending(member, d);
                    envelopes.put(d, messaging.encryptWith(peer, member, payload));
                    mine.put(member + "/" + d, peer);
                } else {
                    envelopes.put(d, null);
                }
            }
        } catch (ClientException e) {
            if (e.reason() == Reason.SERVER_UNREACHABLE || e.reason() == Reason.TIMEOUT || member.equals(messaging.username)) {
                throw e; // this account's device just linked uploads its prekeys moments later: the entry waits
            }
            skipped.put(member, e.getMessage());
            return null;
        }
        advanced.putAll(mine);
        return envelopes;
    }

    private void saveSessions(Map<String, PeerSessions> advanced) {
        advanced.forEach((key, peer) -> {
            int slash = key.lastIndexOf('/');
            store.devices.saveSession(key.substring(0, slash), Integer.parseInt(key.substring(slash + 1)),
                    PeerSessionsCodec.encode(peer));
        });
    }

    static GroupId groupId(String text) throws ClientException {
        try {
            return GroupId.parse(text);
        } catch (ProtocolException e) {
            throw new ClientException(Reason.FAILED, "a stored group id is damaged", e);
        }
    }

    private static SenderChain chain(byte[] encoded) {
        try {
            return SenderChain.decode(encoded);
        } catch (ProtocolException e) {
            return null; // a damaged chain: a new one is started (and distributed)
        }
    }
}
