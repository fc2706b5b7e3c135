package dev.parley.protocol.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ProtocolException.Failure;
import dev.parley.wire.Crockford;
import dev.parley.protocol.testing.DeterministicRandomness;
import org.junit.jupiter.api.Test;

/** Link codes (CRYPTO.md §10.1): 52 Crockford base32 characters, typed or as QR text. */
class LinkCodeTest {

    private final byte[] key = new DeterministicRandomness("link-code").bytes(32);

    @Test
    void displayIsThirteenGroupsOfFourAndParsesBack() throws ProtocolException {
        String shown = LinkCode.display(key);
        assertEquals(52 + 12, shown.length());
        assertTrue(shown.matches("([0-9A-HJKMNP-TV-Z]{4}-){12}[0-9A-HJKMNP-TV-Z]{4}"), shown);
        assertArrayEquals(key, LinkCode.parse(shown));
        assertArrayEquals(key, LinkCode.parse(LinkCode.qrText(key)));
        assertEquals(LinkCode.QR_PREFIX + shown.replace("-", ""), LinkCode.qrText(key));
    }

    @Test
    void typedFormsAreFolded() throws ProtocolException {
        String shown = LinkCode.display(key);
        assertArrayEquals(key, LinkCode.parse("  " + shown.toLowerCase().replace('-', ' ') + "\n"));
        String folded = shown.replace('0', 'O').replace('1', 'l');
        assertArrayEquals(key, LinkCode.parse(folded));
        assertArrayEquals(key, LinkCode.parse("PARLEY-LINK:V1:" + shown));
    }

    @Test
    void allZeroAndAllOnesKeysRoundTrip() throws ProtocolException {
        byte[] ones = new byte[32];
        java.util.Arrays.fill(ones, (byte) 0xFF);
        assertEquals("0".repeat(52), Crockford.encode(new byte[32]));
        assertArrayEquals(ones, LinkCode.parse(LinkCode.display(ones)));
        assertEquals('G', Crockford.encode(ones).charAt(51), "last character: 1111 then four zero padding bits");
    }

    @Test
    void anythingElseIsAClearError() {
        String code = LinkCode.display(key).replace("-", "");
        for (String bad : new String[] {
                "", code.substring(1), code + "0", code.substring(0, 51) + "U", code.substring(0, 51) + "1",
                "parley-safety:v1:" + code, "parley-link:v2:" + code, code.substring(0, 20) + "!" + code.substring(21)}) {
            ProtocolException e = assertThrows(ProtocolException.class, () -> LinkCode.parse(bad), bad);
            assertEquals(Failure.MALFORMED, e.failure());
        }
        assertThrows(ProtocolException.class, () -> LinkCode.parse(null));
    }
}
