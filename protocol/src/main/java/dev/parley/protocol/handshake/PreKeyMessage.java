package dev.parley.protocol.handshake;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ProtocolException.Failure;
import dev.parley.protocol.codec.ByteReader;
import dev.parley.protocol.codec.ByteWriter;
import dev.parley.protocol.codec.Bytes;
import dev.parley.protocol.crypto.Ed25519;
import dev.parley.protocol.crypto.MlKem768;
import dev.parley.protocol.crypto.X25519;
import dev.parley.protocol.keys.PreKeyIds;
import dev.parley.protocol.ratchet.RatchetMessage;
import dev.parley.wire.signed.KemKeyKind;
import java.util.Optional;

/**
 * An initial message (CRYPTO.md §2.1):
 *
 * <pre>
 * u8   0x01                      message kind: prekey
 * u8   mode                      0x01 PQXDH, 0x02 X3DH
 * 32   IKs_A
 * 32   IKd_A
 * 64   binding signature of IKd_A by IKs_A
 * 32   EK_A
 * u32  spk_id
 * u32  opk_id                    0xFFFFFFFF when no OPK was used
 * [mode 0x01 only]
 * u32  kem_id
 * u8   kem_kind                  0x01 last-resort, 0x02 one-time
 * 1088 CT
 * ...  RatchetMessage            (starting with its own kind byte 0x02)
 * </pre>
 *
 * The handshake fields (everything before the RatchetMessage) are the {@linkplain Handshake}
 * that the initiator repeats on every message until it has received a reply.
 */
public record PreKeyMessage(Handshake handshake, RatchetMessage message) {

    public static final int KIND = 0x01;

    /**
     * The handshake fields.
     *
     * @param oneTimePreKeyId {@link PreKeyIds#NO_ONE_TIME_PREKEY} when none was used
     * @param kem present exactly in PQXDH mode
     */
    public record Handshake(HandshakeMode mode, byte[] senderSigningKey, byte[] senderDhKey, byte[] senderBinding,
            byte[] baseKey, long signedPreKeyId, long oneTimePreKeyId, Optional<KemFields> kem) {

        public Handshake {
            senderSigningKey = Bytes.requireLength(senderSigningKey, Ed25519.KEY_SIZE, "IKs").clone();
            senderDhKey = Bytes.requireLength(senderDhKey, X25519.KEY_SIZE, "IKd").clone();
            senderBinding = Bytes.requireLength(senderBinding, Ed25519.SIGNATURE_SIZE, "binding").clone();
            baseKey = Bytes.requireLength(baseKey, X25519.KEY_SIZE, "EK").clone();
            PreKeyIds.requireU32(signedPreKeyId);
            PreKeyIds.requireU32(oneTimePreKeyId);
            if (kem.isPresent() != (mode == HandshakeMode.PQXDH)) {
                throw new IllegalArgumentException("KEM fields are present exactly in PQXDH mode");
            }
        }

        public boolean usesOneTimePreKey() {
            return oneTimePreKeyId != PreKeyIds.NO_ONE_TIME_PREKEY;
        }

        /** The encoded handshake fields: a PreKeyMessage without its RatchetMessage. */
        public byte[] encode() {
            ByteWriter out = new ByteWriter(1300).u8(KIND).u8(mode.wire()).bytes(senderSigningKey).bytes(senderDhKey)
                    .bytes(senderBinding).bytes(baseKey).u32(signedPreKeyId).u32(oneTimePreKeyId);
            kem.ifPresent(fields -> out.u32(fields.id()).u8(fields.kind().signedByte()).bytes(fields.ciphertext()));
            return out.toByteArray();
        }

        @Override public byte[] senderSigningKey() { return senderSigningKey.clone(); }
        @Override public byte[] senderDhKey() { return senderDhKey.clone(); }
        @Override public byte[] senderBinding() { return senderBinding.clone(); }
        @Override public byte[] baseKey() { return baseKey.clone(); }

        @Override
        public String toString() {
            return "Handshake[" + mode + ", ek=" + Bytes.b64(baseKey) + ", spk=" + signedPreKeyId + ", opk="
                    + (usesOneTimePreKey() ? oneTimePreKeyId : "none")
                    + kem.map(k -> ", kem=" + k.id() + "/" + k.kind().wireName()).orElse("") + "]";
        }
    }

    /** The PQXDH-only fields: which KEM prekey was used and the 1088-byte ciphertext. */
    public record KemFields(long id, KemKeyKind kind, byte[] ciphertext) {
        public KemFields {
            PreKeyIds.requireU32(id);
            ciphertext = Bytes.requireLength(ciphertext, MlKem768.CIPHERTEXT_SIZE, "KEM ciphertext").clone();
        }

        @Override
        public byte[] ciphertext() {
            return ciphertext.clone();
        }
    }

    public byte[] encode() {
        return Bytes.concat(handshake.encode(), message.encode());
    }

    public static PreKeyMessage parse(byte[] bytes) throws ProtocolException {
        ByteReader in = new ByteReader(bytes, "PreKeyMessage");
        if (in.u8() != KIND) {
            throw in.malformed("kind byte is not 0x01");
        }
        HandshakeMode mode = HandshakeMode.fromWire(in.u8());
        byte[] signingKey = in.bytes(Ed25519.KEY_SIZE);
        byte[] dhKey = in.bytes(X25519.KEY_SIZE);
        byte[] binding = in.bytes(Ed25519.SIGNATURE_SIZE);
        byte[] baseKey = in.bytes(X25519.KEY_SIZE);
        long signedPreKeyId = in.u32();
        long oneTimePreKeyId = in.u32();
        Optional<KemFields> kem = Optional.empty();
        if (mode == HandshakeMode.PQXDH) {
            long kemId = in.u32();
            KemKeyKind kind = kemKind(in.u8());
            kem = Optional.of(new KemFields(kemId, kind, in.bytes(MlKem768.CIPHERTEXT_SIZE)));
        }
        if (in.remaining() == 0) {
            throw new ProtocolException(Failure.MALFORMED, "PreKeyMessage: no embedded RatchetMessage");
        }
        RatchetMessage message = RatchetMessage.parse(in.rest());
        return new PreKeyMessage(new Handshake(mode, signingKey, dhKey, binding, baseKey, signedPreKeyId,
                oneTimePreKeyId, kem), message);
    }

    private static KemKeyKind kemKind(int signedByte) throws ProtocolException {
        try {
            return KemKeyKind.fromSignedByte(signedByte);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(Failure.MALFORMED, "unknown KEM prekey kind");
        }
    }
}
