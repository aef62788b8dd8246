package io.touchpoint.server.attribution;

import io.touchpoint.core.attribution.models.AttributionModel;
import io.touchpoint.core.attribution.report.Receipt;

import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON form of a conversion's receipt: its path and each touchpoint's credit under every rule-based model. */
public final class Receipts {
    private Receipts() {
    }

    public static Map<String, Object> view(Receipt r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event_id", r.eventId());
        m.put("event_name", r.eventName());
        m.put("time", r.convertedAt().toString());
        m.put("value", r.value());
        m.put("currency", r.currency());
        m.put("profile_id", r.profileId());
        m.put("models", AttributionModel.RULE_BASED.stream().map(AttributionModel::wireName).toList());
        m.put("path", r.path().stream().map(Receipts::step).toList());
        return m;
    }

    private static Map<String, Object> step(Receipt.Step s) {
        Map<String, Object> m = new LinkedHashMap<>();
        var t = s.touchpoint();
        m.put("touchpoint_id", s.touchpointId() == 0 ? null : s.touchpointId());
        m.put("time", s.time().toString());
        m.put("channel", t.channel().label());
        m.put("source", t.source());
        m.put("medium", t.medium());
        m.put("campaign", t.campaign());
        m.put("term", t.term());
        m.put("content", t.content());
        m.put("platform", t.platform().wireName());
        m.put("click_id_type", t.clickIdType() == null ? null : t.clickIdType().wireName());
        m.put("stand_in", s.touchpointId() == 0);
        Map<String, Object> credits = new LinkedHashMap<>();
        for (AttributionModel model : AttributionModel.RULE_BASED) credits.put(model.wireName(), ReportView.round(s.credits().get(model)));
        m.put("credits", credits);
        return m;
    }

}
