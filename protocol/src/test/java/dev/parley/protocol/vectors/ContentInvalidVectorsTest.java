package dev.parley.protocol.vectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.payload.Payload;
import dev.parley.protocol.payload.PayloadCodec;
import java.util.HashSet;
import org.junit.jupiter.api.Test;

/** The invalid content vectors break one field of an encoding that is otherwise valid. */
class ContentInvalidVectorsTest {

    @Test
    void theUnbrokenEncodingDecodes() throws ProtocolException {
        Payload.Message message = assertInstanceOf(Payload.Message.class, PayloadCodec.decode(new ContentInvalidVectors.Raw().message()));
        assertEquals("hi", message.text());
        assertEquals("alice", message.quote().author());
        assertEquals(10, message.attachment().size());
    }

    @Test
    void everyRequiredReasonIsGeneratedOnce() {
        var reasons = ContentInvalidVectors.cases().stream().map(ContentInvalidVectors.Case::reason).toList();
        assertEquals(reasons.size(), new HashSet<>(reasons).size(), "unique reasons");
        assertEquals(new HashSet<>(ContentInvalidVectors.REQUIRED), new HashSet<>(reasons));
    }
}
