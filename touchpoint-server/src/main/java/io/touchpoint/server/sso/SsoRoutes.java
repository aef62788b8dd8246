package io.touchpoint.server.sso;

import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import io.touchpoint.core.auth.SecretBox;
import io.touchpoint.core.auth.Secrets;
import io.touchpoint.server.http.ApiException;
import io.touchpoint.server.http.HttpsPolicy;
import io.touchpoint.server.http.Responses;

import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Single sign-on with OpenID Connect. {@value #START} sends the browser to the provider with a new flow sealed in a
 * short-lived cookie; the provider sends it back to {@value #CALLBACK}, which checks the flow, redeems the code,
 * validates the ID token and hands the verified e-mail to {@link SsoSignIn}, whose session the page it answers takes
 * on to the dashboard. {@value #STATUS} tells the sign-in page
 * whether to offer the button. Every refusal is a 4xx in the error shape (a short page for a browser), never a 500.
 */
public final class SsoRoutes {
    public static final String STATUS = "/admin/v1/sso";
    public static final String START = "/admin/v1/sso/start";
    public static final String CALLBACK = "/admin/v1/sso/callback";
    /** Where a signed-in browser goes when the flow names no dashboard page of its own. */
    static final String HOME = "/dashboard";
    /** A dashboard page and its query: the only places a flow returns to (no open redirect). */
    private static final Pattern NEXT = Pattern.compile("/dashboard/[a-z]+(\\?[^#\\s\\p{Cntrl}]*)?");
    /** A Host header that is a host name or address and a port, to build the callback address from. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.\\-]+(:\\d{1,5})?|\\[[0-9A-Fa-f:.]+](:\\d{1,5})?");

    private SsoRoutes() {
    }

    /**
     * @param box    the server's secrets key, which seals the flow cookie (every process of one installation shares it)
     * @param signIn what a verified e-mail opens
     */
    public static void routes(RoutesConfig routes, SsoSettings settings, SecretBox box, HttpsPolicy https,
                              SsoSignIn signIn, Clock clock) {
        OidcClient client = settings.enabled() ? new OidcClient(settings) : null;
        SpentFlows spent = new SpentFlows();
        routes.get(STATUS, ctx -> {
            https.check(ctx);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("enabled", settings.enabled());
            body.put("button_label", settings.enabled() ? settings.buttonLabel() : null);
            body.put("start_url", settings.enabled() ? START : null);
            body.put("request_id", Responses.requestId(ctx));
            Responses.json(ctx, 200, body);
        });
        routes.get(START, forPeople(ctx -> {
            https.check(ctx);
            noStore(ctx);
            if (client == null) throw notConfigured();
            String next = ctx.queryParam("next");
            SsoFlow flow = new SsoFlow(Secrets.random(43), Secrets.random(43), new CodeVerifier().getValue(),
                    redirectUri(ctx, settings, https), next != null && NEXT.matcher(next).matches() ? next : HOME,
                    clock.instant().plus(SsoFlow.LIFETIME));
            URI provider = client.authorizationUrl(flow);
            ctx.res().addHeader("Set-Cookie", flowCookie(ctx, https, flow.seal(box), SsoFlow.LIFETIME.toSeconds()));
            ctx.redirect(provider.toString(), HttpStatus.FOUND);
        }));
        routes.get(CALLBACK, forPeople(ctx -> {
            https.check(ctx);
            noStore(ctx);
            if (client == null) throw notConfigured();
            SsoFlow.Opened opened = SsoFlow.open(box, ctx.cookie(SsoFlow.COOKIE), clock.instant());
            ctx.res().addHeader("Set-Cookie", flowCookie(ctx, https, "", 0)); // one callback per flow, whatever its end
            SsoFlow flow = checked(opened, ctx.queryParam("state"));
            if (!spent.spend(flow, clock.instant())) {
                throw ApiException.invalid(400, "sso_flow_used", "this sign-in was already finished; sign in again");
            }
            String error = ctx.queryParam("error");
            if (error != null) {
                String why = OidcClient.describe(error, ctx.queryParam("error_description"));
                throw error.equals("access_denied")
                        ? ApiException.permission("sso_access_denied", "the provider did not let you sign in (" + why + ")")
                        : ApiException.invalid(400, "sso_provider_error", "the provider could not sign you in (" + why + ")");
            }
            String code = ctx.queryParam("code");
            if (code == null || code.isBlank()) {
                throw ApiException.invalidParameter("code", "the provider sent no authorization code; sign in again");
            }
            IDTokenClaimsSet claims = client.redeem(code, flow);
            String email = VerifiedEmail.of(claims, settings.requireEmailVerified());
            SsoSignIn.SignInResult result = signIn.signIn(ctx, email);
            if (!result.signedIn()) throw ApiException.permission("sso_user_unknown", result.refusal());
            page(ctx, 200, SsoPages.signedIn(flow.next()));
        }));
    }

    /** The flow the cookie carries, when it is there, intact, current and the one the provider answers. */
    private static SsoFlow checked(SsoFlow.Opened opened, String state) {
        if (opened.problem() == SsoFlow.Problem.MISSING) {
            throw ApiException.invalid(400, "sso_flow_missing", "no sign-in is in progress in this browser (its cookie is"
                    + " missing): start again from the sign-in page, in the same browser");
        }
        if (opened.problem() == SsoFlow.Problem.EXPIRED) {
            throw ApiException.invalid(400, "sso_flow_expired", "this sign-in took longer than "
                    + SsoFlow.LIFETIME.toMinutes() + " minutes; start again from the sign-in page");
        }
        if (opened.problem() == SsoFlow.Problem.INVALID || state == null
                || !Secrets.equalHashes(Secrets.sha256Hex(state), Secrets.sha256Hex(opened.flow().state()))) {
            throw ApiException.invalid(400, "sso_state_mismatch", "the provider's answer does not belong to the sign-in"
                    + " this browser started; start again from the sign-in page");
        }
        return opened.flow();
    }

    /** The configured callback address, or this server's own as the browser reached it. */
    private static String redirectUri(Context ctx, SsoSettings settings, HttpsPolicy https) {
        if (settings.redirectUri() != null) return settings.redirectUri().toString();
        String host = ctx.header("Host");
        if (host == null || !HOST.matcher(host).matches()) {
            throw ApiException.invalid(400, "sso_redirect_unknown", "the request's Host header names no address to"
                    + " come back to; set sso.redirect-uri");
        }
        return https.scheme(ctx) + "://" + host + CALLBACK;
    }

    /**
     * SameSite=Lax, not Strict: the provider's redirect back is a cross-site navigation, and the cookie must come with
     * it. Its path keeps it to the single sign-on routes.
     */
    private static String flowCookie(Context ctx, HttpsPolicy https, String value, long maxAgeSeconds) {
        return SsoFlow.COOKIE + "=" + value + "; Path=" + STATUS + "; Max-Age=" + maxAgeSeconds
                + "; HttpOnly; SameSite=Lax" + ("https".equals(https.scheme(ctx)) ? "; Secure" : "");
    }

    private static ApiException notConfigured() {
        return new ApiException(404, "invalid_request_error", "sso_not_configured",
                "single sign-on is not configured on this server (setting sso.issuer)", null, null, null);
    }

    private static void noStore(Context ctx) {
        ctx.header("Cache-Control", "no-store");
    }

    /** A browser (one that asks for HTML) gets a refusal as a short page with a way back; an API client, JSON. */
    private static Handler forPeople(Handler handler) {
        return ctx -> {
            try {
                handler.handle(ctx);
            } catch (ApiException e) {
                String accept = ctx.header("Accept");
                if (accept == null || !accept.contains("text/html")) throw e;
                e.headers().forEach(ctx::header);
                page(ctx, e.status(), SsoPages.refusal(e, Responses.requestId(ctx)));
            }
        };
    }

    private static void page(Context ctx, int status, String html) {
        ctx.header("Content-Security-Policy", SsoPages.CSP);
        ctx.header("Referrer-Policy", "no-referrer"); // the callback's address holds the code
        ctx.status(status).contentType("text/html; charset=utf-8").result(html);
    }
}
