package dev.parley.protocol.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ProtocolException.Failure;
import dev.parley.protocol.testing.TestDevice;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Alice and Bob agree under arbitrary interleavings: both send at random, messages are delivered
 * in random order (some late, across several ratchet turns), every delivered message decrypts
 * to what was sent, and every redelivery is refused as a duplicate without changing state.
 * Sessions are serialized and restored along the way. Seeded, so a failure reproduces.
 */
class RandomizedConversationTest {

    private record InFlight(boolean toBob, byte[] wire, byte[] plaintext) {}

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void aliceAndBobAgree(long seed) throws ProtocolException {
        Random random = new Random(seed);
        TestDevice alice = new TestDevice("alice-" + seed);
        TestDevice bob = new TestDevice("bob-" + seed);
        PeerSessions aliceToBob = alice.sessionsTo(bob);
        PeerSessions bobToAlice = new PeerSessions();

        List<InFlight> inFlight = new ArrayList<>();
        List<InFlight> delivered = new ArrayList<>();
        int decrypted = 0;
        for (int step = 0; step < 300; step++) {
            int action = random.nextInt(10);
            if (action < 3 || (action < 5 && !bobToAlice.current().map(Session::canSend).orElse(false))) {
                byte[] plaintext = ("alice " + step).getBytes(StandardCharsets.UTF_8);
                inFlight.add(new InFlight(true, aliceToBob.encrypt(plaintext), plaintext));
            } else if (action < 5) {
                byte[] plaintext = ("bob " + step).getBytes(StandardCharsets.UTF_8);
                inFlight.add(new InFlight(false, bobToAlice.encrypt(plaintext), plaintext));
            } else if (action < 9 && !inFlight.isEmpty()) {
                // Mostly the oldest message, sometimes a random later one (reordering).
                int index = random.nextInt(4) == 0 ? random.nextInt(inFlight.size()) : 0;
                InFlight message = inFlight.remove(index);
                TestDevice receiver = message.toBob() ? bob : alice;
                PeerSessions sessions = message.toBob() ? bobToAlice : aliceToBob;
                assertArrayEquals(message.plaintext(), receiver.receive(sessions, message.wire()).plaintext(), "step " + step);
                delivered.add(message);
                decrypted++;
            } else if (!delivered.isEmpty()) {
                InFlight replay = delivered.get(random.nextInt(delivered.size()));
                TestDevice receiver = replay.toBob() ? bob : alice;
                PeerSessions sessions = replay.toBob() ? bobToAlice : aliceToBob;
                byte[] before = PeerSessionsCodec.encode(sessions);
                ProtocolException e = assertThrows(ProtocolException.class, () -> receiver.receive(sessions, replay.wire()));
                assertTrue(e.failure() == Failure.DUPLICATE || e.failure() == Failure.DECRYPT_FAILED, e.getMessage());
                assertArrayEquals(before, PeerSessionsCodec.encode(sessions), "replay changed state at step " + step);
            }
            if (step % 50 == 49) {
                aliceToBob = PeerSessionsCodec.decode(PeerSessionsCodec.encode(aliceToBob));
                bobToAlice = PeerSessionsCodec.decode(PeerSessionsCodec.encode(bobToAlice));
            }
        }
        for (InFlight message : inFlight) {
            TestDevice receiver = message.toBob() ? bob : alice;
            assertArrayEquals(message.plaintext(), receiver.receive(message.toBob() ? bobToAlice : aliceToBob, message.wire()).plaintext());
            decrypted++;
        }
        assertTrue(decrypted > 100, "the run exercised enough deliveries: " + decrypted);
        assertEquals(0, aliceToBob.archived().size());
        assertEquals(0, bobToAlice.archived().size());
    }
}
