package dev.parley.protocol.ratchet;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.codec.ByteReader;
import dev.parley.protocol.codec.ByteWriter;
import dev.parley.protocol.crypto.AesGcm;

/**
 * An ordinary Double Ratchet message (CRYPTO.md §3.5):
 *
 * <pre>
 * RatchetMessage = u8 0x02 || Header(40) || ct (AES-GCM output: ciphertext || 16-byte tag)
 * </pre>
 */
public record RatchetMessage(Header header, byte[] ciphertext) {

    public static final int KIND = 0x02;

    public RatchetMessage {
        ciphertext = ciphertext.clone();
    }

    public byte[] encode() {
        return new ByteWriter(1 + Header.SIZE + ciphertext.length)
                .u8(KIND).bytes(header.encode()).bytes(ciphertext).toByteArray();
    }

    public static RatchetMessage parse(byte[] bytes) throws ProtocolException {
        ByteReader reader = new ByteReader(bytes, "RatchetMessage");
        if (reader.u8() != KIND) {
            throw reader.malformed("kind byte is not 0x02");
        }
        Header header = Header.read(reader);
        if (reader.remaining() < AesGcm.TAG_SIZE) {
            throw reader.malformed("ciphertext shorter than the GCM tag");
        }
        return new RatchetMessage(header, reader.rest());
    }

    @Override
    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    @Override
    public String toString() {
        return "RatchetMessage[" + header + ", " + ciphertext.length + " bytes]";
    }
}
