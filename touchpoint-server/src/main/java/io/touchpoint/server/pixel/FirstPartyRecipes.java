package io.touchpoint.server.pixel;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a site routes the first-party prefix of its own origin to Touchpoint, for nginx, Caddy, a Cloudflare Worker and a
 * Next.js rewrite. Each passes the path on unchanged and tells Touchpoint, in the headers {@code proxies.headers =
 * x-forwarded} expects, the visitor's address ({@code X-Forwarded-For}), the site's host ({@code X-Forwarded-Host}: the
 * visitor cookie's domain comes from it) and scheme ({@code X-Forwarded-Proto}: the cookie is {@code Secure} over
 * HTTPS). Touchpoint believes those only from the addresses in {@code proxies.trusted}. The setup page and the admin
 * API show them for the server's own address; the README shows them for {@code https://track.example.com}.
 */
public final class FirstPartyRecipes {
    private FirstPartyRecipes() {
    }

    /**
     * The recipes by name ({@code nginx}, {@code caddy}, {@code cloudflare_worker}, {@code nextjs}) for a Touchpoint
     * reached at {@code upstream} (scheme, host and port only) and the prefix {@code prefix} ({@code /t/}).
     */
    public static Map<String, String> of(String upstream, String prefix) {
        URI u = URI.create(upstream);
        String authority = u.getRawAuthority();
        boolean https = "https".equalsIgnoreCase(u.getScheme());
        String origin = u.getScheme() + "://" + authority;
        Map<String, String> r = new LinkedHashMap<>();
        r.put("nginx", """
                # in the server { } block of your site; Touchpoint: proxies.trusted = <this server's address>
                location %s {
                    proxy_pass %s;%s
                    proxy_set_header Host %s;
                    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                    proxy_set_header X-Forwarded-Host $host;
                    proxy_set_header X-Forwarded-Proto $scheme;
                }
                """.formatted(prefix, origin, https ? "\n    proxy_ssl_server_name on;" : "", authority));
        r.put("caddy", """
                # in your site's block; Caddy sets X-Forwarded-For, -Host and -Proto itself
                # Touchpoint: proxies.trusted = <this server's address>
                handle %s* {
                \treverse_proxy %s {
                \t\theader_up Host {upstream_hostport}
                \t}
                }
                """.formatted(prefix, origin));
        r.put("cloudflare_worker", """
                // a Worker on the route <your site>%s*; Touchpoint: proxies.trusted = Cloudflare's ranges
                // (https://www.cloudflare.com/ips/)
                export default {
                  async fetch(request) {
                    const url = new URL(request.url);
                    const headers = new Headers(request.headers);
                    headers.set('X-Forwarded-For', request.headers.get('CF-Connecting-IP') || '');
                    headers.set('X-Forwarded-Host', url.host);
                    headers.set('X-Forwarded-Proto', url.protocol.slice(0, -1));
                    return fetch('%s' + url.pathname + url.search, {
                      method: request.method, headers, body: request.body, redirect: 'manual',
                    });
                  },
                };
                """.formatted(prefix, origin));
        r.put("nextjs", """
                // next.config.js; `next start` sends X-Forwarded-For, -Host and -Proto with a rewrite to another host
                // Touchpoint: proxies.trusted = <the Next.js server's address>
                module.exports = {
                  async rewrites() {
                    return [{ source: '%s:path*', destination: '%s%s:path*' }];
                  },
                };
                """.formatted(prefix, origin, prefix));
        return r;
    }
}
