package dev.parley.protocol.fanout;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ProtocolException.Failure;
import dev.parley.protocol.codec.ByteReader;
import dev.parley.protocol.codec.ByteWriter;
import dev.parley.protocol.crypto.AesGcm;
import dev.parley.protocol.crypto.Digests;
import dev.parley.protocol.crypto.Randomness;
import dev.parley.protocol.handshake.PrivatePreKeys;
import dev.parley.protocol.keys.Capabilities;
import dev.parley.protocol.keys.IdentityKeyPair;
import dev.parley.protocol.keys.PublicIdentity;
import dev.parley.protocol.payload.Padding;
import dev.parley.protocol.payload.Payload;
import dev.parley.protocol.session.DevicePair;
import dev.parley.protocol.session.PeerSessions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;

/**
 * One message for several devices (CRYPTO.md §5):
 *
 * <pre>
 * K       = 32 random bytes                        fresh per message
 * content = AEAD_ENC(K, nonce = 12 zero bytes, padded_payload, ad = utf8("Parley_FanOut_v1"))
 * for each device d: ratchet-encrypt Payload{type 0x05, id = the message id, body = K || SHA-256(content)}
 * FanOutMessage = u8 0x03 || u32 len(keyMsg) || keyMsg || content
 * </pre>
 *
 * {@code K} encrypts exactly one content, so the fixed nonce never repeats under a key. The
 * receiver checks {@code SHA-256(content)} against the digest in the key payload before
 * decrypting, so a server cannot pair one device's key with different content.
 */
public final class FanOut {

    public static final int KIND = 0x03;
    static final byte[] CONTENT_AD = "Parley_FanOut_v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ZERO_NONCE = new byte[AesGcm.NONCE_SIZE];

    private FanOut() {}

    /** The content encrypted once, and its key. {@code toString} shows no key. */
    public record Sealed(byte[] key, byte[] content) {
        public Sealed {
            key = key.clone();
            content = content.clone();
        }

        /** The payload to ratchet-encrypt for each device. */
        public Payload.ContentKey keyPayload(String messageId, long sentAt) {
            return new Payload.ContentKey(messageId, sentAt, key, Digests.sha256(content));
        }

        @Override public byte[] key() { return key.clone(); }
        @Override public byte[] content() { return content.clone(); }

        @Override
        public String toString() {
            return "Sealed[content=" + content.length + " bytes]";
        }
    }

    /** A parsed FanOutMessage: the device's key message (PreKey or Ratchet) and the shared content. */
    public record Message(byte[] keyMessage, byte[] content) {
        public Message {
            keyMessage = keyMessage.clone();
            content = content.clone();
        }

        @Override public byte[] keyMessage() { return keyMessage.clone(); }
        @Override public byte[] content() { return content.clone(); }
    }

    /** Pads and encrypts {@code payload} under a fresh key drawn from {@code randomness} (32 bytes). */
    public static Sealed seal(Payload payload, Randomness randomness) throws ProtocolException {
        byte[] key = randomness.bytes(AesGcm.KEY_SIZE);
        return new Sealed(key, AesGcm.encrypt(key, ZERO_NONCE, Padding.encodeAndPad(payload), CONTENT_AD));
    }

    public static byte[] encode(byte[] keyMessage, byte[] content) {
        return new ByteWriter(5 + keyMessage.length + content.length)
                .u8(KIND).u32Prefixed(keyMessage).bytes(content).toByteArray();
    }

    public static Message parse(byte[] bytes) throws ProtocolException {
        ByteReader in = new ByteReader(bytes, "FanOutMessage");
        if (in.u8() != KIND) {
            throw in.malformed("kind byte is not 0x03");
        }
        byte[] keyMessage = in.u32Prefixed();
        if (keyMessage.length == 0) {
            throw in.malformed("empty key message");
        }
        return new Message(keyMessage, in.rest());
    }

    /** A received fan-out message: the content's payload and who sent it. */
    public record Received(Payload payload, PublicIdentity sender, boolean establishedNewSession) {}

    /**
     * Receives a FanOutMessage atomically: decrypts the key message with {@code sessions},
     * checks and opens the content, and only then commits the session (and any prekey use). A
     * key message whose content fails leaves everything as it was.
     */
    public static Received receive(PeerSessions sessions, byte[] fanOutMessage, IdentityKeyPair self,
            Capabilities ownCapabilities, PrivatePreKeys preKeys, Randomness randomness, Instant now) throws ProtocolException {
        return receive(sessions, fanOutMessage, self, ownCapabilities, preKeys, randomness, now, null);
    }

    /** As above, passing the device ids to {@link PeerSessions#decrypt} (required between one's own devices). */
    public static Received receive(PeerSessions sessions, byte[] fanOutMessage, IdentityKeyPair self,
            Capabilities ownCapabilities, PrivatePreKeys preKeys, Randomness randomness, Instant now, DevicePair devices)
            throws ProtocolException {
        Message message = parse(fanOutMessage);
        Payload[] opened = new Payload[1];
        PeerSessions.Decrypted decrypted = sessions.decrypt(message.keyMessage(), self, ownCapabilities, preKeys,
                randomness, now, plaintext -> {
                    if (!(Padding.unpadAndDecode(plaintext) instanceof Payload.ContentKey contentKey)) {
                        throw new ProtocolException(Failure.MALFORMED, "key message does not carry a content key");
                    }
                    opened[0] = open(contentKey, message.content());
                }, devices);
        return new Received(opened[0], decrypted.sender(), decrypted.establishedNewSession());
    }

    /**
     * Opens the content with a decrypted content-key payload: digest check first, then
     * AES-GCM, unpadding and decoding. The content's message id must equal the key payload's.
     */
    public static Payload open(Payload.ContentKey contentKey, byte[] content) throws ProtocolException {
        if (!MessageDigest.isEqual(Digests.sha256(content), contentKey.contentDigest())) {
            throw new ProtocolException(Failure.DECRYPT_FAILED, "content digest does not match the key message");
        }
        Payload payload = Padding.unpadAndDecode(AesGcm.decrypt(contentKey.key(), ZERO_NONCE, content, CONTENT_AD));
        if (!payload.id().equals(contentKey.id())) {
            throw new ProtocolException(Failure.MALFORMED, "content message id differs from the key message's");
        }
        return payload;
    }
}
