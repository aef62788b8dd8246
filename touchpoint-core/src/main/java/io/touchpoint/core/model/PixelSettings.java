package io.touchpoint.core.model;

import io.touchpoint.core.normalize.Domains;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * A workspace's pixel settings. {@code allowedOrigins}: the origins ({@code https://shop.example.com}) whose
 * pages may send beacons to {@code /collect}; empty means any origin. {@code domains}: the workspace's own
 * domains ({@code example.com}); links to them are decorated with the visitor token so a visitor keeps one
 * token across them. {@code cookieDomains}: domains the server-set visitor cookie is set on instead of the
 * registrable domain of the host a beacon reached ({@code shop.example.com} keeps it off the rest of example.com);
 * for a host under several, the longest applies. All are normalised (lower case, no duplicates).
 */
public record PixelSettings(List<String> allowedOrigins, List<String> domains, List<String> cookieDomains) {
    public static final PixelSettings DEFAULTS = new PixelSettings(List.of(), List.of(), List.of());
    public static final int MAX_ENTRIES = 100;

    public PixelSettings {
        allowedOrigins = normalise(allowedOrigins, true);
        domains = normalise(domains, false);
        cookieDomains = cookieDomains(cookieDomains);
    }

    public PixelSettings(List<String> allowedOrigins, List<String> domains) {
        this(allowedOrigins, domains, List.of());
    }

    /** The configured cookie domain for a host (the longest that covers it), or null when none does. */
    public String cookieDomainFor(String host) {
        String best = null;
        for (String d : cookieDomains) {
            if (Domains.domainMatches(host, d) && (best == null || d.length() > best.length())) best = d;
        }
        return best;
    }

    private static List<String> cookieDomains(List<String> values) {
        List<String> out = normalise(values, false);
        for (String d : out) {
            if (d.contains(":") || Domains.isIpLiteral(d) || !d.contains(".") || Domains.isPublicSuffix(d)) {
                throw new IllegalArgumentException("'" + d + "' cannot be a cookie domain: name a domain such as example.com"
                        + " or shop.example.com, without port, that is not a public suffix (com, co.uk, github.io)");
            }
        }
        return out;
    }

    /** Whether a beacon whose {@code Origin} header is the given value (null when absent) may be stored. */
    public boolean allowsOrigin(String origin) {
        if (allowedOrigins.isEmpty()) return true;
        return origin != null && allowedOrigins.contains(origin.strip().toLowerCase(Locale.ROOT));
    }

    private static List<String> normalise(List<String> values, boolean origins) {
        if (values == null) return List.of();
        if (values.size() > MAX_ENTRIES) throw new IllegalArgumentException("at most " + MAX_ENTRIES + " entries");
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String v : values) {
            if (v == null || v.isBlank()) continue;
            String s = v.strip().toLowerCase(Locale.ROOT);
            if (origins) {
                URI u;
                try {
                    u = URI.create(s);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("'" + v + "' is not an origin such as https://shop.example.com");
                }
                if (u.getScheme() == null || u.getHost() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
                        || (u.getPath() != null && !u.getPath().isEmpty() && !u.getPath().equals("/")) || u.getQuery() != null) {
                    throw new IllegalArgumentException("'" + v + "' is not an origin such as https://shop.example.com");
                }
                s = u.getScheme() + "://" + u.getHost() + (u.getPort() == -1 ? "" : ":" + u.getPort());
            } else if (!s.matches("[a-z0-9.-]+(:[0-9]+)?") || s.startsWith(".") || s.endsWith(".")) {
                throw new IllegalArgumentException("'" + v + "' is not a domain such as example.com");
            }
            out.add(s);
        }
        return List.copyOf(new ArrayList<>(out));
    }
}
