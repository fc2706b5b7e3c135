package dev.parley.client;

import dev.parley.client.store.ClientStore;
import dev.parley.client.store.GroupOutboxStore;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.groups.GroupChange;
import dev.parley.protocol.groups.GroupId;
import dev.parley.protocol.groups.GroupMessage;
import dev.parley.protocol.groups.GroupState;
import dev.parley.protocol.keys.IdentityKeyPair;
import dev.parley.protocol.payload.Payload;
import dev.parley.protocol.payload.PayloadCodec;
import dev.parley.wire.WireJson;
import dev.parley.wire.frames.DeliveryFrames.RelayMessage;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Test helpers for groups: what a malicious member could do with its own client (send any
 * change it likes, pairwise, to chosen members), the group state a client holds, the group
 * messages a client is relayed (their ciphertext, as the server delivers it), and waiting for a
 * group to reach a version everywhere.
 */
public final class GroupKit {

    private GroupKit() {
    }

    /** The group state {@code client} holds now. */
    public static GroupState state(ParleyClient client, String groupId) throws ProtocolException {
        return GroupState.decode(client.store().groups.group(groupId).orElseThrow().state());
    }

    /** This client's account identity (for a test that signs as that account, as its own device could). */
    public static IdentityKeyPair identity(ParleyClient client) {
        return client.store().account().orElseThrow().identity();
    }

    /** Sends {@code change} as a group update from {@code from}'s client to {@code to} (each of their devices), as a member can. */
    public static void inject(ParleyClient from, GroupChange change, List<String> to) throws ClientException {
        var payload = new Payload.GroupChangeUpdate(MessageIds.random(dev.parley.protocol.crypto.Randomness.from(
                new java.security.SecureRandom())), System.currentTimeMillis(), change);
        from.store().groupOutbox.queue(payload.id(), change.groupId().text(), GroupOutboxStore.Kind.UPDATE,
                PayloadCodec.encode(payload), to, System.currentTimeMillis());
        from.parts().groupOutbox.pump();
    }

    /** The contents of the group messages relayed to {@code client} from now on (the ciphertext the server delivers). */
    public static BlockingQueue<byte[]> capture(ParleyClient client) {
        BlockingQueue<byte[]> captured = new LinkedBlockingQueue<>();
        client.parts().frameTap = frame -> {
            if (frame instanceof RelayMessage relay && relay.content() != null) {
                byte[] content = WireJson.fromBase64(relay.content());
                if (GroupMessage.isGroupMessage(content)) {
                    captured.add(content);
                }
            }
        };
        return captured;
    }

    /** Waits until every client holds the group at {@code version} or later. */
    public static void awaitVersion(String groupId, long version, ParleyClient... clients) throws InterruptedException {
        for (ParleyClient client : clients) {
            try {
                DevicesTest.eventually(client.username().orElse("?") + " holds version " + version, () -> client.store().groups
                        .group(groupId).map(g -> g.version() >= version).orElse(false));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + " (it holds " + client.store().groups.group(groupId) + ", its history "
                        + client.store().groupHistory.history(groupId).stream().map(h -> h.kind() + ":" + h.text()).toList()
                        + ")", e);
            }
        }
    }

    /** As {@link #awaitVersion(String, long, ParleyClient...)}, saying what {@code events} heard when it fails. */
    public static void awaitVersion(String groupId, long version, RecordingListener events, ParleyClient client)
            throws InterruptedException {
        try {
            awaitVersion(groupId, version, client);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; undecryptable: " + events.undecryptable + "; warnings: "
                    + events.groupWarnings, e);
        }
    }

    /** The id of a group from text. */
    public static GroupId id(String text) throws ProtocolException {
        return GroupId.parse(text);
    }

    /** Opens a closed client's store to read what it held. */
    public static ClientStore openStore(java.nio.file.Path home) {
        return ClientStore.open(home);
    }
}
