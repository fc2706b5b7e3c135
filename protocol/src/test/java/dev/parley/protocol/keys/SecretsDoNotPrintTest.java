package dev.parley.protocol.keys;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.codec.Bytes;
import dev.parley.protocol.crypto.KemEncapsulation;
import dev.parley.protocol.crypto.MlKem768;
import dev.parley.protocol.fanout.FanOut;
import dev.parley.protocol.payload.Payload;
import dev.parley.protocol.ratchet.ChainKey;
import dev.parley.protocol.ratchet.MessageKeys;
import dev.parley.protocol.ratchet.RootKey;
import dev.parley.protocol.session.PeerSessions;
import dev.parley.protocol.session.Session;
import dev.parley.protocol.testing.TestDevice;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Secret-holding types print only public material (DESIGN §7). */
class SecretsDoNotPrintTest {

    @Test
    void keyTypesPrintNoPrivateKey() throws ProtocolException {
        TestDevice alice = new TestDevice("alice");
        IdentityKeyPair identity = alice.identity;
        assertPrintsNone(identity, identity.signingPrivateKey(), identity.dh().privateKey());
        assertTrue(identity.toString().contains(Bytes.b64(identity.publicIdentity().bytes())), "shows the public identity");
        assertPrintsNone(identity.dh(), identity.dh().privateKey());
        assertPrintsNone(alice.signedPreKey, alice.signedPreKey.keyPair().privateKey());
        OneTimePreKey oneTime = alice.preKeys.oneTimePreKeys.values().iterator().next();
        assertPrintsNone(oneTime, oneTime.keyPair().privateKey());
        KemPreKey kem = alice.lastResortKemPreKey;
        assertPrintsNone(kem, kem.seed(), java.util.Arrays.copyOf(kem.seed(), 32));
    }

    @Test
    void ratchetTypesPrintNoKey() throws ProtocolException {
        byte[] secret = HexFormat.of().parseHex("7f".repeat(32));
        RootKey root = new RootKey(secret);
        assertPrintsNone(root, secret);
        RootKey.Step step = root.step(secret);
        assertPrintsNone(step.rootKey(), step.rootKey().bytes());
        ChainKey chain = new ChainKey(secret, 3);
        assertPrintsNone(chain, secret);
        MessageKeys keys = chain.messageKeys();
        assertPrintsNone(keys, keys.messageKey(), keys.aesKey(), keys.nonce());
    }

    @Test
    void sessionsPrintNoKey() throws ProtocolException {
        TestDevice alice = new TestDevice("alice");
        TestDevice bob = new TestDevice("bob");
        Session session = alice.initiate(bob);
        PeerSessions sessions = new PeerSessions();
        sessions.adoptInitiated(session);
        String printed = session + " " + sessions;
        // The session's secrets are not reachable from outside; check the ones that are known here.
        for (byte[] secret : List.of(alice.identity.signingPrivateKey(), alice.identity.dh().privateKey(),
                bob.signedPreKey.keyPair().privateKey())) {
            assertNoEncodingOf(printed, secret);
        }
    }

    @Test
    void contentKeysAndKemSecretsDoNotPrint() throws ProtocolException {
        TestDevice alice = new TestDevice("alice");
        FanOut.Sealed sealed = FanOut.seal(new Payload.Text("m", 1L, "x"), alice.randomness);
        assertPrintsNone(sealed, sealed.key());
        Payload.ContentKey contentKey = sealed.keyPayload("m", 1L);
        assertPrintsNone(contentKey, contentKey.key());
        KemEncapsulation encapsulation = MlKem768.encapsulate(alice.lastResortKemPreKey.publicKey().key(), alice.randomness);
        assertPrintsNone(encapsulation, encapsulation.sharedSecret());
    }

    private static void assertPrintsNone(Object value, byte[]... secrets) {
        String printed = value.toString();
        for (byte[] secret : secrets) {
            assertNoEncodingOf(printed, secret);
        }
    }

    private static void assertNoEncodingOf(String printed, byte[] secret) {
        String b64 = Bytes.b64(secret);
        String hex = Bytes.hex(secret);
        String standard = java.util.Base64.getEncoder().encodeToString(secret);
        for (String encoding : List.of(b64, hex, hex.toUpperCase(), standard, java.util.Arrays.toString(secret))) {
            // Any 12-character window of an encoding would already be a leak.
            for (int i = 0; i + 12 <= encoding.length(); i += 4) {
                String window = encoding.substring(i, i + 12);
                assertFalse(printed.contains(window), () -> "printed form leaks a secret: " + printed);
            }
        }
    }
}
