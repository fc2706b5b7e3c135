package dev.parley.protocol.session;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.fanout.FanOut;
import dev.parley.protocol.payload.Padding;
import dev.parley.protocol.payload.PayloadCodec;
import dev.parley.protocol.testing.TestDevice;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Hostile input never escapes as anything but {@link ProtocolException}: random bytes and
 * mutations (bit flips, truncations, extensions) of valid messages, fed to every parser and to
 * the receive path. Seeded, so a failure reproduces.
 */
class MalformedInputTest {

    @FunctionalInterface
    private interface Parser {
        void parse(byte[] input) throws ProtocolException;
    }

    @Test
    void onlyProtocolExceptionsEscape() throws ProtocolException {
        TestDevice alice = new TestDevice("alice");
        TestDevice bob = new TestDevice("bob");
        PeerSessions aliceToBob = alice.sessionsTo(bob);
        byte[] preKeyMessage = aliceToBob.encrypt(Padding.encodeAndPad(
                new dev.parley.protocol.payload.Payload.Text("m", 1L, "hello")));
        PeerSessions bobToAlice = new PeerSessions();
        bob.receive(bobToAlice, preKeyMessage);
        byte[] ratchetMessage = bobToAlice.encrypt("reply".getBytes(StandardCharsets.UTF_8));
        byte[] payload = PayloadCodec.encode(new dev.parley.protocol.payload.Payload.DeliveryReceipt("r", 2L, List.of("m")));
        byte[] session = PeerSessionsCodec.encode(bobToAlice);

        List<Parser> parsers = List.of(
                input -> bob.receive(new PeerSessions(), input),
                input -> alice.receive(PeerSessionsCodec.decode(PeerSessionsCodec.encode(aliceToBob)), input),
                PayloadCodec::decode,
                Padding::unpad,
                FanOut::parse,
                PeerSessionsCodec::decode,
                SessionCodec::decode);
        List<byte[]> seeds = List.of(preKeyMessage, ratchetMessage, payload, session, new byte[0]);

        Random random = new Random(7);
        List<String> escaped = new ArrayList<>();
        int attempts = 0;
        for (int round = 0; round < 150; round++) {
            byte[] base = seeds.get(random.nextInt(seeds.size()));
            byte[] input = mutate(base, random);
            for (Parser parser : parsers) {
                attempts++;
                try {
                    parser.parse(input);
                } catch (ProtocolException expected) {
                    // refused as it should be
                } catch (RuntimeException e) {
                    escaped.add(e + " on input of " + input.length + " bytes");
                }
            }
        }
        assertTrue(escaped.isEmpty(), "unchecked exceptions escaped: " + escaped);
        assertTrue(attempts > 1000);
    }

    private static byte[] mutate(byte[] base, Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> {
                byte[] out = new byte[random.nextInt(200)];
                random.nextBytes(out);
                yield out;
            }
            case 1 -> java.util.Arrays.copyOf(base, base.length == 0 ? 0 : random.nextInt(base.length));
            case 2 -> {
                byte[] out = java.util.Arrays.copyOf(base, base.length + 1 + random.nextInt(8));
                out[out.length - 1] = (byte) random.nextInt(256);
                yield out;
            }
            default -> {
                byte[] out = base.clone();
                if (out.length > 0) {
                    out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
                }
                yield out;
            }
        };
    }
}
