package dev.parley.wire.frames;

import dev.parley.wire.FieldReader;
import dev.parley.wire.FieldWriter;
import dev.parley.wire.FrameType;
import dev.parley.wire.WireFrame;
import dev.parley.wire.WireLimits;
import dev.parley.wire.frames.DeviceFrames.DeviceList;
import java.util.List;

/**
 * Register, log in, reset (docs/PROTOCOL.md §3). Each is signed over the connection's challenge
 * ({@link dev.parley.wire.signed.AuthSignedBytes}); the form of the username a new account may
 * take ({@link WireLimits#USERNAME}) is the server's check, answered {@code invalid_username}.
 */
public final class AuthFrames {

    /** A device's public identity: Ed25519 signing key, X25519 key, and the binding signature of the latter by the former. */
    public record IdentityKeys(byte[] signingKey, byte[] dhKey, byte[] binding) {
        static IdentityKeys read(FieldReader f) {
            return new IdentityKeys(f.bytes("signingKey", WireLimits.ED25519_KEY_BYTES),
                    f.bytes("dhKey", WireLimits.X25519_KEY_BYTES), f.bytes("binding", WireLimits.SIGNATURE_BYTES));
        }

        static void write(IdentityKeys keys, FieldWriter w) {
            w.bytes("signingKey", keys.signingKey()).bytes("dhKey", keys.dhKey()).bytes("binding", keys.binding());
        }
    }

    /** {@code deviceList}: version 1 listing the registering device alone, as device 1, signed by the new identity. */
    public record Register(String id, String username, IdentityKeys identity, byte[] recoveryHash, DeviceList deviceList,
                           String origin, long timestamp, byte[] signature) implements WireFrame.Request {
        public static final String TYPE = "register";
    }

    /**
     * A device's login: {@code signature} by the device's key over {@link dev.parley.wire.signed.SignedBytes#deviceAuth},
     * or, for an account that has no device list yet (created before devices existed), by its
     * identity over {@link dev.parley.wire.signed.SignedBytes#auth} as device 1 (docs/PROTOCOL.md §3).
     */
    public record Login(String id, String username, int device, String origin, long timestamp, byte[] signature)
            implements WireFrame.Request {
        public static final String TYPE = "login";
    }

    /** {@code recoveryCode} as the user typed it; the server canonicalises it ({@link dev.parley.wire.signed.RecoveryCodes}). */
    public record Reset(String id, String username, String recoveryCode, IdentityKeys identity, byte[] recoveryHash,
                        DeviceList deviceList, String origin, long timestamp, byte[] signature) implements WireFrame.Request {
        public static final String TYPE = "reset";

        /** Never the recovery code: a record's own toString would print it into any log. */
        @Override
        public String toString() {
            return "Reset[id=" + id + ", username=" + username + ", recoveryCode=hidden]";
        }
    }

    /** {@code device}: the id this connection is logged in as (1 after register and reset). */
    public record Registered(String re, String username, int device) implements WireFrame.Answer {
        public static final String TYPE = "registered";
    }

    public record LoggedIn(String re, String username, int device) implements WireFrame.Answer {
        public static final String TYPE = "logged_in";
    }

    public record ResetDone(String re, String username, int device) implements WireFrame.Answer {
        public static final String TYPE = "reset_done";
    }

    public static final List<FrameType<?>> TYPES = List.of(
            FrameType.fromClient(Register.TYPE, Register.class,
                    f -> new Register(f.id("id"), username(f), f.object("identity", IdentityKeys::read),
                            f.bytes("recoveryHash", WireLimits.HASH_BYTES), deviceList(f), origin(f), timestamp(f), signature(f)),
                    (r, w) -> signed(w.string("username", r.username()).object("identity", r.identity(), IdentityKeys::write)
                            .bytes("recoveryHash", r.recoveryHash()).object("deviceList", r.deviceList(), DeviceList::write),
                            r.origin(), r.timestamp(), r.signature())),
            FrameType.fromClient(Login.TYPE, Login.class,
                    f -> new Login(f.id("id"), username(f), DeviceFrames.deviceId(f, "device"), origin(f), timestamp(f),
                            signature(f)),
                    (l, w) -> signed(w.string("username", l.username()).integer("device", l.device()), l.origin(),
                            l.timestamp(), l.signature())),
            FrameType.fromClient(Reset.TYPE, Reset.class,
                    f -> new Reset(f.id("id"), username(f), f.string("recoveryCode", WireLimits.MAX_RECOVERY_CODE_CHARS),
                            f.object("identity", IdentityKeys::read), f.bytes("recoveryHash", WireLimits.HASH_BYTES),
                            deviceList(f), origin(f), timestamp(f), signature(f)),
                    (r, w) -> signed(w.string("username", r.username()).string("recoveryCode", r.recoveryCode())
                            .object("identity", r.identity(), IdentityKeys::write).bytes("recoveryHash", r.recoveryHash())
                            .object("deviceList", r.deviceList(), DeviceList::write),
                            r.origin(), r.timestamp(), r.signature())),
            FrameType.fromServer(Registered.TYPE, Registered.class,
                    f -> new Registered(f.reOrNull(), username(f), DeviceFrames.deviceId(f, "device")),
                    (r, w) -> w.string("username", r.username()).integer("device", r.device())),
            FrameType.fromServer(LoggedIn.TYPE, LoggedIn.class,
                    f -> new LoggedIn(f.reOrNull(), username(f), DeviceFrames.deviceId(f, "device")),
                    (r, w) -> w.string("username", r.username()).integer("device", r.device())),
            FrameType.fromServer(ResetDone.TYPE, ResetDone.class,
                    f -> new ResetDone(f.reOrNull(), username(f), DeviceFrames.deviceId(f, "device")),
                    (r, w) -> w.string("username", r.username()).integer("device", r.device())));

    static String username(FieldReader f) {
        return f.string("username", WireLimits.MAX_NAME_CHARS);
    }

    private static DeviceList deviceList(FieldReader f) {
        return f.object("deviceList", DeviceList::read);
    }

    private static String origin(FieldReader f) {
        return f.string("origin", WireLimits.ORIGIN, "an http(s) origin");
    }

    private static long timestamp(FieldReader f) {
        return f.integer("timestamp", 0, Long.MAX_VALUE);
    }

    private static byte[] signature(FieldReader f) {
        return f.bytes("signature", WireLimits.SIGNATURE_BYTES);
    }

    private static void signed(FieldWriter w, String origin, long timestamp, byte[] signature) {
        w.string("origin", origin).integer("timestamp", timestamp).bytes("signature", signature);
    }

    private AuthFrames() {
    }
}
