package io.touchpoint.server.http;

import io.javalin.http.Context;
import io.touchpoint.core.normalize.Domains;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decides whether a request counts as HTTPS: it arrived over TLS, or a trusted proxy says so. When HTTPS is
 * required, plain HTTP is still allowed from a loopback client (local tests, a proxy on the same host) unless a trusted
 * proxy header says the original was HTTP. It also gives the client's address and the host it asked for, from a
 * trusted proxy's headers. Which headers a proxy writes is configured ({@link Headers}): {@code X-Forwarded-For},
 * {@code X-Forwarded-Host} and {@code X-Forwarded-Proto}, or the standard {@code Forwarded} (RFC 7239); the other
 * kind is ignored, as are both from any peer that is not a trusted proxy, since a client can send any of them and a
 * proxy that writes one kind passes the other through untouched.
 */
public final class HttpsPolicy {
    /** The forwarding headers trusted proxies write. */
    public enum Headers {
        /** {@code X-Forwarded-For}, {@code X-Forwarded-Host}, {@code X-Forwarded-Proto}: nginx, Caddy, most load balancers. */
        X_FORWARDED,
        /** {@code Forwarded: for=…;host=…;proto=…} (RFC 7239). */
        FORWARDED
    }

    private final boolean required;
    private final boolean allowLoopbackHttp;
    private final List<Cidr> trustedProxies;
    private final Headers headers;

    public HttpsPolicy(boolean required, boolean allowLoopbackHttp, List<String> trustedProxies) {
        this(required, allowLoopbackHttp, trustedProxies, Headers.X_FORWARDED);
    }

    public HttpsPolicy(boolean required, boolean allowLoopbackHttp, List<String> trustedProxies, Headers headers) {
        this.required = required;
        this.allowLoopbackHttp = allowLoopbackHttp;
        this.trustedProxies = trustedProxies.stream().map(Cidr::parse).toList();
        this.headers = headers;
    }

    /**
     * What a trusted proxy says of the original request: the client's address, the host it asked for and its scheme
     * (each null where the proxy says nothing).
     */
    record Hop(String client, String host, String proto) {
    }

    public boolean required() {
        return required;
    }

    public void check(Context ctx) {
        if (!required || ctx.req().isSecure()) return;
        String remote = ctx.req().getRemoteAddr();
        Hop hop = forwarded(ctx);
        String forwarded = hop == null ? null : hop.proto();
        if (forwarded != null) {
            if (forwarded.equals("https")) return;
        } else if (allowLoopbackHttp && isLoopback(remote)) {
            return;
        }
        throw ApiException.permission("https_required",
                "API calls must use HTTPS; this request came over plain HTTP");
    }

    /** Where this server is reached, as the caller reached it: for install snippets and invitation links. */
    public String baseUrl(Context ctx) {
        String proto = forwardedByTrustedProxy(ctx) ? scheme(ctx) : ctx.header("X-Forwarded-Proto");
        String scheme = proto != null && proto.strip().equalsIgnoreCase("https") ? "https"
                : proto != null && proto.strip().equalsIgnoreCase("http") ? "http" : ctx.scheme();
        String host = ctx.host();
        // only a host name or address and a port: it is written into snippets and proxy configurations
        if (host == null || !host.matches("[A-Za-z0-9.\\-]+(:\\d{1,5})?|\\[[0-9A-Fa-f:.]+](:\\d{1,5})?")) host = "localhost";
        return scheme + "://" + host;
    }

    /** Whether a trusted proxy says which scheme the client used: then that proxy also has an HTTPS address. */
    public boolean forwardedByTrustedProxy(Context ctx) {
        Hop hop = forwarded(ctx);
        return hop != null && hop.proto() != null;
    }

    /** The scheme the client used, believing only trusted proxies. */
    public String scheme(Context ctx) {
        if (ctx.req().isSecure()) return "https";
        Hop hop = forwarded(ctx);
        return hop != null && hop.proto() != null ? hop.proto() : "http";
    }

    /**
     * The client's address: the connection's peer, or, when that peer is a trusted proxy, the right-most address of
     * {@code X-Forwarded-For} (or {@code for=} of {@code Forwarded}) that is not itself a trusted proxy.
     */
    public String clientIp(Context ctx) {
        Hop hop = forwarded(ctx);
        return hop != null && hop.client() != null ? hop.client() : ctx.req().getRemoteAddr();
    }

    /**
     * The host name the client asked for, lower case and without port: from a trusted proxy's {@code X-Forwarded-Host}
     * (or {@code host=} of {@code Forwarded}), else the request's {@code Host} header; null when neither is a host name.
     */
    public String host(Context ctx) {
        Hop hop = forwarded(ctx);
        if (hop != null && hop.host() != null) {
            String h = Domains.hostName(hop.host()).orElse(null);
            if (h != null) return h;
        }
        return Domains.hostName(ctx.header("Host")).orElse(null);
    }

    /** What a trusted peer forwarded, in the configured headers; null when the peer is not a trusted proxy. */
    Hop forwarded(Context ctx) {
        String remote = ctx.req().getRemoteAddr();
        if (!trusted(remote)) return null;
        return headers == Headers.FORWARDED ? standard(remote, ctx.header("Forwarded"))
                : new Hop(xForwardedFor(remote, ctx.header("X-Forwarded-For")), first(ctx.header("X-Forwarded-Host")),
                lower(first(ctx.header("X-Forwarded-Proto"))));
    }

    /** The right-most address that is not a trusted proxy; the peer when there is none or a hop is no address. */
    private String xForwardedFor(String remote, String forwarded) {
        if (forwarded == null || forwarded.isBlank()) return null;
        String[] hops = forwarded.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            if (literal(hop) == null) return remote; // not an address: believe nothing further left
            if (!trusted(hop) || i == 0) return hop;
        }
        return remote;
    }

    /**
     * RFC 7239: each element describes one hop, the right-most written by the peer. The element whose {@code for} is
     * the first address from the right that is not a trusted proxy describes the request as the client made it: its
     * {@code for}, {@code host} and {@code proto} are the client's.
     */
    private Hop standard(String remote, String header) {
        if (header == null || header.isBlank()) return null;
        List<Map<String, String>> elements = forwardedElements(header);
        if (elements.isEmpty()) return null;
        for (int i = elements.size() - 1; i >= 0; i--) {
            Map<String, String> e = elements.get(i);
            String client = forAddress(e.get("for"));
            if (client == null || !trusted(client) || i == 0) {
                return new Hop(client == null ? remote : client, e.get("host"), lower(e.get("proto")));
            }
        }
        return null;
    }

    /** The elements of a Forwarded header, each its parameters by lower-case name, quotes taken off. */
    static List<Map<String, String>> forwardedElements(String header) {
        List<Map<String, String>> out = new ArrayList<>();
        Map<String, String> element = new LinkedHashMap<>();
        StringBuilder token = new StringBuilder();
        String name = null;
        boolean quoted = false;
        for (int i = 0; i <= header.length(); i++) {
            char c = i < header.length() ? header.charAt(i) : ',';
            if (quoted) {
                if (c == '\\' && i + 1 < header.length()) token.append(header.charAt(++i));
                else if (c == '"') quoted = false;
                else token.append(c);
            } else if (c == '"') {
                quoted = true;
            } else if (c == '=' && name == null) {
                name = token.toString().strip().toLowerCase(Locale.ROOT);
                token.setLength(0);
            } else if (c == ';' || c == ',') {
                if (name != null && !name.isEmpty()) element.putIfAbsent(name, token.toString().strip());
                name = null;
                token.setLength(0);
                if (c == ',') {
                    if (!element.isEmpty()) out.add(element);
                    element = new LinkedHashMap<>();
                }
            } else {
                token.append(c);
            }
        }
        return out;
    }

    /** The address of a {@code for=} value ({@code 192.0.2.43}, {@code 192.0.2.43:4711}, {@code [2001:db8::1]:4711}). */
    private static String forAddress(String value) {
        if (value == null) return null;
        String v = value.strip();
        if (v.startsWith("[")) {
            int end = v.indexOf(']');
            v = end < 0 ? v : v.substring(1, end);
        } else if (v.indexOf(':') == v.lastIndexOf(':') && v.indexOf(':') > 0) {
            v = v.substring(0, v.indexOf(':')); // an IPv4 address with a port
        }
        return literal(v) == null ? null : v;
    }

    /** Throws IllegalArgumentException naming what is wrong when {@code range} is not an address or CIDR range. */
    public static void checkRange(String range) {
        try {
            Cidr.parse(range);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad prefix length: " + range);
        }
    }

    private static String first(String header) {
        if (header == null) return null;
        String v = header.split(",")[0].strip();
        return v.isEmpty() ? null : v;
    }

    private static String lower(String v) {
        return v == null ? null : v.toLowerCase(Locale.ROOT);
    }

    private boolean trusted(String remote) {
        if (trustedProxies.isEmpty()) return false; // every request asks: parsing its address would be wasted
        byte[] addr = literal(remote);
        if (addr == null) return false;
        for (Cidr c : trustedProxies) {
            if (c.contains(addr)) return true;
        }
        return false;
    }

    public static boolean isLoopback(String remote) {
        byte[] a = literal(remote);
        if (a == null) return false;
        try {
            return InetAddress.getByAddress(a).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static byte[] literal(String ip) {
        return io.touchpoint.core.normalize.IpAddresses.normalize(ip).map(s -> {
            try {
                return InetAddress.getByName(s).getAddress(); // a literal: no DNS
            } catch (UnknownHostException e) {
                return null;
            }
        }).orElse(null);
    }

    /** An address range such as 10.0.0.0/8 or a single address. */
    record Cidr(byte[] network, int bits) {
        static Cidr parse(String s) {
            String[] parts = s.split("/");
            byte[] net = literal(parts[0].strip());
            if (net == null) throw new IllegalArgumentException("not an IP address or range: " + s);
            int bits = parts.length > 1 ? Integer.parseInt(parts[1].strip()) : net.length * 8;
            if (bits < 0 || bits > net.length * 8) throw new IllegalArgumentException("bad prefix length: " + s);
            return new Cidr(net, bits);
        }

        boolean contains(byte[] addr) {
            if (addr.length != network.length) return false;
            int full = bits / 8, rest = bits % 8;
            for (int i = 0; i < full; i++) if (addr[i] != network[i]) return false;
            if (rest == 0) return true;
            int mask = 0xff << (8 - rest) & 0xff;
            return (addr[full] & mask) == (network[full] & mask);
        }
    }
}
