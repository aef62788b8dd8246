package io.touchpoint.tests;

import io.touchpoint.core.attribution.GroupBy;
import io.touchpoint.core.attribution.models.AttributionModel;
import io.touchpoint.core.attribution.report.Receipt;
import io.touchpoint.core.attribution.report.ReportQuery;
import io.touchpoint.core.auth.Ids;
import io.touchpoint.core.model.Commerce;
import io.touchpoint.core.model.Context;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.Person;
import io.touchpoint.core.model.Source;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.touchpoint.Channel;
import org.junit.jupiter.api.BeforeEach;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.touchpoint.core.model.IdentifierType.*;

/** A workspace whose events are ingested one at a time and run through the identity and attribution stages. */
public abstract class AttributionFixture extends StoreContract {
    protected static final String META_AD = "https://shop.example/?utm_source=facebook&utm_medium=paid_social&utm_campaign=spring&fbclid=F1";
    protected static final String GOOGLE_AD = "https://shop.example/?gclid=G1";
    protected static final String TIKTOK_AD = "https://shop.example/?ttclid=T1&campaign_id=17001&adgroup_id=17002&ad_id=17003";
    protected static final String HOME = "https://shop.example/";
    /** Fixtures' workspace is in Europe/Paris; T0 is 2026-03-01 11:00 there. */
    protected static final LocalDate DAY0 = LocalDate.of(2026, 3, 1);
    protected Workspace ws;
    private int n;

    @BeforeEach
    void workspace() {
        ws = Fixtures.workspace("acme");
        store.workspaces().create(ws);
    }

    protected Event ingest(String name, Duration at, String pageUrl, String value, Identifier... ids) {
        return ingest(name, at, pageUrl, value, null, ids);
    }

    protected Event ingest(String name, Duration at, String pageUrl, String value, Map<String, Object> customData,
                           Identifier... ids) {
        n++;
        Event e = new Event(Ids.event(), ws.id(), Source.ABLE, "req_" + n, Fixtures.T0.plus(at), Fixtures.T0.plus(at), name,
                List.of(ids), Person.EMPTY, new Context(null, null, pageUrl, null, null, null),
                value == null ? null : new Commerce(new BigDecimal(value), "EUR", null, null, null, List.of()),
                null, false, customData, "{}");
        store.ingest().commit(List.of(Fixtures.accepted(e, "req_" + n)));
        return e;
    }

    protected static Identifier id(io.touchpoint.core.model.IdentifierType t, String v) {
        return new Identifier(t, v);
    }

    protected void processAll() {
        while (store.stages().identity().step(100) > 0 | store.stages().attribution().step(100) > 0) {
            // until both stages are caught up
        }
    }

    protected Map<AttributionModel, Double> credits(Receipt r, Channel channel) {
        Map<AttributionModel, Double> out = new HashMap<>();
        for (Receipt.Step s : r.path()) {
            if (s.touchpoint().channel() != channel) continue;
            s.credits().forEach((m, c) -> out.merge(m, c, Double::sum));
        }
        return out;
    }

    protected ReportQuery query(GroupBy g, List<String> events) {
        return new ReportQuery(ws.id(), DAY0.minusDays(60), DAY0.plusDays(60), g, AttributionModel.RULE_BASED, events, false);
    }

    protected double credited(GroupBy g, String group, AttributionModel model, boolean revenue) {
        return store.attribution().credits(query(g, List.of("purchase"))).stream()
                .filter(c -> c.group().equals(group) && c.model() == model)
                .mapToDouble(c -> revenue ? c.revenue() : c.conversions()).sum();
    }
}
