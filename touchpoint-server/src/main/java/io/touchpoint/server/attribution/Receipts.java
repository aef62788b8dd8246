package io.touchpoint.server.attribution;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.touchpoint.core.attribution.models.AttributionModel;
import io.touchpoint.core.attribution.report.Receipt;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON form of a conversion's receipt: its path and each touchpoint's credit under every rule-based model. */
public final class Receipts {
    private Receipts() {
    }

    /** @param deliveries the conversion's deliveries to destinations, as the delivery routes show them; absent in a webhook */
    public record View(@JsonProperty("event_id") String eventId, @JsonProperty("event_name") String eventName, Instant time,
                Double value, String currency, @JsonProperty("profile_id") String profileId, List<String> models,
                List<Step> path, @JsonInclude(JsonInclude.Include.NON_NULL) List<Map<String, Object>> deliveries) {
    }

    /**
     * One touchpoint of the path; {@code touchpoint_id} is null and {@code stand_in} true for the Direct stand-in of a
     * conversion without touchpoints in its window. The platform's campaign, ad set and ad ids are absent when the visit
     * named none. Credits are keyed by model wire name.
     */
    public record Step(@JsonProperty("touchpoint_id") Long touchpointId, Instant time, String channel, String source,
                String medium, String campaign, String term, String content, String platform,
                @JsonProperty("click_id_type") String clickIdType,
                @JsonProperty("campaign_id") @JsonInclude(JsonInclude.Include.NON_NULL) String campaignId,
                @JsonProperty("ad_set_id") @JsonInclude(JsonInclude.Include.NON_NULL) String adSetId,
                @JsonProperty("ad_id") @JsonInclude(JsonInclude.Include.NON_NULL) String adId,
                @JsonProperty("stand_in") boolean standIn, Map<String, Double> credits) {
    }

    /** The receipt as a webhook carries it, without deliveries. */
    public static View view(Receipt r) {
        return view(r, null);
    }

    static View view(Receipt r, List<Map<String, Object>> deliveries) {
        return new View(r.eventId(), r.eventName(), r.convertedAt(), r.value(), r.currency(), r.profileId(),
                AttributionModel.RULE_BASED.stream().map(AttributionModel::wireName).toList(),
                r.path().stream().map(Receipts::step).toList(), deliveries);
    }

    private static Step step(Receipt.Step s) {
        var t = s.touchpoint();
        Map<String, Double> credits = new LinkedHashMap<>();
        for (AttributionModel model : AttributionModel.RULE_BASED) credits.put(model.wireName(), ReportView.round(s.credits().get(model)));
        boolean standIn = s.touchpointId() == 0;
        return new Step(standIn ? null : s.touchpointId(), s.time(), t.channel().label(), t.source(), t.medium(),
                t.campaign(), t.term(), t.content(), t.platform().wireName(),
                t.clickIdType() == null ? null : t.clickIdType().wireName(), t.campaignId(), t.adSetId(), t.adId(), standIn,
                credits);
    }
}
