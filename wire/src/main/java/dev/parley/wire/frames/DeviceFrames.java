package dev.parley.wire.frames;

import dev.parley.wire.ErrorCode;
import dev.parley.wire.FieldReader;
import dev.parley.wire.FieldWriter;
import dev.parley.wire.FrameType;
import dev.parley.wire.WireFrame;
import dev.parley.wire.WireJson;
import dev.parley.wire.WireLimits;
import dev.parley.wire.signed.SignedBytes;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An account's devices (docs/PROTOCOL.md §4a): the signed device list, reading and publishing
 * it, and linking a new device through a channel that the server sees only as a hash.
 */
public final class DeviceFrames {

    /** One device of a list: its id (1..255, never reused by the account), its device key {@code DKs}, when it was linked (ms). */
    public record DeviceEntry(int id, byte[] key, long linkedAt) {
        static DeviceEntry read(FieldReader f) {
            return new DeviceEntry(deviceId(f, "id"), f.bytes("key", WireLimits.ED25519_KEY_BYTES),
                    f.integer("linkedAt", 0, WireLimits.MAX_JSON_INTEGER));
        }

        static void write(DeviceEntry e, FieldWriter w) {
            w.integer("id", e.id()).bytes("key", e.key()).integer("linkedAt", e.linkedAt());
        }
    }

    /**
     * A version of an account's device list with its signature by the account's {@code IKs}
     * over {@link SignedBytes#deviceList}. A decoded list is well formed: 1 to
     * {@link WireLimits#MAX_DEVICES} entries ({@code too_many_devices} above), ids ascending and
     * distinct, device keys distinct ({@code bad_device_list}). Whether it verifies, and whether
     * its version follows the stored one, is the receiver's check.
     */
    public record DeviceList(long version, long issuedAt, List<DeviceEntry> devices, byte[] signature) {

        public DeviceList {
            devices = List.copyOf(devices);
        }

        /** The bytes {@link #signature} signs. */
        public byte[] signedBytes() {
            return SignedBytes.deviceList(version, issuedAt, devices);
        }

        /** The entry of {@code deviceId}, or null. */
        public DeviceEntry device(int deviceId) {
            for (DeviceEntry entry : devices) {
                if (entry.id() == deviceId) {
                    return entry;
                }
            }
            return null;
        }

        public List<Integer> deviceIds() {
            return devices.stream().map(DeviceEntry::id).toList();
        }

        /** The largest device id listed. */
        public int maxDeviceId() {
            return devices.getLast().id();
        }

        static DeviceList read(FieldReader f) {
            long version = f.integer("version", 1, WireLimits.MAX_JSON_INTEGER);
            long issuedAt = f.integer("issuedAt", 0, WireLimits.MAX_JSON_INTEGER);
            List<DeviceEntry> devices = f.list("devices", WireLimits.MAX_DEVICE_ID, DeviceEntry::read);
            if (devices.isEmpty()) {
                throw f.refuse(ErrorCode.BAD_DEVICE_LIST, "devices", "a non-empty array");
            }
            if (devices.size() > WireLimits.MAX_DEVICES) {
                throw f.refuse(ErrorCode.TOO_MANY_DEVICES, "devices", "at most " + WireLimits.MAX_DEVICES + " devices");
            }
            Set<String> keys = new HashSet<>();
            for (int i = 0; i < devices.size(); i++) {
                if (i > 0 && devices.get(i).id() <= devices.get(i - 1).id()) {
                    throw f.refuse(ErrorCode.BAD_DEVICE_LIST, "devices", "in ascending order of distinct ids");
                }
                if (!keys.add(WireJson.base64(devices.get(i).key()))) {
                    throw f.refuse(ErrorCode.BAD_DEVICE_LIST, "devices", "of distinct device keys");
                }
            }
            return new DeviceList(version, issuedAt, devices, f.bytes("signature", WireLimits.SIGNATURE_BYTES));
        }

        static void write(DeviceList l, FieldWriter w) {
            w.integer("version", l.version()).integer("issuedAt", l.issuedAt())
                    .array("devices", l.devices(), DeviceEntry::write).bytes("signature", l.signature());
        }
    }

    /** A device row the server holds; {@code lastSeen} (ms) only in the answer about one's own account, else null. */
    public record ServerDevice(int id, Long lastSeen) {
        static ServerDevice read(FieldReader f) {
            return new ServerDevice(deviceId(f, "id"), f.optionalInteger("lastSeen", 0, Long.MAX_VALUE));
        }

        static void write(ServerDevice d, FieldWriter w) {
            w.integer("id", d.id()).optionalInteger("lastSeen", d.lastSeen());
        }
    }

    public record GetDevices(String id, String username) implements WireFrame.Request {
        public static final String TYPE = "get_devices";
    }

    /** {@code list}: the stored signed list (null only for an account that has none); {@code servers}: the server's device rows. */
    public record Devices(String re, String username, DeviceList list, List<ServerDevice> servers) implements WireFrame.Answer {
        public static final String TYPE = "devices";
    }

    /** A new version of one's own list that removes devices (unlinking; devices are added by {@link LinkApprove} only). */
    public record PublishDevices(String id, DeviceList list) implements WireFrame.Request {
        public static final String TYPE = "publish_devices";
    }

    public record DevicesPublished(String re, long version) implements WireFrame.Answer {
        public static final String TYPE = "devices_published";
    }

    /** Unprompted: {@code username}'s list is now at {@code version}; to directory subscribers and the account's own connections. */
    public record DevicesChanged(String username, long version) implements WireFrame {
        public static final String TYPE = "devices_changed";
    }

    /** From a new device, not logged in: opens (or, after a reconnect, re-attaches to) a link channel. */
    public record LinkOpen(String id, byte[] channel, byte[] request) implements WireFrame.Request {
        public static final String TYPE = "link_open";
    }

    public record LinkOpened(String re, long expiresAt) implements WireFrame.Answer {
        public static final String TYPE = "link_opened";
    }

    /** From a logged-in device: the sealed request waiting on {@code channel}. */
    public record LinkPeek(String id, byte[] channel) implements WireFrame.Request {
        public static final String TYPE = "link_peek";
    }

    public record LinkRequest(String re, byte[] channel, byte[] request, long expiresAt) implements WireFrame.Answer {
        public static final String TYPE = "link_request";
    }

    /** From a logged-in device: the list with the new device added, and the link message sealed to the new device. */
    public record LinkApprove(String id, byte[] channel, DeviceList list, byte[] sealed) implements WireFrame.Request {
        public static final String TYPE = "link_approve";
    }

    /** {@code device}: the new device's id. */
    public record LinkApproved(String re, int device) implements WireFrame.Answer {
        public static final String TYPE = "link_approved";
    }

    /** Unprompted, to the new device's connection on {@code channel}: the sealed link message and its device id. */
    public record LinkSealed(byte[] channel, byte[] sealed, int device) implements WireFrame {
        public static final String TYPE = "link_sealed";
    }

    public static final List<FrameType<?>> TYPES = List.of(
            FrameType.fromClient(GetDevices.TYPE, GetDevices.class,
                    f -> new GetDevices(f.id("id"), AuthFrames.username(f)),
                    (g, w) -> w.string("username", g.username())),
            FrameType.fromServer(Devices.TYPE, Devices.class,
                    f -> new Devices(f.reOrNull(), AuthFrames.username(f), f.optionalObject("list", DeviceList::read),
                            f.list("servers", WireLimits.MAX_DEVICE_ID, ServerDevice::read)),
                    (d, w) -> w.string("username", d.username()).object("list", d.list(), DeviceList::write)
                            .array("servers", d.servers(), ServerDevice::write)),
            FrameType.fromClient(PublishDevices.TYPE, PublishDevices.class,
                    f -> new PublishDevices(f.id("id"), f.object("list", DeviceList::read)),
                    (p, w) -> w.object("list", p.list(), DeviceList::write)),
            FrameType.fromServer(DevicesPublished.TYPE, DevicesPublished.class,
                    f -> new DevicesPublished(f.reOrNull(), version(f)),
                    (p, w) -> w.integer("version", p.version())),
            FrameType.fromServer(DevicesChanged.TYPE, DevicesChanged.class,
                    f -> new DevicesChanged(AuthFrames.username(f), version(f)),
                    (c, w) -> w.string("username", c.username()).integer("version", c.version())),
            FrameType.fromClient(LinkOpen.TYPE, LinkOpen.class,
                    f -> new LinkOpen(f.id("id"), channel(f), request(f)),
                    (o, w) -> w.bytes("channel", o.channel()).bytes("request", o.request())),
            FrameType.fromServer(LinkOpened.TYPE, LinkOpened.class,
                    f -> new LinkOpened(f.reOrNull(), expiresAt(f)),
                    (o, w) -> w.integer("expiresAt", o.expiresAt())),
            FrameType.fromClient(LinkPeek.TYPE, LinkPeek.class,
                    f -> new LinkPeek(f.id("id"), channel(f)),
                    (p, w) -> w.bytes("channel", p.channel())),
            FrameType.fromServer(LinkRequest.TYPE, LinkRequest.class,
                    f -> new LinkRequest(f.reOrNull(), channel(f), request(f), expiresAt(f)),
                    (r, w) -> w.bytes("channel", r.channel()).bytes("request", r.request()).integer("expiresAt", r.expiresAt())),
            FrameType.fromClient(LinkApprove.TYPE, LinkApprove.class,
                    f -> new LinkApprove(f.id("id"), channel(f), f.object("list", DeviceList::read), sealed(f)),
                    (a, w) -> w.bytes("channel", a.channel()).object("list", a.list(), DeviceList::write)
                            .bytes("sealed", a.sealed())),
            FrameType.fromServer(LinkApproved.TYPE, LinkApproved.class,
                    f -> new LinkApproved(f.reOrNull(), deviceId(f, "device")),
                    (a, w) -> w.integer("device", a.device())),
            FrameType.fromServer(LinkSealed.TYPE, LinkSealed.class,
                    f -> new LinkSealed(channel(f), sealed(f), deviceId(f, "device")),
                    (s, w) -> w.bytes("channel", s.channel()).bytes("sealed", s.sealed()).integer("device", s.device())));

    /** A device id field: 1 to {@link WireLimits#MAX_DEVICE_ID}. */
    static int deviceId(FieldReader f, String field) {
        return (int) f.integer(field, 1, WireLimits.MAX_DEVICE_ID);
    }

    private static long version(FieldReader f) {
        return f.integer("version", 1, WireLimits.MAX_JSON_INTEGER);
    }

    private static long expiresAt(FieldReader f) {
        return f.integer("expiresAt", 0, Long.MAX_VALUE);
    }

    private static byte[] channel(FieldReader f) {
        return f.bytes("channel", WireLimits.LINK_CHANNEL_BYTES);
    }

    private static byte[] request(FieldReader f) {
        return f.bytes("request", WireLimits.MIN_LINK_REQUEST_BYTES, WireLimits.MAX_LINK_REQUEST_BYTES);
    }

    private static byte[] sealed(FieldReader f) {
        return f.bytes("sealed", WireLimits.MIN_LINK_SEALED_BYTES, WireLimits.MAX_LINK_SEALED_BYTES);
    }

    private DeviceFrames() {
    }
}
