package dev.parley.protocol.link;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.codec.ByteReader;
import dev.parley.protocol.codec.Utf8;

/**
 * A device's name ("Laptop") as it travels between one account's devices (the link request,
 * the device-linked sync payload; CRYPTO.md §10.2): {@code u8 len || utf8 name}, 1..64 bytes of
 * UTF-8 without control characters and without the bidirectional overrides, isolates and marks
 * (U+200E, U+200F, U+202A..U+202E, U+2066..U+2069), so that the name shown in the approval
 * dialog cannot break lines or reorder the text around it.
 */
public final class DeviceName {

    public static final int MAX_BYTES = 64;

    private DeviceName() {}

    /** The UTF-8 bytes of a valid name or throws {@link IllegalArgumentException}. */
    public static byte[] encode(String name) {
        String problem = problem(name);
        if (problem != null) {
            throw new IllegalArgumentException("device name " + problem);
        }
        return Utf8.encode(name);
    }

    /** Reads {@code u8 len || utf8 name} and applies the same rules. */
    public static String read(ByteReader in) throws ProtocolException {
        String name = Utf8.decode(in.u8Prefixed(), in);
        String problem = problem(name);
        if (problem != null) {
            throw in.malformed("device name " + problem);
        }
        return name;
    }

    /** Null for a valid name, else what is wrong with it. */
    static String problem(String name) {
        if (name == null) {
            return "missing";
        }
        if (name.codePoints().anyMatch(DeviceName::forbidden)) {
            return "contains a control or bidirectional formatting character";
        }
        int bytes = Utf8.encode(name).length;
        if (bytes < 1 || bytes > MAX_BYTES) {
            return "must be 1.." + MAX_BYTES + " UTF-8 bytes";
        }
        return null;
    }

    private static boolean forbidden(int c) {
        return Character.getType(c) == Character.CONTROL
                || Character.getType(c) == Character.SURROGATE // a lone surrogate is not UTF-8
                || c == 0x200E || c == 0x200F
                || (c >= 0x202A && c <= 0x202E)
                || (c >= 0x2066 && c <= 0x2069);
    }
}
