package dev.parley.protocol.codec;

import dev.parley.protocol.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 for the layouts of CRYPTO.md: malformed sequences are refused, never replaced. */
public final class Utf8 {

    private Utf8() {}

    public static byte[] encode(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Decodes {@code bytes} read by {@code in}; malformed UTF-8 is {@code in.malformed(...)}. */
    public static String decode(byte[] bytes, ByteReader in) throws ProtocolException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw in.malformed("invalid UTF-8");
        }
    }

    /**
     * Whether {@code text} holds a control character (Unicode category Cc: U+0000..U+001F,
     * U+007F..U+009F). File names and emoji in payloads may not (CRYPTO.md §4).
     */
    public static boolean hasControlCharacter(String text) {
        return text.chars().anyMatch(c -> c < 0x20 || (c >= 0x7F && c <= 0x9F));
    }
}
