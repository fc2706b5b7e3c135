package dev.parley.protocol.session;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.codec.ByteReader;
import dev.parley.protocol.codec.ByteWriter;
import dev.parley.protocol.handshake.HandshakeMode;
import dev.parley.protocol.keys.PublicIdentity;
import dev.parley.protocol.ratchet.SessionStateCodec;

/**
 * Versioned binary serialization of a {@link Session} (local storage only; holds secrets).
 *
 * <pre>
 * u8   version = 0x01
 * u8   role                  0x01 initiator, 0x02 responder
 * u8   mode                  handshake mode byte (CRYPTO.md §2.1)
 * 32   remote IKs_pub
 * 32   remote IKd_pub
 * 64   remote binding signature (re-verified on decode)
 * 32   EK_A (base key)
 * u32  len || pending handshake fields (len 0: not pending)
 * u32  len || SessionState ({@link SessionStateCodec})
 * </pre>
 */
public final class SessionCodec {

    public static final int VERSION = 0x01;

    private SessionCodec() {}

    public static byte[] encode(Session session) {
        PublicIdentity remote = session.remoteIdentity();
        byte[] pending = session.pendingHandshake();
        return new ByteWriter(2048)
                .u8(VERSION)
                .u8(session.role() == Session.Role.INITIATOR ? 0x01 : 0x02)
                .u8(session.mode().wire())
                .bytes(remote.signingKey()).bytes(remote.dhKey()).bytes(remote.binding())
                .bytes(session.baseKey())
                .u32Prefixed(pending == null ? new byte[0] : pending)
                .u32Prefixed(SessionStateCodec.encode(session.state()))
                .toByteArray();
    }

    public static Session decode(byte[] bytes) throws ProtocolException {
        ByteReader in = ByteReader.versioned(bytes, "session", VERSION);
        Session.Role role = switch (in.u8()) {
            case 0x01 -> Session.Role.INITIATOR;
            case 0x02 -> Session.Role.RESPONDER;
            default -> throw in.malformed("role");
        };
        HandshakeMode mode = HandshakeMode.fromWire(in.u8());
        PublicIdentity remote = PublicIdentity.verify(in.bytes(32), in.bytes(32), in.bytes(64));
        byte[] baseKey = in.bytes(32);
        byte[] pending = in.u32Prefixed();
        var state = SessionStateCodec.decode(in.u32Prefixed());
        in.expectEnd();
        return new Session(role, remote, mode, baseKey, state, pending.length == 0 ? null : pending);
    }
}
