package io.touchpoint.storage.jdbc.delivery;

import io.touchpoint.core.destinations.ProfileEvent;
import io.touchpoint.core.model.Commerce;
import io.touchpoint.core.model.Context;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.model.Person;
import io.touchpoint.core.model.Source;
import io.touchpoint.core.store.StoreException;
import io.touchpoint.storage.jdbc.sql.EventJson;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The streaming read of a stored body answers what the full read, trimmed to enrichment's fields, answers. */
class ProfileEventJsonTest {
    private static final Instant AT = Instant.parse("2026-11-20T12:00:00.123456789Z");

    private static Event event(Context context, Identifier... ids) {
        return new Event("evt_1", "ws_1", Source.PIXEL, "req_1", AT.plusSeconds(5), AT, "page_view", List.of(ids),
                new Person("jo@x.co", "16505551212", "Jo", null, null, Map.of("tier", "gold")), context,
                new Commerce(new BigDecimal("19.90"), "EUR", "o-1", null, null, List.of()), "idem-1", false,
                Map.of("nested", Map.of("list", List.of(1, 2.5, "x")), "flag", true), null);
    }

    private static void readsAsTheFullReader(String body) {
        assertThat(ProfileEventJson.read(body)).isEqualTo(ProfileEvent.of(EventJson.read(body)));
    }

    @Test
    void aStoredEventReadsItsSignalsAndBrowserContextInOrderAndNothingElse() {
        Event e = event(new Context("198.51.100.9", "Mozilla/5.0", "https://shop.example/?gclid=G1", "https://ref.example", null, null),
                new Identifier(IdentifierType.VISITOR_TOKEN, "v1"), new Identifier(IdentifierType.GCLID, "G1"),
                new Identifier(IdentifierType.EMAIL, "jo@x.co"), new Identifier(IdentifierType.FBP, "fb.1.1.2"));
        ProfileEvent read = ProfileEventJson.read(EventJson.write(e));
        assertThat(read.signals()).extracting(Identifier::type)
                .containsExactly(IdentifierType.GCLID, IdentifierType.EMAIL, IdentifierType.FBP);
        assertThat(read.eventTime()).isEqualTo(AT);
        assertThat(read).isEqualTo(ProfileEvent.of(e));
        readsAsTheFullReader(EventJson.write(e));
        readsAsTheFullReader(EventJson.write(event(null)));
        readsAsTheFullReader(EventJson.write(event(new Context(null, "UA", null, null, null, null), new Identifier(IdentifierType.TTCLID, "T"))));
    }

    @Test
    void bodiesInAnotherFormReadAsTheFullReaderReadsThem() {
        readsAsTheFullReader("{\"id\":\"e\",\"workspaceId\":\"w\",\"source\":\"PIXEL\",\"receivedAt\":1763640000,"
                + "\"eventTime\":1763640000.5,\"name\":\"n\",\"identifiers\":[{\"type\":\"FBC\",\"value\":\"f\"}],\"context\":null}");
        readsAsTheFullReader("{\"extra\":{\"a\":[{}]},\"id\":\"e\",\"workspaceId\":\"w\",\"source\":\"COMETLY\","
                + "\"receivedAt\":\"2026-11-20T12:00:00Z\",\"eventTime\":\"2026-11-20T12:00:00Z\",\"name\":\"n\","
                + "\"identifiers\":[{\"value\":\"p\",\"type\":\"PHONE\"},{\"type\":\"CLIENT_ID\",\"value\":\"o\"}],"
                + "\"context\":{\"campaign\":{\"source\":\"s\"},\"pageUrl\":\"u\"}}");
    }

    @Test
    void aBodyTheFullReaderRefusesIsRefusedAlike() {
        for (String body : List.of("not json", "{\"id\":\"e\"}", "{\"id\":\"e\",\"workspaceId\":\"w\",\"source\":\"PIXEL\","
                + "\"receivedAt\":\"2026-11-20T12:00:00Z\",\"eventTime\":\"2026-11-20T12:00:00Z\",\"name\":\"n\","
                + "\"identifiers\":[{\"type\":\"NO_SUCH_TYPE\",\"value\":\"x\"}]}")) {
            assertThatThrownBy(() -> EventJson.read(body)).isInstanceOf(StoreException.class);
            assertThatThrownBy(() -> ProfileEventJson.read(body)).as(body).isInstanceOf(StoreException.class);
        }
    }
}
