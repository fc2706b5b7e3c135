package dev.parley.protocol.groups;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ProtocolException.Failure;
import dev.parley.protocol.codec.Bytes;
import dev.parley.protocol.crypto.Ed25519;
import dev.parley.protocol.testing.DeterministicRandomness;
import dev.parley.wire.signed.SignedBytes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sender keys (CRYPTO.md §11): encryption once per group, receiving chains and every refusal. */
class SenderKeysTest {

    static final GroupId GROUP = GroupTesting.ID;
    static final long NOW = 1_767_225_600_000L;
    static final long DAY = 86_400_000L;

    /** A sender chain and the messages it encrypted, in order. */
    static final class Sender {
        SenderChain chain;
        final List<byte[]> sent = new ArrayList<>();

        Sender(String label) {
            chain = SenderChain.generate(new DeterministicRandomness(label));
        }

        byte[] send(String text) {
            SenderChain.GroupEncryption encryption = chain.encrypt(GROUP, text.getBytes(StandardCharsets.UTF_8));
            chain = encryption.next();
            sent.add(encryption.message());
            return encryption.message();
        }

        void sendMany(int count) {
            for (int i = 0; i < count; i++) {
                send("m" + sent.size());
            }
        }
    }

    /** Decrypts and returns the next receiver, checking the text. */
    static SenderKeyReceiver open(SenderKeyReceiver receiver, byte[] message, String text, long now) throws ProtocolException {
        SenderKeyReceiver.GroupDecryption decryption = receiver.decrypt(GROUP, message, now);
        assertEquals(text, new String(decryption.paddedPayload(), StandardCharsets.UTF_8));
        return decryption.next();
    }

    static Failure refusal(SenderKeyReceiver receiver, GroupId group, byte[] message, long now) {
        return assertThrows(ProtocolException.class, () -> receiver.decrypt(group, message, now)).failure();
    }

    @Test
    void membersOpenMessagesInAnyOrderOnce() throws Exception {
        Sender alice = new Sender("alice chain");
        SenderKeyReceiver bob = SenderKeyReceiver.empty().install(alice.chain.distribution(GROUP));
        alice.sendMany(4);
        for (int i : new int[] {2, 0, 3, 1}) {
            bob = open(bob, alice.sent.get(i), "m" + i, NOW);
        }
        assertEquals(0, bob.skipped().size());
        for (byte[] message : alice.sent) {
            assertEquals(Failure.DUPLICATE, refusal(bob, GROUP, message, NOW));
        }
        assertEquals(4, alice.chain.iteration());
        assertArrayEquals(alice.chain.chainId(), GroupMessage.chainId(alice.sent.get(0)));
        assertTrue(GroupMessage.isGroupMessage(alice.sent.get(0)));
        assertFalse(GroupMessage.isGroupMessage(new byte[] {0x03}));
    }

    @Test
    void theSignatureIsCheckedBeforeAnythingIsDerivedOrDecrypted() throws Exception {
        Sender alice = new Sender("alice chain");
        SenderKeyReceiver bob = SenderKeyReceiver.empty().install(alice.chain.distribution(GROUP));
        byte[] message = alice.send("hello");
        for (int position : new int[] {20, GroupMessage.HEADER_SIZE + 1, message.length - 1}) {
            byte[] tampered = message.clone();
            tampered[position] ^= 1;
            assertEquals(Failure.INVALID_SIGNATURE, refusal(bob, GROUP, tampered, NOW), "byte " + position);
        }
        GroupId other = GroupId.random(new DeterministicRandomness("other group"));
        assertEquals(Failure.INVALID_SIGNATURE, refusal(bob, other, message, NOW));
        Sender mallory = new Sender("mallory chain");
        byte[] forged = mallory.send("hello");
        System.arraycopy(alice.chain.chainId(), 0, forged, 1, 16);
        assertEquals(Failure.INVALID_SIGNATURE, refusal(bob, GROUP, forged, NOW));
        byte[] farAhead = message.clone();
        farAhead[GroupMessage.HEADER_SIZE - 2] = 0x7f;
        assertEquals(Failure.INVALID_SIGNATURE, refusal(bob, GROUP, farAhead, NOW));

        byte[] ciphertextChanged = resign(alice.chain, message, m -> m[GroupMessage.HEADER_SIZE] ^= 1);
        assertEquals(Failure.DECRYPT_FAILED, refusal(bob, GROUP, ciphertextChanged, NOW));
        open(bob, message, "hello", NOW);
    }

    /** The message changed by {@code edit} and signed again with the chain's own key. */
    static byte[] resign(SenderChain chain, byte[] message, java.util.function.Consumer<byte[]> edit) throws Exception {
        byte[] seed = Arrays.copyOfRange(chain.encode(), 1 + 16 + 4 + 32, 1 + 16 + 4 + 32 + 32);
        byte[] body = Arrays.copyOf(message, message.length - 64);
        edit.accept(body);
        byte[] signature = Ed25519.sign(seed, Ed25519.publicKey(seed), SignedBytes.groupMessage(GROUP.bytes(), body));
        return Bytes.concat(body, signature);
    }

    @Test
    void oneMessageSkipsAtMostMaxSkip() throws Exception {
        Sender alice = new Sender("alice chain");
        SenderKeyReceiver bob = SenderKeyReceiver.empty().install(alice.chain.distribution(GROUP));
        alice.sendMany(1002);
        assertEquals(Failure.TOO_MANY_SKIPPED, refusal(bob, GROUP, alice.sent.get(1001), NOW));
        SenderKeyReceiver after = open(bob, alice.sent.get(1000), "m1000", NOW);
        assertEquals(1000, after.skipped().size());
        after = open(after, alice.sent.get(1001), "m1001", NOW);
        after = open(after, alice.sent.get(7), "m7", NOW);
        assertEquals(999, after.skipped().size());
    }

    @Test
    void skippedKeysAreBoundedOldestFirstAndExpire() throws Exception {
        Sender alice = new Sender("alice chain");
        SenderKeyReceiver bob = SenderKeyReceiver.empty().install(alice.chain.distribution(GROUP));
        alice.sendMany(3003);
        bob = open(bob, alice.sent.get(1000), "m1000", NOW);
        bob = open(bob, alice.sent.get(2001), "m2001", NOW + DAY);
        bob = open(bob, alice.sent.get(3002), "m3002", NOW + 2 * DAY);
        assertEquals(2000, bob.skipped().size());
        assertEquals(Failure.DUPLICATE, refusal(bob, GROUP, alice.sent.get(999), NOW + 2 * DAY));
        open(bob, alice.sent.get(1001), "m1001", NOW + 2 * DAY);
        long expiry = NOW + DAY + dev.parley.protocol.Limits.SKIPPED_KEY_TTL.toMillis();
        open(bob, alice.sent.get(1500), "m1500", expiry);
        assertEquals(Failure.DUPLICATE, refusal(bob, GROUP, alice.sent.get(1500), expiry + 1));
        open(bob, alice.sent.get(2500), "m2500", expiry + 1);
    }

    @Test
    void aNewMemberOpensNothingSentBeforeItsDistribution() throws Exception {
        Sender alice = new Sender("alice chain");
        alice.sendMany(3);
        SenderKeyReceiver carol = SenderKeyReceiver.empty().install(alice.chain.distribution(GROUP));
        alice.sendMany(2);
        for (int i = 0; i < 3; i++) {
            assertEquals(Failure.DUPLICATE, refusal(carol, GROUP, alice.sent.get(i), NOW));
        }
        carol = open(carol, alice.sent.get(4), "m4", NOW);
        carol = open(carol, alice.sent.get(3), "m3", NOW);
        SenderKeyDistribution old = new SenderKeyDistribution(GROUP, alice.chain.chainId(), 0,
                alice.chain.distribution(GROUP).chainKey(), alice.chain.distribution(GROUP).signingPublic());
        assertSame(carol, carol.install(old), "a held chain never moves backwards");
        assertEquals(Failure.DUPLICATE, refusal(carol.install(old), GROUP, alice.sent.get(0), NOW));
    }

    @Test
    void aRotatedChainNeedsItsOwnDistributionAndOnlyThreeChainsAreKept() throws Exception {
        Sender first = new Sender("chain 1");
        SenderKeyReceiver bob = SenderKeyReceiver.empty().install(first.chain.distribution(GROUP));
        byte[] late = first.send("late");
        Sender second = new Sender("chain 2");
        byte[] rotated = second.send("new");
        assertEquals(Failure.NO_SESSION, refusal(bob, GROUP, rotated, NOW));
        bob = bob.install(second.chain.distribution(GROUP));
        assertEquals(Failure.DUPLICATE, refusal(bob, GROUP, rotated, NOW), "distributed after the message");

        SenderKeyReceiver fresh = SenderKeyReceiver.empty().install(first.chain.distribution(GROUP));
        Sender third = new Sender("chain 3");
        Sender fourth = new Sender("chain 4");
        SenderKeyReceiver withThree = SenderKeyReceiver.empty().install(new Sender("chain 1").chain.distribution(GROUP))
                .install(second.chain.distribution(GROUP)).install(third.chain.distribution(GROUP));
        open(withThree, late, "late", NOW);
        SenderKeyReceiver withFour = withThree.install(fourth.chain.distribution(GROUP));
        assertFalse(withFour.hasChain(first.chain.chainId()));
        assertTrue(withFour.hasChain(fourth.chain.chainId()));
        assertEquals(Failure.NO_SESSION, refusal(withFour, GROUP, late, NOW));
        open(withFour, fourth.send("four"), "four", NOW);
        assertTrue(fresh.hasChain(first.chain.chainId()));
    }

    @Test
    void everythingPersistsAndDecodesStrictly() throws Exception {
        Sender alice = new Sender("alice chain");
        SenderKeyReceiver bob = SenderKeyReceiver.empty().install(alice.chain.distribution(GROUP));
        alice.sendMany(6);
        bob = open(bob, alice.sent.get(3), "m3", NOW);
        SenderKeyReceiver restored = SenderKeyReceiver.decode(bob.encode());
        assertArrayEquals(bob.encode(), restored.encode());
        restored = open(restored, alice.sent.get(1), "m1", NOW);
        open(restored, alice.sent.get(5), "m5", NOW);
        assertEquals(Failure.DUPLICATE, refusal(restored, GROUP, alice.sent.get(3), NOW));

        SenderChain chain = SenderChain.decode(alice.chain.encode());
        assertArrayEquals(alice.chain.encode(), chain.encode());
        assertArrayEquals(alice.chain.encrypt(GROUP, new byte[3]).message(), chain.encrypt(GROUP, new byte[3]).message());
        SenderKeyDistribution d = alice.chain.distribution(GROUP);
        assertEquals(SenderKeyDistribution.SIZE, d.encode().length);
        assertEquals(d, SenderKeyDistribution.decode(d.encode()));

        byte[] stored = bob.encode();
        assertMalformed(() -> SenderKeyReceiver.decode(Arrays.copyOf(stored, stored.length + 1)));
        assertMalformed(() -> SenderKeyReceiver.decode(Arrays.copyOf(stored, stored.length - 1)));
        byte[] twoChains = SenderKeyReceiver.decode(stored).install(new Sender("x").chain.distribution(GROUP)).encode();
        byte[] sameChainTwice = twoChains.clone();
        System.arraycopy(twoChains, 2, sameChainTwice, 2 + 88, 16);
        assertMalformed(() -> SenderKeyReceiver.decode(sameChainTwice));
        byte[] skippedOutside = stored.clone();
        skippedOutside[2 + 88 + 2 + 16 + 3] = 9;
        assertMalformed(() -> SenderKeyReceiver.decode(skippedOutside));
        byte[] version = stored.clone();
        version[0] = 2;
        assertEquals(Failure.UNSUPPORTED_VERSION,
                assertThrows(ProtocolException.class, () -> SenderKeyReceiver.decode(version)).failure());
        assertMalformed(() -> SenderKeyDistribution.decode(Arrays.copyOf(d.encode(), SenderKeyDistribution.SIZE + 1)));
        assertMalformed(() -> SenderChain.decode(Arrays.copyOf(chain.encode(), 10)));
        assertMalformed(() -> GroupMessage.chainId(new byte[] {0x04, 1, 2}));
        assertMalformed(() -> GroupMessage.chainId(Bytes.concat(new byte[] {0x03}, Arrays.copyOfRange(alice.sent.get(0), 1, 200))));
    }

    static void assertMalformed(org.junit.jupiter.api.function.Executable decode) {
        assertEquals(Failure.MALFORMED, assertThrows(ProtocolException.class, decode).failure());
    }

    @Test
    void aGroupMessageCarriesTextOrTypingOnly() throws Exception {
        var text = new dev.parley.protocol.payload.Payload.Text("t", 1, "hi");
        var typing = new dev.parley.protocol.payload.Payload.Typing("y", 2, true);
        assertEquals(text, GroupMessage.payload(dev.parley.protocol.payload.Padding.encodeAndPad(text)));
        assertEquals(typing, GroupMessage.payload(dev.parley.protocol.payload.Padding.encodeAndPad(typing)));
        byte[] receipt = dev.parley.protocol.payload.Padding.encodeAndPad(
                new dev.parley.protocol.payload.Payload.ReadReceipt("r", 3, List.of("t")));
        assertMalformed(() -> GroupMessage.payload(receipt));
        assertMalformed(() -> GroupMessage.payload(new byte[256]));
    }

    @Test
    void nothingPrintsAKey() {
        Sender alice = new Sender("alice chain");
        SenderKeyDistribution d = alice.chain.distribution(GROUP);
        String key = Bytes.b64(d.chainKey());
        for (Object o : List.of(d, alice.chain, SenderKeyReceiver.empty().install(d), alice.chain.encrypt(GROUP, new byte[1]))) {
            assertFalse(o.toString().contains(key), o.toString());
            assertFalse(o.toString().contains(Arrays.toString(d.chainKey())), o.toString());
        }
    }
}
