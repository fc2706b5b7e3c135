package dev.parley.protocol.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.testing.TestDevice;
import org.junit.jupiter.api.Test;

/** Safety numbers (CRYPTO.md §6). */
class SafetyNumberTest {

    private final TestDevice alice = new TestDevice("alice");
    private final TestDevice bob = new TestDevice("bob");

    @Test
    void bothSidesComputeTheSameNumber() {
        SafetyNumber fromAlice = SafetyNumber.of(alice.identity.publicIdentity(), "alice", bob.identity.publicIdentity(), "bob");
        SafetyNumber fromBob = SafetyNumber.of(bob.identity.publicIdentity(), "bob", alice.identity.publicIdentity(), "alice");
        assertEquals(fromAlice, fromBob);
        assertEquals(12, fromAlice.groups().size());
        assertEquals(fromAlice.digits(), String.join("", fromAlice.groups()));
        assertEquals("parley-safety:v1:" + fromAlice.digits(), fromAlice.qrText());
        assertTrue(fromBob.matchesQrText(fromAlice.qrText()));
        assertFalse(fromBob.matchesQrText(fromAlice.qrText().replace("v1", "v2")));
    }

    @Test
    void smallerFingerprintComesFirst() {
        String a = SafetyNumber.fingerprint(alice.identity.publicIdentity().bytes(), "alice");
        String b = SafetyNumber.fingerprint(bob.identity.publicIdentity().bytes(), "bob");
        assertEquals(30, a.length());
        String expected = a.compareTo(b) < 0 ? a + b : b + a;
        assertEquals(expected, SafetyNumber.of(alice.identity.publicIdentity(), "alice", bob.identity.publicIdentity(), "bob").digits());
    }

    @Test
    void usernameAndIdentityBothMatter() {
        byte[] ik = alice.identity.publicIdentity().bytes();
        assertNotEquals(SafetyNumber.fingerprint(ik, "alice"), SafetyNumber.fingerprint(ik, "alice2"));
        assertNotEquals(SafetyNumber.fingerprint(ik, "alice"),
                SafetyNumber.fingerprint(bob.identity.publicIdentity().bytes(), "alice"));
    }
}
