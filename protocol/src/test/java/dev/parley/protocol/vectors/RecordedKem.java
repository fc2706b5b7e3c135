package dev.parley.protocol.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.crypto.KemEncapsulation;
import dev.parley.protocol.crypto.KemEncapsulator;
import java.util.ArrayDeque;
import java.util.Deque;

/** KEM seams for vectors: record real encapsulations, or hand out recorded ones in order. */
final class RecordedKem {

    private RecordedKem() {}

    /** Wraps {@code real}, appending {@code {ciphertext, sharedSecret}} to {@code log}. */
    static KemEncapsulator recording(KemEncapsulator real, ArrayNode log) {
        return publicKey -> {
            KemEncapsulation encapsulation = real.encapsulate(publicKey);
            ObjectNode entry = log.addObject();
            entry.put("ciphertext", Json.b64(encapsulation.ciphertext()));
            entry.put("sharedSecret", Json.b64(encapsulation.sharedSecret()));
            return encapsulation;
        };
    }

    /** Replays a recorded {@code kem} list; running out is a test failure. */
    static final class Replay implements KemEncapsulator {
        private final Deque<JsonNode> remaining = new ArrayDeque<>();

        Replay(JsonNode recorded) {
            if (recorded != null) {
                recorded.forEach(remaining::add);
            }
        }

        @Override
        public KemEncapsulation encapsulate(byte[] publicKey) throws ProtocolException {
            JsonNode next = remaining.pollFirst();
            if (next == null) {
                throw new AssertionError("protocol encapsulated more often than was recorded");
            }
            return new KemEncapsulation(Json.bytes(next, "ciphertext"), Json.bytes(next, "sharedSecret"));
        }

        int remaining() {
            return remaining.size();
        }
    }
}
