package io.touchpoint.server.destinations.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import static io.touchpoint.server.destinations.fakes.FakeHttp.json;
import static io.touchpoint.server.destinations.fakes.FakeHttp.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FakeGoogleAdsTest {
    private static final String CUSTOMER = "1234567890";
    private static final long ACTION = 555L;
    private static final String GCLID = "EAIaIQobChMI-known-click-1";
    private static final DateTimeFormatter GOOGLE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ssxxx").withZone(ZoneOffset.UTC);
    private final FakeGoogleAds google = new FakeGoogleAds("client", "secret", "refresh", "devtoken", CUSTOMER)
            .conversionAction(ACTION)
            .knownClick(GCLID, Instant.now().minus(Duration.ofDays(1)));

    @AfterEach
    void close() {
        google.close();
    }

    private String accessToken() throws Exception {
        HttpResponse<String> response = post(google.baseUrl() + "/token",
                "grant_type=refresh_token&client_id=client&client_secret=secret&refresh_token=refresh",
                "Content-Type", "application/x-www-form-urlencoded");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.get("expires_in").asInt()).isEqualTo(3599);
        return body.get("access_token").asText();
    }

    static ObjectNode conversion(String gclid, String orderId) {
        ObjectNode row = FakeHttp.JSON.createObjectNode();
        row.put("gclid", gclid);
        row.put("conversionAction", FakeGoogleAds.conversionActionName(CUSTOMER, ACTION));
        row.put("conversionDateTime", GOOGLE_TIME.format(Instant.now().minusSeconds(60)));
        row.put("conversionValue", 42.0);
        row.put("currencyCode", "EUR");
        if (orderId != null) {
            row.put("orderId", orderId);
        }
        return row;
    }

    private HttpResponse<String> upload(String version, String token, boolean partialFailure, JsonNode... rows) throws Exception {
        ObjectNode body = FakeHttp.JSON.createObjectNode();
        ArrayNode conversions = body.putArray("conversions");
        for (JsonNode row : rows) {
            conversions.add(row);
        }
        body.put("partialFailure", partialFailure);
        return post(google.baseUrl() + "/" + version + "/customers/" + CUSTOMER + ":uploadClickConversions", FakeHttp.text(body),
                "Content-Type", "application/json", "Authorization", "Bearer " + token, "developer-token", "devtoken");
    }

    @Test
    void aValidUploadReturnsOneResultPerConversion() throws Exception {
        HttpResponse<String> response = upload("v21", accessToken(), true, conversion(GCLID, "order-1"));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.has("partialFailureError")).isFalse();
        assertThat(body.at("/results/0/gclid").asText()).isEqualTo(GCLID);
        assertThat(body.at("/results/0/conversionAction").asText()).isEqualTo(FakeGoogleAds.conversionActionName(CUSTOMER, ACTION));
        assertThat(google.acceptedKeys()).containsExactly(FakeGoogleAds.orderDedupKey(ACTION, "order-1"));
        assertThat(google.violations()).isEmpty();
    }

    @Test
    void failedRowsAreEmptyResultsWithALocatedPartialFailure() throws Exception {
        HttpResponse<String> response = upload("v19", accessToken(), true,
                conversion(GCLID, "order-1"), conversion("EAIaIQobChMI-unknown-click", "order-2"), conversion("bad gclid!", "order-3"));

        JsonNode body = json(response);
        assertThat(body.get("results")).hasSize(3);
        assertThat(body.at("/results/1").isEmpty()).isTrue();
        assertThat(body.at("/results/2").isEmpty()).isTrue();
        JsonNode failure = body.get("partialFailureError");
        assertThat(failure.get("code").asInt()).isEqualTo(3);
        assertThat(failure.get("message").asText()).contains("at conversions[1].gclid");
        JsonNode details = failure.at("/details/0");
        assertThat(details.get("@type").asText()).isEqualTo("type.googleapis.com/google.ads.googleads.v19.errors.GoogleAdsFailure");
        assertThat(details.at("/errors/0/errorCode/conversionUploadError").asText()).isEqualTo("CLICK_NOT_FOUND");
        assertThat(details.at("/errors/0/location/fieldPathElements/0/fieldName").asText()).isEqualTo("conversions");
        assertThat(details.at("/errors/0/location/fieldPathElements/0/index").asInt()).isEqualTo(1);
        assertThat(details.at("/errors/1/errorCode/conversionUploadError").asText()).isEqualTo("UNPARSEABLE_GCLID");
        assertThat(google.acceptedKeys()).containsExactly(FakeGoogleAds.orderDedupKey(ACTION, "order-1"));
    }

    @Test
    void aReUploadedOrderIdIsRefusedAsGoogleDoes() throws Exception {
        String token = accessToken();
        upload("v21", token, true, conversion(GCLID, "order-1"));
        JsonNode again = json(upload("v21", token, true, conversion(GCLID, "order-1")));

        assertThat(again.at("/partialFailureError/details/0/errors/0/errorCode/conversionUploadError").asText())
                .isEqualTo("ORDER_ID_ALREADY_IN_USE");
        String key = FakeGoogleAds.orderDedupKey(ACTION, "order-1");
        assertThat(google.acceptedCount(key)).isEqualTo(1);
        assertThat(google.receivedCount(key)).isEqualTo(2);

        ObjectNode noOrder = conversion(GCLID, null);
        JsonNode twice = json(upload("v21", token, true, noOrder, noOrder));
        assertThat(twice.at("/partialFailureError/details/0/errors/0/errorCode/conversionUploadError").asText())
                .isEqualTo("DUPLICATE_CLICK_CONVERSION_IN_REQUEST");
        assertThat(google.acceptedCount(FakeGoogleAds.clickDedupKey(GCLID, ACTION, noOrder.get("conversionDateTime").asText()))).isEqualTo(1);
    }

    @Test
    void consentTakesGooglesConsentStatusesOnly() throws Exception {
        ObjectNode granted = conversion(GCLID, "c-1");
        granted.putObject("consent").put("adUserData", "GRANTED").put("adPersonalization", "UNSPECIFIED");
        assertThat(upload("v21", accessToken(), true, granted).statusCode()).isEqualTo(200);
        assertThat(google.acceptedKeys()).containsExactly(FakeGoogleAds.orderDedupKey(ACTION, "c-1"));

        ObjectNode lowerCase = conversion(GCLID, "c-2");
        lowerCase.putObject("consent").put("adUserData", "granted");
        HttpResponse<String> refused = upload("v21", accessToken(), true, lowerCase);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("conversions[0].consent.ad_user_data");
        ObjectNode unknownField = conversion(GCLID, "c-3");
        unknownField.putObject("consent").put("adStorage", "GRANTED");
        assertThat(upload("v21", accessToken(), true, unknownField).body()).contains("Unknown name")
                .contains("adStorage").contains("conversions[0].consent");
    }

    @Test
    void partialFailureMustBeTrue() throws Exception {
        HttpResponse<String> response = upload("v21", accessToken(), false, conversion(GCLID, "o"));
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = json(response).get("error");
        assertThat(error.get("status").asText()).isEqualTo("INVALID_ARGUMENT");
        assertThat(error.at("/details/0/errors/0/errorCode/partialFailureError").asText()).isEqualTo("PARTIAL_FAILURE_MODE_REQUIRED");
        assertThat(google.acceptedKeys()).isEmpty();
    }

    @Test
    void malformedRowsGetTheirFieldErrors() throws Exception {
        ObjectNode badTime = conversion(GCLID, "a").put("conversionDateTime", "2025-01-01T10:00:00Z");
        ObjectNode unhashed = conversion(GCLID, "b");
        unhashed.putArray("userIdentifiers").addObject().put("hashedEmail", "ann@example.com");
        ObjectNode unknownAction = conversion(GCLID, "c").put("conversionAction", FakeGoogleAds.conversionActionName(CUSTOMER, 9));
        JsonNode errors = json(upload("v21", accessToken(), true, badTime, unhashed, unknownAction)).at("/partialFailureError/details/0/errors");

        assertThat(errors.at("/0/errorCode/dateError").asText()).isEqualTo("INVALID_STRING_DATE_TIME_SECONDS_WITH_OFFSET");
        assertThat(errors.at("/1/errorCode/conversionUploadError").asText()).isEqualTo("INVALID_USER_IDENTIFIER");
        assertThat(errors.at("/2/errorCode/conversionUploadError").asText()).isEqualTo("NO_CONVERSION_ACTION_FOUND");

        HttpResponse<String> badValue = upload("v21", accessToken(), true, conversion(GCLID, "d").put("conversionValue", "lots"));
        assertThat(badValue.statusCode()).isEqualTo(400);
        assertThat(json(badValue).at("/error/details/0/@type").asText()).isEqualTo("type.googleapis.com/google.rpc.BadRequest");
    }

    @Test
    void snakeCaseNamesTranscodeLikeCamelCase() throws Exception {
        String body = "{\"partial_failure\":true,\"conversions\":[{\"gclid\":\"" + GCLID + "\",\"conversion_action\":\""
                + FakeGoogleAds.conversionActionName(CUSTOMER, ACTION) + "\",\"conversion_date_time\":\""
                + GOOGLE_TIME.format(Instant.now()) + "\",\"order_id\":\"snake\"}]}";
        HttpResponse<String> response = post(google.baseUrl() + "/v22/customers/" + CUSTOMER + ":uploadClickConversions", body,
                "Authorization", "Bearer " + accessToken(), "developer-token", "devtoken");
        assertThat(json(response).has("partialFailureError")).isFalse();
        assertThat(google.acceptedCount(FakeGoogleAds.orderDedupKey(ACTION, "snake"))).isEqualTo(1);
    }

    @Test
    void credentialsAreCheckedLikeGoogle() throws Exception {
        HttpResponse<String> badRefresh = post(google.baseUrl() + "/token",
                "grant_type=refresh_token&client_id=client&client_secret=secret&refresh_token=old", "Content-Type", "application/x-www-form-urlencoded");
        assertThat(badRefresh.statusCode()).isEqualTo(400);
        assertThat(json(badRefresh).get("error").asText()).isEqualTo("invalid_grant");
        assertThat(json(badRefresh).get("error_description").asText()).isEqualTo("Token has been expired or revoked.");

        HttpResponse<String> unknownToken = upload("v21", "ya29.made-up", true, conversion(GCLID, "x"));
        assertThat(unknownToken.statusCode()).isEqualTo(401);
        assertThat(json(unknownToken).at("/error/status").asText()).isEqualTo("UNAUTHENTICATED");

        String token = accessToken();
        google.expireAccessTokens();
        assertThat(json(upload("v21", token, true, conversion(GCLID, "x"))).at("/error/details/0/errors/0/errorCode/authenticationError").asText())
                .isEqualTo("OAUTH_TOKEN_EXPIRED");

        HttpResponse<String> badDevToken = post(google.baseUrl() + "/v21/customers/" + CUSTOMER + ":uploadClickConversions", "{}",
                "Authorization", "Bearer " + accessToken(), "developer-token", "other");
        assertThat(json(badDevToken).at("/error/details/0/errors/0/errorCode/authenticationError").asText()).isEqualTo("DEVELOPER_TOKEN_INVALID");

        HttpResponse<String> dashed = post(google.baseUrl() + "/v21/customers/123-456-7890:uploadClickConversions", "{}",
                "Authorization", "Bearer " + accessToken(), "developer-token", "devtoken");
        assertThat(json(dashed).at("/error/details/0/errors/0/errorCode/requestError").asText()).isEqualTo("INVALID_CUSTOMER_ID");
        assertThat(upload("v16", accessToken(), true, conversion(GCLID, "x")).statusCode()).isEqualTo(400);
    }

    @Test
    void downRefusesConnectionsAndUpListensOnTheSamePortAgain() throws Exception {
        String token = accessToken();
        int port = google.port();
        google.down(true);
        assertThatThrownBy(() -> upload("v21", token, true, conversion(GCLID, "o"))).isInstanceOf(ConnectException.class);

        google.up();
        assertThat(google.port()).isEqualTo(port);
        assertThat(upload("v21", token, true, conversion(GCLID, "o")).statusCode()).isEqualTo(200);
    }

    @Test
    void delayedAnswersTripTheCallersTimeoutAndRateLimitIsResourceExhausted() throws Exception {
        google.delay(Duration.ofMillis(800));
        assertThatThrownBy(() -> FakeHttp.send(google.baseUrl() + "/token", "", Duration.ofMillis(200)))
                .isInstanceOf(HttpTimeoutException.class);
        google.delay(Duration.ZERO);

        String token = accessToken();
        google.rateLimitAfter(0);
        HttpResponse<String> limited = upload("v21", token, true, conversion(GCLID, "o"));
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(json(limited).at("/error/status").asText()).isEqualTo("RESOURCE_EXHAUSTED");
        assertThat(json(limited).at("/error/details/0/errors/0/errorCode/quotaError").asText()).isEqualTo("RESOURCE_TEMPORARILY_EXHAUSTED");
    }

    @Test
    void validateOnlyChecksButKeepsNothing() throws Exception {
        ObjectNode body = FakeHttp.JSON.createObjectNode();
        body.putArray("conversions").add(conversion(GCLID, "v"));
        body.put("partialFailure", true).put("validateOnly", true);
        HttpResponse<String> response = post(google.baseUrl() + "/v23/customers/" + CUSTOMER + ":uploadClickConversions", FakeHttp.text(body),
                "Authorization", "Bearer " + accessToken(), "developer-token", "devtoken");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).has("results")).isFalse();
        assertThat(google.acceptedKeys()).isEmpty();
    }
}
