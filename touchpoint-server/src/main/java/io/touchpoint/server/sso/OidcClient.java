package io.touchpoint.server.sso;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.GeneralException;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import io.touchpoint.server.http.ApiException;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;

/**
 * The OpenID Connect relying party, on the Nimbus OAuth 2.0 / OpenID Connect SDK: discovery from the issuer's
 * {@code /.well-known/openid-configuration}, the authorization request (code flow, PKCE S256, state, nonce), the code
 * exchange at the token endpoint, and the ID token's validation (signature by the provider's published keys, issuer,
 * audience, expiry, nonce). Discovery happens at the first sign-in rather than at start, so a provider that is down
 * never keeps the server from starting; a failed discovery is retried at most every {@link #RETRY_DISCOVERY}.
 */
final class OidcClient {
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final Duration RETRY_DISCOVERY = Duration.ofSeconds(10);
    /** Signature algorithms of published keys; a token signed with the client secret (HS*) is not accepted. */
    private static final Set<String> ASYMMETRIC = Set.of("RS", "PS", "ES", "Ed");

    private final SsoSettings settings;
    private final ReentrantLock discovery = new ReentrantLock();
    private Provider provider;
    private long retryAtNanos;

    /** What discovery found, and the validator built from it (which fetches and caches the provider's keys). */
    private record Provider(OIDCProviderMetadata metadata, IDTokenValidator validator) {
    }

    OidcClient(SsoSettings settings) {
        this.settings = settings;
    }

    /** Where to send the browser to begin {@code flow}. */
    URI authorizationUrl(SsoFlow flow) {
        return new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid", "email"),
                new ClientID(settings.clientId()), URI.create(flow.redirectUri()))
                .endpointURI(provider().metadata().getAuthorizationEndpointURI())
                .state(new State(flow.state()))
                .nonce(new Nonce(flow.nonce()))
                .codeChallenge(new CodeVerifier(flow.codeVerifier()), CodeChallengeMethod.S256)
                .build().toURI();
    }

    /** Trades the code for tokens and validates the ID token against {@code flow}; its claims. */
    IDTokenClaimsSet redeem(String code, SsoFlow flow) {
        Provider p = provider();
        AuthorizationCodeGrant grant = new AuthorizationCodeGrant(new AuthorizationCode(code),
                URI.create(flow.redirectUri()), new CodeVerifier(flow.codeVerifier()));
        URI endpoint = p.metadata().getTokenEndpointURI();
        ClientID client = new ClientID(settings.clientId());
        TokenRequest request = settings.clientSecret() == null ? new TokenRequest(endpoint, client, grant)
                : new TokenRequest(endpoint, postsSecret(p.metadata())
                ? new ClientSecretPost(client, new Secret(settings.clientSecret()))
                : new ClientSecretBasic(client, new Secret(settings.clientSecret())), grant);
        TokenResponse answer;
        try {
            HTTPRequest http = request.toHTTPRequest();
            http.setConnectTimeout((int) TIMEOUT.toMillis());
            http.setReadTimeout((int) TIMEOUT.toMillis());
            HTTPResponse response = http.send();
            answer = OIDCTokenResponseParser.parse(response);
        } catch (IOException | ParseException e) {
            throw unavailable("its token endpoint did not answer with tokens (" + e.getMessage() + ")");
        }
        if (!answer.indicatesSuccess()) {
            ErrorObject error = answer.toErrorResponse().getErrorObject();
            throw invalidToken("the provider refused the sign-in code (" + describe(error.getCode(), error.getDescription()) + "); sign in again");
        }
        JWT idToken = ((OIDCTokenResponse) answer.toSuccessResponse()).getOIDCTokens().getIDToken();
        if (idToken == null) throw invalidToken("the provider answered without an ID token");
        try {
            return p.validator().validate(idToken, new Nonce(flow.nonce()));
        } catch (BadJOSEException e) {
            throw invalidToken("the provider's ID token is not valid: " + e.getMessage());
        } catch (JOSEException e) {
            throw unavailable("its signing keys could not be read (" + e.getMessage() + ")");
        }
    }

    /** client_secret_basic is the default; client_secret_post only for a provider that offers nothing else. */
    private static boolean postsSecret(OIDCProviderMetadata m) {
        List<ClientAuthenticationMethod> methods = m.getTokenEndpointAuthMethods();
        return methods != null && !methods.contains(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                && methods.contains(ClientAuthenticationMethod.CLIENT_SECRET_POST);
    }

    private Provider provider() {
        discovery.lock(); // a lock, not synchronized: a virtual thread waiting on the network must not pin its carrier
        try {
            return discover();
        } finally {
            discovery.unlock();
        }
    }

    private Provider discover() {
        if (provider != null) return provider;
        if (retryAtNanos != 0 && System.nanoTime() - retryAtNanos < 0) {
            throw unavailable("its discovery document could not be read a moment ago; try again in a few seconds");
        }
        try {
            OIDCProviderMetadata m = OIDCProviderMetadata.resolve(new Issuer(settings.issuer()),
                    (int) TIMEOUT.toMillis(), (int) TIMEOUT.toMillis());
            provider = new Provider(m, validator(m));
            return provider;
        } catch (GeneralException | IOException | RuntimeException e) {
            retryAtNanos = System.nanoTime() + RETRY_DISCOVERY.toNanos();
            throw unavailable("its discovery document at " + settings.issuer()
                    + "/.well-known/openid-configuration could not be read (" + e.getMessage() + ")");
        }
    }

    private IDTokenValidator validator(OIDCProviderMetadata m) throws IOException {
        Set<JWSAlgorithm> algorithms = m.getIDTokenJWSAlgs() == null ? Set.of()
                : m.getIDTokenJWSAlgs().stream().filter(a -> ASYMMETRIC.contains(a.getName().substring(0, 2)))
                .collect(Collectors.toSet());
        if (algorithms.isEmpty()) algorithms = Set.of(JWSAlgorithm.RS256); // the one every provider must offer
        if (m.getJWKSetURI() == null) throw new IOException("the discovery document names no jwks_uri");
        int ms = (int) TIMEOUT.toMillis();
        JWKSource<SecurityContext> keys = JWKSourceBuilder.<SecurityContext>create(m.getJWKSetURI().toURL(),
                new DefaultResourceRetriever(ms, ms, 512 * 1024)).build();
        return new IDTokenValidator(m.getIssuer(), new ClientID(settings.clientId()),
                new JWSVerificationKeySelector<>(algorithms, keys), null);
    }

    static ApiException unavailable(String why) {
        return new ApiException(502, "api_error", "sso_provider_unavailable",
                "the single sign-on provider could not be reached: " + why, null, null, null);
    }

    static ApiException invalidToken(String message) {
        return new ApiException(401, "authentication_error", "sso_token_invalid", message, null, null, null);
    }

    /** A provider's error code and description, as text fit for a message: printable, and not too long. */
    static String describe(String code, String description) {
        String text = code == null ? "no error code" : code;
        if (description != null && !description.isBlank()) text += ": " + description;
        text = text.replaceAll("\\p{Cntrl}", " ").strip();
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
