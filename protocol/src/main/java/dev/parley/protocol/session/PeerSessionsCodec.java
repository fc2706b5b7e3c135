package dev.parley.protocol.session;

import dev.parley.protocol.Limits;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.codec.ByteReader;
import dev.parley.protocol.codec.ByteWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Versioned binary serialization of {@link PeerSessions} (local storage only; holds secrets).
 *
 * <pre>
 * u8   version = 0x01
 * u8   has current (0/1)        [u32 len || Session]
 * u8   archived count (&lt;= MAX_ARCHIVED_SESSIONS), most recent first: count x (u32 len || Session)
 * </pre>
 */
public final class PeerSessionsCodec {

    public static final int VERSION = 0x01;

    private PeerSessionsCodec() {}

    public static byte[] encode(PeerSessions sessions) {
        ByteWriter out = new ByteWriter(4096).u8(VERSION);
        var current = sessions.current();
        out.u8(current.isPresent() ? 1 : 0);
        current.ifPresent(session -> out.u32Prefixed(SessionCodec.encode(session)));
        out.u8(sessions.archived().size());
        for (Session session : sessions.archived()) {
            out.u32Prefixed(SessionCodec.encode(session));
        }
        return out.toByteArray();
    }

    public static PeerSessions decode(byte[] bytes) throws ProtocolException {
        ByteReader in = ByteReader.versioned(bytes, "peer sessions", VERSION);
        Session current = switch (in.u8()) {
            case 0 -> null;
            case 1 -> SessionCodec.decode(in.u32Prefixed());
            default -> throw in.malformed("current flag");
        };
        int count = in.u8();
        if (count > Limits.MAX_ARCHIVED_SESSIONS) {
            throw in.malformed("more archived sessions than MAX_ARCHIVED_SESSIONS");
        }
        List<Session> archived = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            archived.add(SessionCodec.decode(in.u32Prefixed()));
        }
        in.expectEnd();
        return new PeerSessions(current, archived);
    }
}
