package dev.parley.bench;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.crypto.Randomness;
import dev.parley.protocol.fanout.FanOut;
import dev.parley.protocol.groups.GroupId;
import dev.parley.protocol.groups.SenderKeyReceiver;
import dev.parley.protocol.payload.Padding;
import dev.parley.protocol.payload.Payload;
import dev.parley.wire.WireJson;
import dev.parley.wire.frames.DeliveryFrames.RelayMessage;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;

/**
 * Opens, after the measured phases, every copy the sampled member devices received, as their
 * clients would: a pairwise fan-out through the device's session (FanOut.receive), a group
 * message through the sender's chain, installed from the distribution in the envelope of a
 * chain's first message. Each must decrypt, verify and carry the text of its own message id, and
 * be relayed with {@code multi} set exactly when it was sent by {@code send_multi}.
 * This shows the scenario's ciphertexts are real; members do not decrypt while measuring (each
 * member is a client on its own machine, here they share the server's two cores).
 */
final class GroupVerifier {

    /** What was checked: copies opened, copies that failed, and the first failure. */
    record Outcome(long verified, long failed, String firstFailure) {
    }

    private final Randomness randomness = Randomness.from(new SecureRandom());
    private final GroupId groupId;
    private long verified;
    private long failed;
    private String firstFailure;

    GroupVerifier(GroupId groupId) {
        this.groupId = groupId;
    }

    /** Opens every copy kept by the sampled devices of {@code members}; {@code pairwise} tells a fan-out's id from a group message's. */
    Outcome verify(GroupMembers members, java.util.function.Predicate<String> pairwise) {
        for (GroupSender.Member member : members.members()) {
            for (PairwiseSessions.Peer peer : member.devices()) {
                List<RelayMessage> copies = members.kept(peer);
                if (copies != null) {
                    verify(peer, List.copyOf(copies), pairwise);
                }
            }
        }
        return new Outcome(verified, failed, firstFailure);
    }

    private void verify(PairwiseSessions.Peer peer, List<RelayMessage> copies, java.util.function.Predicate<String> pairwise) {
        SenderKeyReceiver chains = SenderKeyReceiver.empty();
        for (RelayMessage copy : copies) {
            try {
                Payload payload;
                if (copy.multi() == pairwise.test(copy.id())) {
                    throw new IllegalStateException("relayed with multi " + copy.multi() + ", sent by "
                            + (copy.multi() ? "send_message" : "send_multi"));
                }
                if (pairwise.test(copy.id())) {
                    byte[] message = FanOut.encode(WireJson.fromBase64(copy.envelope()), WireJson.fromBase64(copy.content()));
                    payload = FanOut.receive(peer.deviceEnd, message, peer.keys.identity, peer.keys.capabilities, peer.keys,
                            randomness, Instant.now()).payload();
                } else {
                    if (copy.envelope() != null) {
                        Payload distribution = Padding.unpadAndDecode(peer.decrypt(WireJson.fromBase64(copy.envelope()), randomness));
                        if (!(distribution instanceof Payload.SenderKey senderKey)) {
                            throw new IllegalStateException("the envelope beside a group message is not a sender key");
                        }
                        chains = chains.install(senderKey.distribution());
                    }
                    var opened = chains.decrypt(groupId, WireJson.fromBase64(copy.content()), System.currentTimeMillis());
                    chains = opened.next();
                    payload = Padding.unpadAndDecode(opened.paddedPayload());
                }
                if (!(payload instanceof Payload.Text text) || !text.id().equals(copy.id())) {
                    throw new IllegalStateException("opened to " + payload + ", not the text of message " + copy.id());
                }
                verified++;
            } catch (ProtocolException | RuntimeException e) {
                failed++;
                if (firstFailure == null) {
                    firstFailure = peer + ", message " + copy.id() + ": " + e;
                }
            }
        }
    }
}
