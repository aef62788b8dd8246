package io.touchpoint.core.normalize;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/** IP address literals, validated without ever touching DNS. */
public final class IpAddresses {
    private static final Pattern V4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    /**
     * What may reach InetAddress: it parses text that starts with a hex digit or ':' and contains a ':' as a
     * literal and throws when it is none, but text starting with anything else (such as '.') it resolves by name.
     */
    private static final Pattern V6_CHARS = Pattern.compile("[0-9A-Fa-f:][0-9A-Fa-f:.]*");

    private IpAddresses() {
    }

    /** The address in canonical text form (IPv6 compressed, lower case), or empty when not an IP literal. */
    public static Optional<String> normalize(String raw) {
        if (raw == null) return Optional.empty();
        String s = raw.strip();
        if (V4.matcher(s).matches()) return Optional.of(s);
        // see V6_CHARS: InetAddress parses what passes as a literal and never resolves it
        if (s.indexOf(':') < 0 || s.length() > 45 || !V6_CHARS.matcher(s).matches()) return Optional.empty();
        try {
            InetAddress a = InetAddress.getByName(s);
            if (a instanceof Inet6Address v6) return Optional.of(compress(v6));
            return Optional.of(a.getHostAddress()); // IPv4-mapped IPv6 comes back as IPv4
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static String compress(Inet6Address a) {
        byte[] b = a.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        int bestStart = -1, bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) { i++; continue; }
            int j = i;
            while (j < 8 && groups[j] == 0) j++;
            if (j - i > bestLen && j - i > 1) { bestStart = i; bestLen = j - i; }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append(i == 0 ? "::" : ":");
                i += bestLen - 1;
                continue;
            }
            sb.append(Integer.toHexString(groups[i]));
            if (i < 7) sb.append(':');
        }
        return sb.toString();
    }
}
