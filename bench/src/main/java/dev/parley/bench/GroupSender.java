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
import java.util.ArrayList;
import java.util.List;

/**
 * The group's sending device, as a client encrypts and frames a text for the group's members
 * (docs/design/GROUPS.md), in the three ways the scenario compares:
 *
 * <ul>
 *   <li>{@link #group}: the text encrypted once with the sender chain (AEAD and signature,
 *       {@link SenderChain#encrypt}), uploaded once in {@code send_multi} with the list of
 *       recipient devices;</li>
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

    /** A message as uploaded: its frames and the number of device copies they make. */
    record Upload(String id, List<String> frames, int copies) {
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

    GroupSender(Randomness randomness, int textBytes) {
        this.randomness = randomness;
        this.groupId = GroupId.random(randomness);
        this.text = "x".repeat(textBytes);
    }

    GroupId groupId() {
        return groupId;
    }

    /** One group message under the current chain: encrypt, sign, frame. */
    Upload group(String id, long sentAt, List<Member> to) throws ProtocolException {
        if (chain == null) {
            throw new IllegalStateException("no sender chain yet: the group's first message starts one (newChain)");
        }
        String content = encryptText(id, sentAt);
        List<MultiRecipient> recipients = new ArrayList<>(to.size());
        for (Member member : to) {
            List<MultiDevice> devices = new ArrayList<>(member.devices().size());
            member.devices().forEach(peer -> devices.add(new MultiDevice(peer.device, null)));
            recipients.add(new MultiRecipient(member.username(), devices));
        }
        return new Upload(id, MultiFrames.split(id, content, recipients), copies(to));
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
        SenderChain.GroupEncryption encrypted = chain.encrypt(groupId, Padding.encodeAndPad(new Payload.Text(id, sentAt, text)));
        chain = encrypted.next();
        return WireJson.base64(encrypted.message());
    }

    static int copies(List<Member> members) {
        int copies = 0;
        for (Member member : members) {
            copies += member.devices().size();
        }
        return copies;
    }
}
