package dev.parley.protocol.vectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.groups.GroupChange;
import dev.parley.protocol.groups.GroupId;
import dev.parley.protocol.groups.GroupSnapshots;
import dev.parley.protocol.groups.GroupState;
import dev.parley.protocol.groups.SenderKeyDistribution;
import dev.parley.protocol.payload.Payload;
import dev.parley.protocol.payload.PayloadCodec;
import dev.parley.protocol.testing.DeterministicRandomness;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code groups.json} (CRYPTO.md §11): {@code senderKeyKdf} and {@code groupMessages}
 * ({@link GroupMessageVectors}), {@code stateChain} and {@code snapshot}
 * ({@link GroupStateVectors}), and {@code payloads}: one of each group payload with its encoding.
 */
final class GroupVectors {

    private static final long SENT_AT = GroupMessageVectors.SENT_AT;

    private GroupVectors() {}

    static ObjectNode generate() throws ProtocolException {
        GroupId group = GroupId.random(new DeterministicRandomness("parley-vectors/groups/group-id"));
        ObjectNode file = Json.vectorFile("groups.json", "§11");
        file.set("senderKeyKdf", GroupMessageVectors.kdf());
        ObjectNode messages = GroupMessageVectors.messages(group);
        file.set("groupMessages", messages);
        ObjectNode stateChain = GroupStateVectors.stateChain(group);
        file.set("stateChain", stateChain);
        GroupState state = GroupStateVectors.finalState(stateChain);
        file.set("snapshot", GroupStateVectors.snapshot(state));
        JsonNode firstStep = stateChain.get("steps").get(0);
        List<Payload> payloads = List.of(
                new Payload.SenderKey("gp-1", SENT_AT, SenderKeyDistribution.decode(Json.bytes(messages, "distribution"))),
                new Payload.GroupChangeUpdate("gp-2", SENT_AT + 1, GroupChange.decode(Json.bytes(firstStep, "change"))),
                new Payload.GroupSnapshotPart("gp-3", SENT_AT + 2, group, state.version(), state.hash(), 0, 3,
                        GroupSnapshots.split(state, 40).get(0)),
                new Payload.GroupReceipt("gp-4", SENT_AT + 3, group, false, List.of("g-1", "g-3")),
                new Payload.GroupReceipt("gp-5", SENT_AT + 4, group, true, List.of("g-1")),
                new Payload.GroupReadUpTo("gp-6", SENT_AT + 5, group, SENT_AT - 1));
        ArrayNode cases = file.putArray("payloads");
        for (Payload payload : payloads) {
            ObjectNode entry = cases.addObject();
            entry.set("payload", PayloadJson.write(payload));
            entry.put("encoded", Json.b64(PayloadCodec.encode(payload)));
        }
        return file;
    }

    static int verify(JsonNode file) throws ProtocolException {
        int checks = GroupMessageVectors.verifyKdf(Json.required(file, "senderKeyKdf"));
        checks += GroupMessageVectors.verifyMessages(Json.required(file, "groupMessages"));
        checks += GroupStateVectors.verifyStateChain(Json.required(file, "stateChain"));
        checks += GroupStateVectors.verifySnapshot(Json.required(file, "snapshot"));
        Set<String> kinds = new HashSet<>();
        for (JsonNode entry : Json.required(file, "payloads")) {
            Payload payload = PayloadJson.read(Json.required(entry, "payload"));
            byte[] encoded = Json.bytes(entry, "encoded");
            assertArrayEquals(encoded, PayloadCodec.encode(payload), "encoded " + payload);
            assertEquals(payload, PayloadCodec.decode(encoded), "decoded " + payload);
            kinds.add(Json.text(Json.required(entry, "payload"), "type")
                    + (payload instanceof Payload.GroupReceipt receipt ? (receipt.read() ? "/read" : "/delivery") : ""));
            checks += 2;
        }
        assertEquals(Set.of("sender-key", "group-change", "group-snapshot-part", "group-receipt/delivery", "group-receipt/read",
                "group-read-up-to"), kinds, "one payload of each group type and kind");
        return checks;
    }
}
