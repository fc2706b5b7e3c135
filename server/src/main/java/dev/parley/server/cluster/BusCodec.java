package dev.parley.server.cluster;

import dev.parley.server.cluster.ClusterEvent.AccountRegistered;
import dev.parley.server.cluster.ClusterEvent.DevicesChanged;
import dev.parley.server.cluster.ClusterEvent.IdentityReset;
import dev.parley.server.cluster.ClusterEvent.LinkReady;
import dev.parley.server.cluster.ClusterEvent.PresenceChanged;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The text of what nodes publish to each other: one line of space-separated fields, the kind
 * first. On {@link RedisNames#EVENTS}, {@code kind origin fields...} ({@code origin} is the
 * publishing node's id, {@code -} when a Redis script published it):
 * <pre>
 * registered node alice
 * reset      node alice node/c12
 * devices    node alice 7 2,3        (removed devices, or -)
 * link       node &lt;channel, base64url&gt;
 * presence   -    alice 1            (1 online, 0 offline; only scripts publish it)
 * </pre>
 * On a device's channel: {@code poke} (read the queue), {@code replaced node/connection/millis}
 * (that connection is replaced), {@code frame <json>} (send this frame of the catalogue).
 * A kind this node does not know (a newer node during a rolling upgrade) is ignored.
 */
final class BusCodec {

    /** What the scripts put before an account's name in a presence event; they append {@code " 1"} or {@code " 0"}. */
    static final String PRESENCE_PREFIX = "presence - ";
    static final String POKE = "poke";
    static final String REPLACED = "replaced";
    static final String FRAME = "frame";

    private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder BASE64_DECODER = Base64.getUrlDecoder();

    /** An event and the node that published it ({@code -} for a script). */
    record Decoded(String origin, ClusterEvent event) {
    }

    private BusCodec() {
    }

    static String encode(String origin, ClusterEvent event) {
        return switch (event) {
            case AccountRegistered e -> String.join(" ", "registered", origin, e.account());
            case IdentityReset e -> String.join(" ", "reset", origin, e.account(), e.keptConnection());
            case DevicesChanged e -> String.join(" ", "devices", origin, e.account(), Long.toString(e.version()),
                    e.removed().isEmpty() ? "-" : e.removed().stream().map(String::valueOf).collect(Collectors.joining(",")));
            case LinkReady e -> String.join(" ", "link", origin, BASE64.encodeToString(e.channel()));
            case PresenceChanged e -> PRESENCE_PREFIX + e.account() + (e.online() ? " 1" : " 0");
        };
    }

    /** The event of a line from {@link RedisNames#EVENTS}; null for a kind this node does not know. */
    static Decoded decode(String line) {
        String[] f = line.split(" ");
        if (f.length < 3) {
            throw new IllegalArgumentException("a cluster event has a kind, an origin and fields");
        }
        ClusterEvent event = switch (f[0]) {
            case "registered" -> new AccountRegistered(f[2]);
            case "reset" -> new IdentityReset(f[2], f[3]);
            case "devices" -> new DevicesChanged(f[2], Long.parseLong(f[3]), devices(f[4]));
            case "link" -> new LinkReady(BASE64_DECODER.decode(f[2]));
            case "presence" -> new PresenceChanged(f[2], switch (f[3]) {
                case "1" -> true;
                case "0" -> false;
                default -> throw new IllegalArgumentException("presence is 1 or 0");
            });
            default -> null;
        };
        return event == null ? null : new Decoded(f[1], event);
    }

    /** {@code kind} of a device channel's message: the text before the first space. */
    static String kind(String message) {
        int space = message.indexOf(' ');
        return space < 0 ? message : message.substring(0, space);
    }

    /** What follows the kind of a device channel's message. */
    static String argument(String message) {
        int space = message.indexOf(' ');
        return space < 0 ? "" : message.substring(space + 1);
    }

    static String replaced(String owner) {
        return REPLACED + " " + owner;
    }

    static String frame(String json) {
        return FRAME + " " + json;
    }

    private static List<Integer> devices(String field) {
        List<Integer> devices = new ArrayList<>();
        if (!field.equals("-")) {
            for (String id : field.split(",")) {
                devices.add(Integer.parseInt(id));
            }
        }
        return devices;
    }
}
