package dev.parley.bench;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.crypto.Randomness;
import dev.parley.protocol.fanout.FanOut;
import dev.parley.protocol.groups.GroupId;
import dev.parley.protocol.groups.SenderChain;
import dev.parley.protocol.payload.Padding;
import dev.parley.protocol.payload.Payload;
import dev.parley.wire.FrameCatalogue;
import dev.parley.wire.WireJson;
import dev.parley.wire.frames.DeliveryFrames.DeviceEnvelope;
import dev.parley.wire.frames.DeliveryFrames.MultiDevice;
import dev.parley.wire.frames.DeliveryFrames.MultiRecipient;
import dev.parley.wire.frames.DeliveryFrames.SendMessage;
import dev.parley.wire.frames.DeliveryFrames.SendMulti;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The group's sending device, as a client encrypts and frames a text for the group's members
 * (docs/design/GROUPS.md), in the three ways the scenario compares:
 *
 * <ul>
 *   <li>{@link #group}: the text encrypted once with the sender chain (AEAD and signature,
 *       {@link SenderChain#encrypt}), uploaded once in {@code send_multi}: with the list of
 *       recipient devices the first time, then naming the recipient set the server answered
 *       for that list (docs/PROTOCOL.md §6a, {@link ListSets});</li>
 *   <li>{@link #pairwise}: what a 1:1 client does for each member (docs/CRYPTO.md §5): the text
 *       sealed once per member under a fresh key, the key ratchet-encrypted for each of the
 *       member's devices, one {@code send_message} per member;</li>
 *   <li>{@link #newChain}: a new sender chain (the rotation after a removal, and the group's
 *       first message): its distribution ratchet-encrypted for every recipient device as that
 *       device's envelope, beside the chain's first message, in as many {@code send_multi}
 *       frames as the frame limit needs.</li>
 * </ul>
 *
 * Every ciphertext is real (the protocol module's code), so sizes and CPU are a client's. Not
 * thread-safe: one sending thread at a time.
 */
final class GroupSender {

    /** A member of the group other than the sender, with its devices' sessions. */
    record Member(String username, List<PairwiseSessions.Peer> devices) {
    }

    /**
     * A message as uploaded: its frames, the number of device copies they make, for each frame
     * the slot its {@code stored} answer's recipient set fills (null: none is kept), and how
     * many frames named a recipient set instead of recipients.
     */
    record Upload(String id, List<String> frames, int copies, List<SetSlot> slots, int setFrames) {

        Upload {
            frames = List.copyOf(frames);
            slots = slots == null ? Collections.nCopies(frames.size(), null)
                    : Collections.unmodifiableList(new ArrayList<>(slots));
            if (slots.size() != frames.size()) {
                throw new IllegalArgumentException("one slot (or null) per frame");
            }
        }

        Upload(String id, List<String> frames, int copies) {
            this(id, frames, copies, null, 0);
        }

        /** Every frame named a recipient set (the steady state of a group message). */
        boolean namesSetsOnly() {
            return setFrames == frames.size();
        }

        /** Bytes uploaded (the frames' texts; ASCII, see {@link MultiFrames}), without WebSocket framing. */
        long bytes() {
            long bytes = 0;
            for (String frame : frames) {
                bytes += frame.length();
            }
            return bytes;
        }
    }

    private final Randomness randomness;
    private final GroupId groupId;
    private final String text;
    private SenderChain chain;
    /** The sets of the list this sender last sent a group message to; written by the sending thread only. */
    private ListSets sets;

    GroupSender(Randomness randomness, int textBytes) {
        this.randomness = randomness;
        this.groupId = GroupId.random(randomness);
        this.text = "x".repeat(textBytes);
    }

    GroupId groupId() {
        return groupId;
    }

    /**
     * One group message under the current chain (encrypt, sign, frame), as a client sends it:
     * naming the recipient sets of {@code to} when the server has answered one for every frame
     * part of the list (the steady state), else naming the recipients, each frame's answer then
     * filling its part's set (the first message to a list, or one sent before the answer came).
     */
    Upload group(String id, long sentAt, List<Member> to) throws ProtocolException {
        String content = encryptText(id, sentAt);
        ListSets known = sets;
        if (known != null && known.to.equals(to)) {
            List<String> ids = known.ids();
            if (ids != null) {
                return toSets(id, content, ids, copies(to));
            }
        }
        List<MultiFrames.Part> parts = MultiFrames.parts(id, content, recipients(to));
        if (known == null || !known.to.equals(to) || known.parts() != parts.size()) {
            known = new ListSets(List.copyOf(to), parts.size());
            sets = known;
        }
        List<SetSlot> slots = new ArrayList<>(parts.size());
        for (int part = 0; part < parts.size(); part++) {
            slots.add(new SetSlot(known, part));
        }
        return new Upload(id, parts.stream().map(MultiFrames.Part::frame).toList(), copies(to), slots, 0);
    }

    /** One group message to {@code to} naming its recipients (a first message), whatever sets are known; nothing learnt. */
    Upload groupWithList(String id, long sentAt, List<Member> to) throws ProtocolException {
        String content = encryptText(id, sentAt);
        return new Upload(id, MultiFrames.split(id, content, recipients(to)), copies(to));
    }

    /** One group message naming recipient sets {@code ids} (one frame each), for {@code copies} device copies. */
    Upload groupToSets(String id, long sentAt, List<String> ids, int copies) throws ProtocolException {
        return toSets(id, encryptText(id, sentAt), ids, copies);
    }

    /** The recipient sets the server answered for every frame part of {@code to}, or null while any is unknown. */
    List<String> knownSets(List<Member> to) {
        ListSets known = sets;
        return known != null && known.to.equals(to) ? known.ids() : null;
    }

    private static Upload toSets(String id, String content, List<String> ids, int copies) {
        List<String> frames = new ArrayList<>(ids.size());
        for (String set : ids) {
            frames.add(FrameCatalogue.encode(SendMulti.toSet(id, content, set)));
        }
        return new Upload(id, frames, copies, null, frames.size());
    }

    private static List<MultiRecipient> recipients(List<Member> to) {
        List<MultiRecipient> recipients = new ArrayList<>(to.size());
        for (Member member : to) {
            List<MultiDevice> devices = new ArrayList<>(member.devices().size());
            member.devices().forEach(peer -> devices.add(new MultiDevice(peer.device, null)));
            recipients.add(new MultiRecipient(member.username(), devices));
        }
        return recipients;
    }

    /** The same text as a 1:1 client sends it to each member: a fan-out per member, a key message per device. */
    Upload pairwise(String id, long sentAt, List<Member> to) throws ProtocolException {
        Payload payload = new Payload.Text(id, sentAt, text);
        List<String> frames = new ArrayList<>(to.size());
        for (Member member : to) {
            FanOut.Sealed sealed = FanOut.seal(payload, randomness);
            byte[] keyPayload = Padding.encodeAndPad(sealed.keyPayload(id, sentAt));
            List<DeviceEnvelope> envelopes = new ArrayList<>(member.devices().size());
            for (PairwiseSessions.Peer peer : member.devices()) {
                envelopes.add(new DeviceEnvelope(peer.device, WireJson.base64(peer.encrypt(keyPayload))));
            }
            frames.add(FrameCatalogue.encode(new SendMessage(id, member.username(), WireJson.base64(sealed.content()), envelopes)));
        }
        return new Upload(id, frames, copies(to));
    }

    /**
     * Starts a new sender chain (new chain id, chain key and signing key) and sends its first
     * message with the chain's distribution to every device of {@code to}, each in its own
     * pairwise session (payload 0x0B).
     */
    Upload newChain(String id, long sentAt, List<Member> to) throws ProtocolException {
        chain = SenderChain.generate(randomness);
        byte[] distribution = Padding.encodeAndPad(new Payload.SenderKey(id, sentAt, chain.distribution(groupId)));
        String content = encryptText(id, sentAt);
        List<MultiRecipient> recipients = new ArrayList<>(to.size());
        for (Member member : to) {
            List<MultiDevice> devices = new ArrayList<>(member.devices().size());
            for (PairwiseSessions.Peer peer : member.devices()) {
                devices.add(new MultiDevice(peer.device, WireJson.base64(peer.encrypt(distribution))));
            }
            recipients.add(new MultiRecipient(member.username(), devices));
        }
        return new Upload(id, MultiFrames.split(id, content, recipients), copies(to));
    }

    /** The text as a GroupMessage under the current chain, which advances; base64url. */
    private String encryptText(String id, long sentAt) throws ProtocolException {
        if (chain == null) {
            throw new IllegalStateException("no sender chain yet: the group's first message starts one (newChain)");
        }
        SenderChain.GroupEncryption encrypted = chain.encrypt(groupId, Padding.encodeAndPad(new Payload.Text(id, sentAt, text)));
        chain = encrypted.next();
        return WireJson.base64(encrypted.message());
    }

    /**
     * The recipient sets of one list of members, one per frame part of a content-only send to
     * it (a client keeps these per group, and sends the list again when it changes). Filled in
     * by the {@code stored} answers, on the sender socket's thread.
     */
    static final class ListSets {
        private final List<Member> to;
        private final AtomicReferenceArray<String> ids;

        ListSets(List<Member> to, int parts) {
            this.to = to;
            this.ids = new AtomicReferenceArray<>(parts);
        }

        int parts() {
            return ids.length();
        }

        /** Every part's set, or null while any is unknown. */
        List<String> ids() {
            List<String> all = new ArrayList<>(ids.length());
            for (int part = 0; part < ids.length(); part++) {
                String id = ids.get(part);
                if (id == null) {
                    return null;
                }
                all.add(id);
            }
            return all;
        }
    }

    /** Where the set named in the answer to one frame goes: a part of a {@link ListSets}. */
    record SetSlot(ListSets list, int part) {
        void learn(String set) {
            list.ids.set(part, set);
        }
    }

    static int copies(List<Member> members) {
        int copies = 0;
        for (Member member : members) {
            copies += member.devices().size();
        }
        return copies;
    }
}
