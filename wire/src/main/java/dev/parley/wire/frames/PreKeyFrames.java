package dev.parley.wire.frames;

import dev.parley.wire.FieldReader;
import dev.parley.wire.FieldWriter;
import dev.parley.wire.FrameType;
import dev.parley.wire.WireFrame;
import dev.parley.wire.WireLimits;
import dev.parley.wire.frames.AuthFrames.IdentityKeys;
import dev.parley.wire.signed.KemKeyKind;
import java.util.List;

/** Uploading prekeys and fetching another user's bundle (docs/PROTOCOL.md §5). */
public final class PreKeyFrames {

    /** A prekey with its identity signature: the signed X25519 prekey (32-byte key) or an ML-KEM-768 key (1184 bytes). */
    public record SignedKey(long id, byte[] key, byte[] signature) {
        static SignedKey readX25519(FieldReader f) {
            return new SignedKey(keyId(f), f.bytes("key", WireLimits.X25519_KEY_BYTES), signatureOf(f));
        }

        static SignedKey readKem(FieldReader f) {
            return new SignedKey(keyId(f), f.bytes("key", WireLimits.KEM_KEY_BYTES), signatureOf(f));
        }

        static void write(SignedKey key, FieldWriter w) {
            w.integer("id", key.id()).bytes("key", key.key()).bytes("signature", key.signature());
        }
    }

    /** A one-time X25519 prekey (unsigned: the PQXDH transcript binds it). */
    public record OneTimeKey(long id, byte[] key) {
        static OneTimeKey read(FieldReader f) {
            return new OneTimeKey(keyId(f), f.bytes("key", WireLimits.X25519_KEY_BYTES));
        }

        static void write(OneTimeKey key, FieldWriter w) {
            w.integer("id", key.id()).bytes("key", key.key());
        }
    }

    /** The device's capability flags, signed so that a server cannot strip them. */
    public record SignedCapabilities(int flags, byte[] signature) {
        static SignedCapabilities read(FieldReader f) {
            return new SignedCapabilities((int) f.integer("flags", 0, 255), signatureOf(f));
        }

        static void write(SignedCapabilities c, FieldWriter w) {
            w.integer("flags", c.flags()).bytes("signature", c.signature());
        }
    }

    /** Every part optional (null, or an empty list); a present part replaces (signed keys, capabilities) or adds to the stock. */
    public record UploadPreKeys(String id, SignedKey signedPreKey, SignedKey kemLastResort, SignedCapabilities capabilities,
                                List<OneTimeKey> oneTimePreKeys, List<SignedKey> kemOneTimePreKeys)
            implements WireFrame.Request {
        public static final String TYPE = "upload_prekeys";
    }

    /** The stock of one-time keys after an upload. */
    public record PreKeysStored(String re, int oneTimePreKeys, int kemOneTimePreKeys) implements WireFrame.Answer {
        public static final String TYPE = "prekeys_stored";
    }

    public record GetPreKeyCount(String id) implements WireFrame.Request {
        public static final String TYPE = "get_prekey_count";
    }

    public record PreKeyCount(String re, int oneTimePreKeys, int kemOneTimePreKeys) implements WireFrame.Answer {
        public static final String TYPE = "prekey_count";
    }

    /** Unprompted: a bundle fetch left the owner's stock below {@link WireLimits#LOW_ONE_TIME} or {@link WireLimits#LOW_KEM_ONE_TIME}. */
    public record PreKeysLow(int oneTimePreKeys, int kemOneTimePreKeys) implements WireFrame {
        public static final String TYPE = "prekeys_low";
    }

    /** The bundle of one device of {@code username}'s list. */
    public record GetPreKeyBundle(String id, String username, int device) implements WireFrame.Request {
        public static final String TYPE = "get_prekey_bundle";
    }

    /** The ML-KEM key of a bundle: a one-time key while any is left, else the last-resort key. */
    public record BundleKemKey(long id, byte[] key, byte[] signature, KemKeyKind kind) {
        static BundleKemKey read(FieldReader f) {
            return new BundleKemKey(keyId(f), f.bytes("key", WireLimits.KEM_KEY_BYTES), signatureOf(f),
                    f.choice("kind", KemKeyKind.BY_WIRE_NAME));
        }

        static void write(BundleKemKey key, FieldWriter w) {
            w.integer("id", key.id()).bytes("key", key.key()).bytes("signature", key.signature())
                    .string("kind", key.kind().wireName());
        }
    }

    /** What a first message to a user needs; {@code capabilities} and {@code oneTimePreKey} may be null. */
    public record BundleKeys(IdentityKeys identity, SignedCapabilities capabilities, SignedKey signedPreKey,
                             OneTimeKey oneTimePreKey, BundleKemKey kemPreKey) {
        static BundleKeys read(FieldReader f) {
            return new BundleKeys(f.object("identity", IdentityKeys::read),
                    f.optionalObject("capabilities", SignedCapabilities::read), f.object("signedPreKey", SignedKey::readX25519),
                    f.optionalObject("oneTimePreKey", OneTimeKey::read), f.object("kemPreKey", BundleKemKey::read));
        }

        static void write(BundleKeys b, FieldWriter w) {
            w.object("identity", b.identity(), IdentityKeys::write)
                    .object("capabilities", b.capabilities(), SignedCapabilities::write)
                    .object("signedPreKey", b.signedPreKey(), SignedKey::write)
                    .object("oneTimePreKey", b.oneTimePreKey(), OneTimeKey::write)
                    .object("kemPreKey", b.kemPreKey(), BundleKemKey::write);
        }
    }

    /** The answer to {@link GetPreKeyBundle}. */
    public record PreKeyBundleReply(String re, String username, BundleKeys bundle) implements WireFrame.Answer {
        public static final String TYPE = "prekey_bundle";
    }

    public static final List<FrameType<?>> TYPES = List.of(
            FrameType.fromClient(UploadPreKeys.TYPE, UploadPreKeys.class,
                    f -> new UploadPreKeys(f.id("id"), f.optionalObject("signedPreKey", SignedKey::readX25519),
                            f.optionalObject("kemLastResort", SignedKey::readKem),
                            f.optionalObject("capabilities", SignedCapabilities::read),
                            f.list("oneTimePreKeys", WireLimits.MAX_ONE_TIME_PER_UPLOAD, OneTimeKey::read),
                            f.list("kemOneTimePreKeys", WireLimits.MAX_KEM_ONE_TIME_PER_UPLOAD, SignedKey::readKem)),
                    (u, w) -> w.object("signedPreKey", u.signedPreKey(), SignedKey::write)
                            .object("kemLastResort", u.kemLastResort(), SignedKey::write)
                            .object("capabilities", u.capabilities(), SignedCapabilities::write)
                            .list("oneTimePreKeys", u.oneTimePreKeys(), OneTimeKey::write)
                            .list("kemOneTimePreKeys", u.kemOneTimePreKeys(), SignedKey::write)),
            FrameType.fromServer(PreKeysStored.TYPE, PreKeysStored.class,
                    f -> new PreKeysStored(f.reOrNull(), count(f, "oneTimePreKeys"), count(f, "kemOneTimePreKeys")),
                    (p, w) -> w.integer("oneTimePreKeys", p.oneTimePreKeys()).integer("kemOneTimePreKeys", p.kemOneTimePreKeys())),
            FrameType.fromClient(GetPreKeyCount.TYPE, GetPreKeyCount.class,
                    f -> new GetPreKeyCount(f.id("id")), (g, w) -> { }),
            FrameType.fromServer(PreKeyCount.TYPE, PreKeyCount.class,
                    f -> new PreKeyCount(f.reOrNull(), count(f, "oneTimePreKeys"), count(f, "kemOneTimePreKeys")),
                    (p, w) -> w.integer("oneTimePreKeys", p.oneTimePreKeys()).integer("kemOneTimePreKeys", p.kemOneTimePreKeys())),
            FrameType.fromServer(PreKeysLow.TYPE, PreKeysLow.class,
                    f -> new PreKeysLow(count(f, "oneTimePreKeys"), count(f, "kemOneTimePreKeys")),
                    (p, w) -> w.integer("oneTimePreKeys", p.oneTimePreKeys()).integer("kemOneTimePreKeys", p.kemOneTimePreKeys())),
            FrameType.fromClient(GetPreKeyBundle.TYPE, GetPreKeyBundle.class,
                    f -> new GetPreKeyBundle(f.id("id"), AuthFrames.username(f), DeviceFrames.deviceId(f, "device")),
                    (g, w) -> w.string("username", g.username()).integer("device", g.device())),
            FrameType.fromServer(PreKeyBundleReply.TYPE, PreKeyBundleReply.class,
                    f -> new PreKeyBundleReply(f.reOrNull(), AuthFrames.username(f), f.object("bundle", BundleKeys::read)),
                    (p, w) -> w.string("username", p.username()).object("bundle", p.bundle(), BundleKeys::write)));

    private static long keyId(FieldReader f) {
        return f.integer("id", 0, WireLimits.MAX_PREKEY_ID);
    }

    private static byte[] signatureOf(FieldReader f) {
        return f.bytes("signature", WireLimits.SIGNATURE_BYTES);
    }

    private static int count(FieldReader f, String field) {
        return (int) f.integer(field, 0, Integer.MAX_VALUE);
    }

    private PreKeyFrames() {
    }
}
