package io.touchpoint.server.adaccounts;

import io.touchpoint.core.attribution.GroupBy;
import io.touchpoint.core.attribution.report.AdSpend;
import io.touchpoint.server.adaccounts.fakes.AdRow;
import io.touchpoint.server.adaccounts.fakes.FakeExchangeRates;
import io.touchpoint.server.adaccounts.fakes.FakeGoogleAdsReporting;
import io.touchpoint.server.adaccounts.fakes.FakeMetaInsights;
import io.touchpoint.server.adaccounts.fakes.FakeTikTokReporting;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.ServerTest;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The sync end to end: connections made through the admin API, synced on demand against local stand-ins of the
 * three platforms and an exchange-rate service that check every request against the published contracts, and the
 * rows read back as reports read them ({@code AttributionStore.adSpend}) and through {@code GET …/ad-spend}.
 */
class AdSyncTest extends ServerTest {
    private static final String ADMIN = TestServer.ADMIN_TOKEN;
    private static final LocalDate MON = LocalDate.of(2026, 3, 2);
    private static final String META_TOKEN = "EAAB-meta-system-user-token-1234";
    private final FakeMetaInsights meta = new FakeMetaInsights("v24.0", "1234567890", META_TOKEN, "USD");
    private final FakeGoogleAdsReporting google = new FakeGoogleAdsReporting("v22", "1234567890", "9876543210",
            "dev-token-abc", "client-1.apps.googleusercontent.com", "client-secret-1", "1//refresh-token-1", "EUR", 2);
    private final FakeTikTokReporting tiktok = new FakeTikTokReporting("7000000000000000001", "tiktok-token-5678", "EUR");
    private final FakeExchangeRates rates = new FakeExchangeRates();

    @Override
    protected Map<String, String> settings() {
        return Map.of("ad-sync.meta-url", meta.baseUrl(), "ad-sync.google-url", google.baseUrl(),
                "ad-sync.google-token-url", google.baseUrl() + "/token", "ad-sync.tiktok-url", tiktok.baseUrl(),
                "currency.rates-url", rates.baseUrl() + "/v1", "ad-sync.retries", "3", "ad-sync.backoff-ms", "5");
    }

    @AfterEach
    void contracts() {
        assertThat(meta.violations()).as("Meta's contract").isEmpty();
        assertThat(google.violations()).as("Google Ads' contract").isEmpty();
        assertThat(tiktok.violations()).as("TikTok's contract").isEmpty();
        assertThat(rates.violations()).as("the rates service's contract").isEmpty();
    }

    @AfterAll
    void stopFakes() {
        meta.close();
        google.close();
        tiktok.close();
        rates.close();
    }

    /** A workspace counting in euros, like the Google and TikTok accounts; the Meta account is in dollars. */
    private Ws euroWorkspace() {
        Ws ws = newWorkspace();
        Response r = send("PUT", "/admin/v1/workspaces/" + ws.id() + "/settings", "{\"currency\":\"EUR\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return ws;
    }

    private Response send(String method, String path, String body) {
        HttpRequest.Builder b = http.request(path).header("Authorization", "Bearer " + ADMIN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) b.header("Content-Type", "application/json");
        return http.send(b.build());
    }

    private String connect(Ws ws, Map<String, Object> body) {
        Response r = http.postJson("/admin/v1/workspaces/" + ws.id() + "/ad-accounts", ADMIN, json(body));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return (String) r.json().get("id");
    }

    private Map<String, Object> sync(Ws ws, String id, LocalDate from, LocalDate to) {
        Response r = http.postJson("/admin/v1/workspaces/" + ws.id() + "/ad-accounts/" + id + "/sync", ADMIN,
                json(Map.of("from", from.toString(), "to", to.toString())));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private List<AdSpend> rows(Ws ws, LocalDate from, LocalDate to) {
        return server.store().attribution().adSpend(ws.id(), from, to);
    }

    private static AdRow ad(LocalDate day, String adId, String spend, long impressions, long clicks, String conversions, String value) {
        return new AdRow(day, "c-100", "Spring sale", "s-200", "Retargeting", adId, "Video " + adId, spend, impressions, clicks,
                conversions, value);
    }

    @Test
    void metaInsightsArePagedConvertedAtEachDaysRateAndStoredPerAdAndDay() {
        Ws ws = euroWorkspace();
        meta.clearRows();
        for (int d = 0; d < 7; d++) {
            meta.add(ad(MON.plusDays(d), "a-1", "10.00", 1000, 40, "2", "80.00"));
            meta.add(ad(MON.plusDays(d), "a-2", "5.50", 500, 10, "0", "0"));
        }
        for (int d = 0; d < 5; d++) rates.put(MON.plusDays(d), "USD", "EUR", 0.90 + d / 100.0); // no rates at the weekend
        String id = connect(ws, Map.of("platform", "meta", "name", "Meta shop", "account_id", "act_1234567890",
                "settings", Map.of("access_token", META_TOKEN)));
        meta.reset();

        Map<String, Object> done = sync(ws, id, MON, MON.plusDays(6));
        assertThat(done).containsEntry("status", "ok").containsEntry("rows", 14).containsEntry("from", MON.toString());
        assertThat(meta.requests()).as("14 rows in pages of 500: one page").hasSize(1);
        var first = meta.requests().get(0);
        assertThat(first.queryParam("time_range")).isEqualTo("{\"since\":\"2026-03-02\",\"until\":\"2026-03-08\"}");

        List<AdSpend> rows = rows(ws, MON, MON.plusDays(6));
        assertThat(rows).hasSize(14).allSatisfy(r -> {
            assertThat(r.source()).isEqualTo(id);
            assertThat(r.platform()).isEqualTo("meta");
            assertThat(r.campaignId()).isEqualTo("c-100");
            assertThat(r.campaign()).isEqualTo("Spring sale");
            assertThat(r.adSetId()).isEqualTo("s-200");
            assertThat(r.adSet()).isEqualTo("Retargeting");
        });
        AdSpend wednesday = rows.stream().filter(r -> r.day().equals(MON.plusDays(2)) && r.adId().equals("a-1")).findFirst().orElseThrow();
        assertThat(wednesday.ad()).isEqualTo("Video a-1");
        assertThat(wednesday.spend()).as("10 USD at Wednesday's 0.92").isCloseTo(9.2, within(1e-9));
        assertThat(wednesday.platformConversions()).as("the purchase actions, not the link clicks").isEqualTo(2.0);
        assertThat(wednesday.platformConversionValue()).isCloseTo(80 * 0.92, within(1e-9));
        assertThat(wednesday.impressions()).isEqualTo(1000);
        assertThat(wednesday.clicks()).isEqualTo(40);
        AdSpend sunday = rows.stream().filter(r -> r.day().equals(MON.plusDays(6)) && r.adId().equals("a-1")).findFirst().orElseThrow();
        assertThat(sunday.spend()).as("the weekend takes Friday's reference rate, the one in force").isCloseTo(9.4, within(1e-9));
        assertThat(server.store().attribution().spend(ws.id(), MON, MON.plusDays(6), GroupBy.CAMPAIGN, false).get(null))
                .as("the report's campaign spend matches by name").containsKey("Spring sale");

        Response listed = http.get("/admin/v1/workspaces/" + ws.id() + "/ad-spend?from=2026-03-04&to=2026-03-04", ADMIN);
        assertThat(list(listed.json().get("data"))).hasSize(2).first().satisfies(line -> {
            assertThat(line).containsEntry("source", id).containsEntry("ad_set", "Retargeting").containsEntry("currency", "EUR")
                    .containsEntry("platform_conversions", 2.0);
        });
        Map<String, Object> account = http.get("/admin/v1/workspaces/" + ws.id() + "/ad-accounts/" + id, ADMIN).json();
        assertThat(map(account.get("last_sync"))).containsEntry("status", "ok").containsEntry("rows", 14);
        assertThat(http.get("/admin/v1/workspaces/" + ws.id() + "/ad-accounts/" + id, ADMIN).body()).doesNotContain(META_TOKEN);
    }

    @Test
    void metaPagesAreFollowedByTheirCursorAndARateLimitIsWaitedOut() {
        Ws ws = newWorkspace(); // in dollars, like the account: nothing to convert
        meta.clearRows();
        for (int i = 0; i < 1200; i++) meta.add(ad(MON, "p-" + i, "1.00", 10, 1, "0", "0"));
        String id = connect(ws, Map.of("platform", "meta", "name", "Meta big", "account_id", "1234567890",
                "settings", Map.of("access_token", META_TOKEN)));
        meta.reset();
        meta.rateLimitNext(2);

        Map<String, Object> done = sync(ws, id, MON, MON);
        assertThat(done).containsEntry("status", "ok").containsEntry("rows", 1200);
        assertThat(meta.requests()).as("two throttled, then three pages").hasSize(5);
        assertThat(meta.requests().get(3).queryParam("after")).isNotNull();
        assertThat(rows(ws, MON, MON)).hasSize(1200);

        meta.reset();
        meta.rateLimitNext(10);
        Map<String, Object> limited = sync(ws, id, MON, MON);
        assertThat(limited).containsEntry("status", "rate_limited");
        assertThat((String) limited.get("message")).contains("(#17) User request limit reached");
        assertThat(meta.requests()).as("the first try and three retries, no more").hasSize(4);
        assertThat(rows(ws, MON, MON)).as("what the last good sync stored stays").hasSize(1200);
    }

    @Test
    void anExpiredMetaTokenMarksTheConnectionAuthFailedWithoutRetriesAndLeavesItsDaysWhole() {
        Ws ws = newWorkspace();
        meta.clearRows();
        for (int i = 0; i < 600; i++) meta.add(ad(MON, "e-" + i, "2.00", 10, 1, "0", "0"));
        String id = connect(ws, Map.of("platform", "meta", "name", "Meta expiring", "account_id", "1234567890",
                "settings", Map.of("access_token", META_TOKEN)));
        assertThat(sync(ws, id, MON, MON)).containsEntry("status", "ok").containsEntry("rows", 600);

        meta.clearRows();
        for (int i = 0; i < 600; i++) meta.add(ad(MON, "e-" + i, "3.00", 10, 1, "0", "0"));
        meta.reset();
        meta.expireTokenAfter(1); // the first page is read with the good token, the second finds it expired
        Map<String, Object> failed = sync(ws, id, MON, MON);
        assertThat(failed).containsEntry("status", "auth_failed").containsEntry("rows", 0);
        assertThat((String) failed.get("message")).contains("Meta error 190").contains("Session has expired");
        assertThat(meta.requests()).as("no retry of a refused token").hasSize(2);
        assertThat(rows(ws, MON, MON)).as("the day stays as the last good sync left it").hasSize(600)
                .allSatisfy(r -> assertThat(r.spend()).isEqualTo(2.0));

        meta.renewToken("EAAB-renewed-token-9999");
        Response patched = send("PATCH", "/admin/v1/workspaces/" + ws.id() + "/ad-accounts/" + id,
                json(Map.of("settings", Map.of("access_token", "EAAB-renewed-token-9999"))));
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        assertThat(map(patched.json().get("settings"))).containsEntry("access_token", "…9999");
        assertThat(map(patched.json().get("last_sync"))).as("the refusal shows until the next sync").containsEntry("status", "auth_failed");
        assertThat(sync(ws, id, MON, MON)).containsEntry("status", "ok");
        assertThat(rows(ws, MON, MON)).allSatisfy(r -> assertThat(r.spend()).isEqualTo(3.0));
        meta.renewToken(META_TOKEN);
    }

    @Test
    void googleAdsIsReadWithGaqlPageByPageWithARefreshedTokenThroughTheManagerAccount() {
        Ws ws = euroWorkspace();
        google.add(ad(MON, "g-1", "12.345678", 300, 12, "1.5", "45.25"));
        google.add(ad(MON, "g-2", "3", 100, 2, "0", "0"));
        google.add(ad(MON.plusDays(1), "g-1", "7", 200, 8, "1", "30"));
        String id = connect(ws, Map.of("platform", "google", "name", "Google Ads", "account_id", "123-456-7890",
                "settings", Map.of("client_id", "client-1.apps.googleusercontent.com", "client_secret", "client-secret-1",
                        "refresh_token", "1//refresh-token-1", "developer_token", "dev-token-abc",
                        "login_customer_id", "987-654-3210")));
        google.reset();
        assertThat(sync(ws, id, MON, MON.plusDays(1))).containsEntry("status", "ok").containsEntry("rows", 3);
        assertThat(google.requests().get(0).path()).as("the access token first").isEqualTo("/token");
        google.reset();
        google.exhaustQuotaNext(1);
        Map<String, Object> done = sync(ws, id, MON, MON.plusDays(1));
        assertThat(done).containsEntry("status", "ok").containsEntry("rows", 3);
        var searches = google.requests();
        assertThat(searches).as("one throttled, then two pages of two, with the token kept").hasSize(3)
                .allSatisfy(r -> assertThat(r.path()).isEqualTo("/v22/customers/1234567890/googleAds:search"));
        assertThat(searches.get(2).body()).contains("\"pageToken\":\"page:2\"");
        assertThat(searches.get(0).body()).contains("segments.date BETWEEN '2026-03-02' AND '2026-03-03'");
        assertThat(google.tokensIssued()).as("one access token for both syncs").isEqualTo(1);
        List<AdSpend> rows = rows(ws, MON, MON.plusDays(1));
        AdSpend g1 = rows.stream().filter(r -> r.adId().equals("g-1") && r.day().equals(MON)).findFirst().orElseThrow();
        assertThat(g1.spend()).as("cost in micros, in euros like the workspace").isCloseTo(12.345678, within(1e-9));
        assertThat(g1.platformConversions()).isEqualTo(1.5);
        assertThat(g1.platformConversionValue()).isEqualTo(45.25);
        assertThat(g1.adSet()).isEqualTo("Retargeting");
        assertThat(g1.platform()).isEqualTo("google");

        google.expireAccessTokens();
        google.reset();
        assertThat(sync(ws, id, MON, MON.plusDays(1))).as("an expired access token is renewed once").containsEntry("status", "ok");
        assertThat(google.tokensIssued()).isEqualTo(2);

        google.revoke();
        google.expireAccessTokens();
        Map<String, Object> revoked = sync(ws, id, MON, MON.plusDays(1));
        assertThat(revoked).containsEntry("status", "auth_failed");
        assertThat((String) revoked.get("message")).contains("invalid_grant").contains("expired or revoked");
        assertThat(rows(ws, MON, MON.plusDays(1))).hasSize(3);
    }

    @Test
    void tiktokReportsArePagedAndItsEnvelopeErrorsAreRead() {
        Ws ws = euroWorkspace();
        for (int d = 0; d < 3; d++) {
            tiktok.add(ad(MON.plusDays(d), "t-1", "4.20", 900, 30, "3", "66.00"));
            tiktok.add(ad(MON.plusDays(d), "t-2", "1.00", 100, 1, "0", "0"));
        }
        String id = connect(ws, Map.of("platform", "tiktok", "name", "TikTok", "account_id", "7000000000000000001",
                "settings", Map.of("access_token", "tiktok-token-5678")));
        tiktok.reset();
        tiktok.rateLimitNext(1);
        Map<String, Object> done = sync(ws, id, MON, MON.plusDays(2));
        assertThat(done).containsEntry("status", "ok").containsEntry("rows", 6);
        assertThat(tiktok.requests()).as("one throttled, then three pages of two").hasSize(4);
        assertThat(tiktok.requests().get(3).queryParam("page")).isEqualTo("3");
        AdSpend t1 = rows(ws, MON, MON).stream().filter(r -> r.adId().equals("t-1")).findFirst().orElseThrow();
        assertThat(t1.spend()).isEqualTo(4.2);
        assertThat(t1.platformConversions()).isEqualTo(3.0);
        assertThat(t1.platformConversionValue()).isEqualTo(66.0);
        assertThat(t1.campaign()).isEqualTo("Spring sale");

        tiktok.revokeToken();
        tiktok.reset();
        Map<String, Object> refused = sync(ws, id, MON, MON.plusDays(2));
        assertThat(refused).containsEntry("status", "auth_failed");
        assertThat((String) refused.get("message")).contains("40105").contains("revoked");
        assertThat(tiktok.requests()).hasSize(1);
    }

    @Test
    void daysWithoutARateAreRefusedByNameAndNeverConvertedAtAGuess() {
        Ws ws = euroWorkspace();
        FakeMetaInsights yen = meta; // the same stand-in, holding a day the rates service has no USD rate for
        yen.clearRows();
        yen.add(ad(LocalDate.of(2025, 6, 2), "y-1", "10.00", 10, 1, "0", "0"));
        yen.add(ad(LocalDate.of(2025, 6, 3), "y-1", "10.00", 10, 1, "0", "0"));
        rates.put(LocalDate.of(2025, 6, 3), "USD", "EUR", 0.88);
        String id = connect(ws, Map.of("platform", "meta", "name", "Meta old", "account_id", "1234567890",
                "settings", Map.of("access_token", META_TOKEN)));
        Map<String, Object> done = sync(ws, id, LocalDate.of(2025, 6, 2), LocalDate.of(2025, 6, 3));
        assertThat(done).containsEntry("status", "partial").containsEntry("rows", 1);
        assertThat((String) done.get("message")).contains("USD").contains("EUR").contains("2025-06-02");
        assertThat(rows(ws, LocalDate.of(2025, 6, 1), LocalDate.of(2025, 6, 30))).singleElement()
                .satisfies(r -> assertThat(r.day()).isEqualTo(LocalDate.of(2025, 6, 3)));
    }
}
