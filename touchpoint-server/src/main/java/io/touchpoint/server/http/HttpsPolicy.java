package io.touchpoint.server.http;

import io.javalin.http.Context;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Decides whether a request counts as HTTPS (SPEC §2): it arrived over TLS, or a trusted proxy says
 * {@code X-Forwarded-Proto: https}. When HTTPS is required, plain HTTP is still allowed from a loopback
 * client (local tests, a proxy on the same host) unless a trusted proxy header says the original was HTTP.
 * {@code X-Forwarded-Proto} from any other address is ignored.
 */
public final class HttpsPolicy {
    private final boolean required;
    private final boolean allowLoopbackHttp;
    private final List<Cidr> trustedProxies;

    public HttpsPolicy(boolean required, boolean allowLoopbackHttp, List<String> trustedProxies) {
        this.required = required;
        this.allowLoopbackHttp = allowLoopbackHttp;
        this.trustedProxies = trustedProxies.stream().map(Cidr::parse).toList();
    }

    public boolean required() {
        return required;
    }

    public void check(Context ctx) {
        if (!required || ctx.req().isSecure()) return;
        String remote = ctx.req().getRemoteAddr();
        String forwarded = trusted(remote) ? ctx.header("X-Forwarded-Proto") : null;
        if (forwarded != null) {
            String first = forwarded.split(",")[0].strip();
            if (first.equalsIgnoreCase("https")) return;
        } else if (allowLoopbackHttp && isLoopback(remote)) {
            return;
        }
        throw ApiException.permission("https_required",
                "API calls must use HTTPS; this request came over plain HTTP");
    }

    /** Whether a trusted proxy says which scheme the client used: then that proxy also has an HTTPS address. */
    public boolean forwardedByTrustedProxy(Context ctx) {
        return trusted(ctx.req().getRemoteAddr()) && ctx.header("X-Forwarded-Proto") != null;
    }

    /** The scheme the client used, believing only trusted proxies. */
    public String scheme(Context ctx) {
        if (ctx.req().isSecure()) return "https";
        String forwarded = trusted(ctx.req().getRemoteAddr()) ? ctx.header("X-Forwarded-Proto") : null;
        return forwarded != null ? forwarded.split(",")[0].strip().toLowerCase(java.util.Locale.ROOT) : "http";
    }

    /**
     * The client's address: the connection's peer, or, when that peer is a trusted proxy, the right-most
     * address of {@code X-Forwarded-For} that is not itself a trusted proxy.
     */
    public String clientIp(Context ctx) {
        String remote = ctx.req().getRemoteAddr();
        if (!trusted(remote)) return remote;
        String forwarded = ctx.header("X-Forwarded-For");
        if (forwarded == null || forwarded.isBlank()) return remote;
        String[] hops = forwarded.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            if (literal(hop) == null) return remote; // not an address: believe nothing further left
            if (!trusted(hop) || i == 0) return hop;
        }
        return remote;
    }

    private boolean trusted(String remote) {
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
