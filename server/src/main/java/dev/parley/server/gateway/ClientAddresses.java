package dev.parley.server.gateway;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eclipse.jetty.util.InetAddressSet;

/**
 * Which address a request comes from, for every per-address limit (connections, registrations,
 * frames before login). It is the TCP peer, unless the peer is a trusted reverse proxy
 * ({@code --trusted-proxies}): then it is taken from {@code Forwarded} (RFC 7239, preferred) or
 * else {@code X-Forwarded-For}, reading the hops from the right and taking the first that is not
 * itself a trusted proxy. Hops to the left of it were written by the client and prove nothing.
 * With no trusted proxy (the default) the headers are ignored, so nobody can forge them.
 */
public final class ClientAddresses {

    /** The trusted proxies, matched by Jetty's CIDR set. */
    private final InetAddressSet trusted;

    private ClientAddresses(InetAddressSet trusted) {
        this.trusted = trusted;
    }

    /**
     * Trusts the proxies in {@code cidrs} ({@code 10.0.0.0/8}, {@code ::1/128}, or a single
     * address). Throws IllegalArgumentException naming an entry that is not a CIDR; names are
     * refused before any look-up, so parsing the setting never asks DNS.
     */
    public static ClientAddresses trusting(List<String> cidrs) {
        var set = new InetAddressSet();
        for (String entry : cidrs) {
            String text = entry.strip();
            if (text.isEmpty()) {
                continue;
            }
            int slash = text.indexOf('/');
            if (literal(slash < 0 ? text : text.substring(0, slash)) == null) {
                throw new IllegalArgumentException("not an address or CIDR: '" + entry + "'");
            }
            try {
                set.add(text);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("bad prefix length in '" + entry + "'", e);
            }
        }
        return new ClientAddresses(set);
    }

    public boolean isTrusted(String address) {
        byte[] bytes = literal(address);
        return bytes != null && isTrusted(bytes);
    }

    private boolean isTrusted(byte[] address) {
        try {
            return trusted.test(InetAddress.getByAddress(address));
        } catch (java.net.UnknownHostException e) {
            return false; // only for a wrong length, which literal() never returns
        }
    }

    /**
     * The client address of a request from TCP peer {@code peer} carrying these
     * {@code Forwarded} and {@code X-Forwarded-For} header values (all lines, in order).
     */
    public String resolve(String peer, List<String> forwarded, List<String> xForwardedFor) {
        byte[] peerBytes = literal(peer);
        if (peerBytes == null || trusted.isEmpty() || !isTrusted(peerBytes)) {
            return normalise(peer);
        }
        List<String> hops = !forwarded.isEmpty() ? forwardedFor(forwarded) : split(xForwardedFor);
        String client = normalise(peer);
        for (int i = hops.size() - 1; i >= 0; i--) {
            byte[] hop = literal(stripPort(hops.get(i)));
            if (hop == null) {
                return client; // "unknown", an obfuscated name or garbage: stop at the last trusted hop
            }
            client = InetAddressText.of(hop);
            if (!isTrusted(hop)) {
                return client;
            }
        }
        return client;
    }

    private static List<String> split(List<String> values) {
        List<String> hops = new ArrayList<>();
        for (String value : values) {
            for (String hop : value.split(",")) {
                hops.add(hop.strip());
            }
        }
        return hops;
    }

    /** The {@code for=} of each element of {@code Forwarded}; an element without one counts as an unknown hop. */
    private static List<String> forwardedFor(List<String> values) {
        List<String> hops = new ArrayList<>();
        for (String element : split(values)) {
            String hop = "unknown";
            for (String pair : element.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).strip().toLowerCase(Locale.ROOT).equals("for")) {
                    hop = pair.substring(eq + 1).strip();
                    if (hop.length() >= 2 && hop.startsWith("\"") && hop.endsWith("\"")) {
                        hop = hop.substring(1, hop.length() - 1);
                    }
                }
            }
            hops.add(hop);
        }
        return hops;
    }

    /** {@code [v6]:port} → {@code v6}, {@code v4:port} → {@code v4}; anything else unchanged. */
    private static String stripPort(String hop) {
        if (hop.startsWith("[")) {
            int end = hop.indexOf(']');
            return end > 0 ? hop.substring(1, end) : hop;
        }
        int colon = hop.indexOf(':');
        if (colon > 0 && colon == hop.lastIndexOf(':') && hop.indexOf('.') > 0) {
            return hop.substring(0, colon);
        }
        return hop;
    }

    /** The bytes of an IP literal, or null if {@code text} is not one (never a DNS lookup). */
    private static byte[] literal(String text) {
        if (text == null || text.isEmpty() || text.length() > 64) {
            return null;
        }
        String bare = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        try {
            return InetAddress.ofLiteral(bare).getAddress();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String normalise(String address) {
        byte[] bytes = literal(address);
        return bytes == null ? address : InetAddressText.of(bytes);
    }

    /** One canonical text per address, so that a limit keyed by it cannot be dodged by spelling. */
    private static final class InetAddressText {
        static String of(byte[] bytes) {
            try {
                return InetAddress.getByAddress(bytes).getHostAddress();
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e); // only for a wrong length, which literal() never returns
            }
        }
    }
}
