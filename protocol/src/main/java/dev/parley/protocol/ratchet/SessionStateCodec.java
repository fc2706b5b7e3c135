package dev.parley.protocol.ratchet;

import dev.parley.protocol.Limits;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.codec.ByteReader;
import dev.parley.protocol.codec.ByteWriter;
import dev.parley.protocol.keys.X25519KeyPair;
import java.time.Instant;

/**
 * Versioned binary serialization of {@link SessionState} (CRYPTO.md §8; a local storage format,
 * never sent). Holds secrets: store it only in the device's protected store.
 *
 * <pre>
 * u8   version = 0x01
 * 128  AD
 * 32   RK
 * 32   DHs private key
 * u8   has sending chain (0/1)     [32 CKs || u32 Ns]
 * u8   receiving state (0 none, 1 DHr only, 2 DHr and CKr)
 *                                   [32 DHr]  [32 CKr || u32 Nr]
 * u32  PN
 * u32  skipped count (&lt;= MAX_SKIPPED_KEYS), oldest first:
 *      count x (32 DHr || u32 n || 32 mk || u64 storedAt, ms since the epoch)
 * </pre>
 */
public final class SessionStateCodec {

    public static final int VERSION = 0x01;

    private SessionStateCodec() {}

    public static byte[] encode(SessionState state) {
        ByteWriter out = new ByteWriter(512 + state.skippedKeys().size() * 76);
        out.u8(VERSION).bytes(state.associatedData()).bytes(state.rootKey().bytes())
                .bytes(state.sendingRatchetKey().privateKey());
        ChainKey sending = state.sendingChain();
        if (sending == null) {
            out.u8(0);
        } else {
            out.u8(1).bytes(sending.bytes()).u32(sending.index());
        }
        ReceivingChain receiving = state.receivingChain();
        if (receiving == null) {
            out.u8(0);
        } else if (receiving.chainKey() == null) {
            out.u8(1).bytes(receiving.ratchetKey());
        } else {
            out.u8(2).bytes(receiving.ratchetKey()).bytes(receiving.chainKey().bytes()).u32(receiving.chainKey().index());
        }
        out.u32(state.previousSendingChainLength());
        var skipped = state.skippedKeys().entries();
        out.u32(skipped.size());
        for (SkippedMessageKeys.Entry entry : skipped) {
            out.bytes(entry.ratchetKey()).u32(entry.index()).bytes(entry.messageKey()).u64(entry.storedAt().toEpochMilli());
        }
        return out.toByteArray();
    }

    public static SessionState decode(byte[] bytes) throws ProtocolException {
        ByteReader in = ByteReader.versioned(bytes, "session state", VERSION);
        byte[] associatedData = in.bytes(SessionState.ASSOCIATED_DATA_SIZE);
        RootKey rootKey = new RootKey(in.bytes(RootKey.SIZE));
        X25519KeyPair sendingRatchetKey = X25519KeyPair.fromPrivateKey(in.bytes(32));
        ChainKey sending = switch (in.u8()) {
            case 0 -> null;
            case 1 -> new ChainKey(in.bytes(ChainKey.SIZE), in.u32());
            default -> throw in.malformed("sending chain flag");
        };
        ReceivingChain receiving = switch (in.u8()) {
            case 0 -> null;
            case 1 -> new ReceivingChain(in.bytes(32), null);
            case 2 -> new ReceivingChain(in.bytes(32), new ChainKey(in.bytes(ChainKey.SIZE), in.u32()));
            default -> throw in.malformed("receiving chain flag");
        };
        long previousSendingChainLength = in.u32();
        long count = in.u32();
        if (count > Limits.MAX_SKIPPED_KEYS) {
            throw in.malformed("more skipped keys than MAX_SKIPPED_KEYS");
        }
        SkippedMessageKeys skipped = new SkippedMessageKeys();
        for (long i = 0; i < count; i++) {
            skipped.put(new SkippedMessageKeys.Entry(in.bytes(32), in.u32(), in.bytes(MessageKeys.SIZE),
                    Instant.ofEpochMilli(in.u64())));
        }
        in.expectEnd();
        return new SessionState(associatedData, rootKey, sendingRatchetKey, sending, receiving,
                previousSendingChainLength, skipped);
    }
}
