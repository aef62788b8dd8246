package io.touchpoint.core.normalize;

import com.google.common.net.InternetDomainName;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Host names and the domains a cookie may be set on. The registrable domain ("eTLD+1": {@code example.co.uk} for
 * {@code shop.example.co.uk}) comes from the Public Suffix List as Guava's {@link InternetDomainName} carries it,
 * private section included ({@code myshop.myshopify.com} is its own registrable domain), which is the list browsers
 * apply to a cookie's {@code Domain} attribute.
 */
public final class Domains {
    private static final Pattern HOST = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");
    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

    private Domains() {
    }

    /**
     * The host name of a {@code Host} header value or an origin's authority: lower case, without port, brackets or a
     * trailing dot; an IPv6 literal without its brackets. Empty when it is neither a host name nor an IP literal.
     */
    public static Optional<String> hostName(String authority) {
        if (authority == null) return Optional.empty();
        String s = authority.strip().toLowerCase(Locale.ROOT);
        if (s.startsWith("[")) {
            int end = s.indexOf(']');
            if (end < 0) return Optional.empty();
            String v6 = s.substring(1, end);
            return v6.matches("[0-9a-f:.]+") && v6.contains(":") ? Optional.of(v6) : Optional.empty();
        }
        int colon = s.indexOf(':');
        if (colon >= 0) {
            if (!s.substring(colon + 1).matches("[0-9]{1,5}")) return Optional.empty();
            s = s.substring(0, colon);
        }
        if (s.endsWith(".")) s = s.substring(0, s.length() - 1);
        if (s.isEmpty() || s.length() > 253 || !HOST.matcher(s).matches()) return Optional.empty();
        return Optional.of(s);
    }

    /** The host of an origin or URL such as {@code https://shop.example.com:8443/x}, as {@link #hostName}. */
    public static Optional<String> hostOfUrl(String url) {
        if (url == null) return Optional.empty();
        int scheme = url.indexOf("://");
        if (scheme < 0) return Optional.empty();
        String rest = url.substring(scheme + 3);
        int end = rest.length();
        for (char c : new char[]{'/', '?', '#'}) {
            int i = rest.indexOf(c);
            if (i >= 0) end = Math.min(end, i);
        }
        String authority = rest.substring(0, end);
        if (authority.contains("@")) authority = authority.substring(authority.lastIndexOf('@') + 1);
        return hostName(authority);
    }

    /** An IPv4 or IPv6 literal (as {@link #hostName} gives it): such a host takes no Domain cookies. */
    public static boolean isIpLiteral(String host) {
        return host.contains(":") || IPV4.matcher(host).matches();
    }

    /**
     * The registrable domain of a host: the public suffix and one label more. Empty for an IP literal, a host that is
     * itself a public suffix, and a name under no known suffix ({@code localhost}, {@code intranet}, {@code x.test}):
     * a cookie for such a host can only be a host-only one.
     */
    public static Optional<String> registrable(String host) {
        if (host == null || isIpLiteral(host) || !InternetDomainName.isValid(host)) return Optional.empty();
        InternetDomainName name = InternetDomainName.from(host);
        if (!name.isUnderPublicSuffix()) return Optional.empty();
        return Optional.of(name.topPrivateDomain().toString());
    }

    /** Whether a domain is on the Public Suffix List ({@code com}, {@code co.uk}, {@code github.io}): no cookie may name it. */
    public static boolean isPublicSuffix(String domain) {
        return InternetDomainName.isValid(domain) && InternetDomainName.from(domain).isPublicSuffix();
    }

    /** Whether a cookie for {@code domain} reaches {@code host}: the same name, or a subdomain of it (RFC 6265 §5.1.3). */
    public static boolean domainMatches(String host, String domain) {
        return host.equals(domain) || host.endsWith("." + domain) && !isIpLiteral(host);
    }
}
