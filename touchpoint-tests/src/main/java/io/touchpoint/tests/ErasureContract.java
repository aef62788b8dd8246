package io.touchpoint.tests;

import io.touchpoint.core.auth.Ids;
import io.touchpoint.core.destinations.Destination;
import io.touchpoint.core.destinations.DestinationType;
import io.touchpoint.core.destinations.OutboxEntry;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.Person;
import io.touchpoint.core.model.Source;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.store.EventLogEntry;
import io.touchpoint.core.store.IngestRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.touchpoint.core.model.IdentifierType.EMAIL;
import static io.touchpoint.core.model.IdentifierType.PHONE;
import static io.touchpoint.core.model.IdentifierType.VISITOR_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Erasure finds every row that names the person, whatever form their identifiers were sent in (refused requests
 * have no event and nothing in the log's email column), and leaves nothing of them readable: in no live row on
 * any store, and, where the test can read the store's files (SQLite: the database and its WAL), not in the files.
 */
public abstract class ErasureContract extends StoreContract {
    private static final String EMAIL_SENT = "Erase.Me@Shop.io";
    private static final String PHONE_STORED = "14155550188";
    private static final String TOKEN = "tok-erase-me-7";
    /** What the person's identifiers look like in what was sent and stored: none may be left anywhere. */
    private static final List<String> TRACES = List.of("erase.me@shop.io", "erase.me%40shop.io", "erase.me\\u0040shop.io",
            PHONE_STORED, "4155550188", "415-555-0188", "415 555 0188", "555-0188", TOKEN);
    /** Requests refused before an event was made, each naming the person with nothing in the email column. */
    private static final List<String> REFUSED = List.of(
            "{\"event_name\":\"lead\",\"email\":[\"erase.me@shop.io\"]}", // an array where a string belongs
            "{\"event_name\":\"lead\",\"email\":\"ERASE.ME@SHOP.IO\",", // malformed JSON
            "{\"event_name\":\"lead\",\"phone\":\"+1 415-555-0188\"}", // a phone number alone
            "{\"event_name\":\"lead\",\"phone\":\"(415) 555-0188\",\"order\":12}",
            "{\"event_name\":\"lead\",\"phone\":14155550188}",
            "email=erase.me%40shop.io&phone=%2B1%20415%20555%200188", // a form
            "{\"email\":\"erase.me\\u0040shop.io\"}", // a JSON escape
            "{\"event_name\":\"\",\"comet_token\":\"tok-erase-me-7\"}"); // the visitor token alone
    protected Workspace ws;
    private int requests;

    /** Every value of every row of every table of the store, as text. */
    protected abstract String everyRow() throws Exception;

    /** The files the store keeps its data in, read as the disk holds them; none for a database server. */
    protected abstract List<Path> files();

    @BeforeEach
    void workspace() {
        ws = Fixtures.workspace("acme");
        store.workspaces().create(ws);
    }

    @Test
    void erasureLeavesNothingThatNamesThePersonInAnyRowOrFile() throws Exception {
        // the outbox keeps the events as sent, enriched: shared by two destinations, and one's own
        Destination meta = destination("dst_meta", DestinationType.META), hook = destination("dst_hook", DestinationType.WEBHOOK);
        List<OutboxEntry> outbox = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Event sent = ingest(ws, "{\"event_name\":\"page_view\",\"email\":\"" + EMAIL_SENT + "\",\"phone\":\"+1 (415) 555-0188\","
                    + "\"comet_token\":\"" + TOKEN + "\",\"n\":" + i + "}", EMAIL_SENT.toLowerCase(Locale.ROOT),
                    new Identifier(EMAIL, "erase.me@shop.io"), new Identifier(PHONE, PHONE_STORED), new Identifier(VISITOR_TOKEN, TOKEN));
            for (Destination d : List.of(meta, hook)) {
                outbox.add(OutboxEntry.pending(d.id(), ws.id(), i + 1, null, sent.id(), sent, Map.of("email", "event"), Fixtures.T0));
            }
            ingest(ws, "{\"event_name\":\"page_view\",\"email\":\"kept@shop.io\",\"phone\":\"+1 415 555 0199\"}", "kept@shop.io",
                    new Identifier(EMAIL, "kept@shop.io"), new Identifier(PHONE, "14155550199"));
        }
        List<String> refusedIds = new ArrayList<>();
        for (int round = 0; round < 30; round++) {
            for (String payload : REFUSED) refusedIds.add(refuse(ws, payload, "lead", "email must be a string"));
            refuse(ws, "{\"email\":[\"kept@shop.io\"],\"phone\":\"+1 415 555 0199\"}", "lead", "email must be a string");
        }
        // before its workspace was known, and with the person in the error message and the event name
        String noWorkspace = refuse(null, "{\"email\":\"erase.me@shop.io\"}", "lead", "bad token");
        String inMessage = refuse(ws, "{\"phone\":\"+1 415 555 0188 ext\"}", "lead",
                "phone is not a phone number: '+1 415 555 0188 ext'");
        String inName = refuse(ws, "{\"event_name\":\"erase.me@shop.io\"}", "erase.me@shop.io", "event_name 'erase.me@shop.io' is unknown");
        // an accepted event of theirs whose answer named a phone of theirs it dropped
        String dropped = "req_" + (++requests);
        Event withWarning = new Event(Ids.event(), ws.id(), Source.COMETLY, dropped, Fixtures.T0.plusSeconds(requests),
                Fixtures.T0.plusSeconds(requests), "purchase", List.of(new Identifier(EMAIL, "erase.me@shop.io")),
                new Person("erase.me@shop.io", null, null, null, null, null), null, null, null, false, null,
                "{\"event_name\":\"purchase\",\"email\":\"erase.me@shop.io\",\"phone\":\"415-555-0188 x\"}");
        store.ingest().commit(List.of(new IngestRecord(Fixtures.acceptedLog(withWarning, dropped, 0).withWarningsFirst(
                List.of("invalid field 'phone' dropped (kept in the raw payload): phone is not a phone number: '415-555-0188 x'")),
                withWarning)));
        processAll();
        store.destinations().enqueue(outbox, 0);
        // the events log's identifier index: the older entries in it, the newer still waiting beside their rows
        store.stages().eventLogIndex().step(150);
        String profile = store.identity().findProfile(ws.id(), new Identifier(EMAIL, "erase.me@shop.io")).orElseThrow();
        for (Path f : files()) assertThat(Files.exists(f)).as(f.toString()).isTrue();
        if (!files().isEmpty()) assertThat(traces(fileText())).as("the files before the erasure").isNotEmpty();

        assertThat(store.identity().erase(ws.id(), profile)).isTrue();

        assertThat(traces(fileText())).as("the store's files").isEmpty();
        String rows = everyRow();
        assertThat(traces(rows)).as("the live rows").isEmpty();
        assertThat(rows).contains("kept@shop.io").contains("+1 415 555 0199").contains("email must be a string");
        for (String id : refusedIds) {
            EventLogEntry e = store.eventLog().byRequestId(ws.id(), id).get(0);
            assertThat(e.payload()).as(id).isNull();
            assertThat(e.outcome()).isEqualTo(EventLogEntry.Outcome.REJECTED);
            assertThat(e.errorMessage()).isEqualTo("email must be a string");
        }
        assertThat(store.eventLog().byRequestId(null, noWorkspace).get(0).payload()).isNull();
        assertThat(store.eventLog().byRequestId(ws.id(), dropped).get(0).warnings()).isEmpty();
        assertThat(store.eventLog().byRequestId(ws.id(), inMessage).get(0).errorMessage()).isNull();
        EventLogEntry named = store.eventLog().byRequestId(ws.id(), inName).get(0);
        assertThat(named.eventName()).isNull();
        assertThat(named.errorMessage()).isNull();
        assertThat(named.httpStatus()).isEqualTo(422);
    }

    @Test
    void erasureLeavesOtherWorkspacesAndShortValuesAlone() {
        Workspace other = Fixtures.workspace("other");
        store.workspaces().create(other);
        ingest(ws, "{\"email\":\"erase.me@shop.io\",\"comet_token\":\"A\"}", "erase.me@shop.io",
                new Identifier(EMAIL, "erase.me@shop.io"), new Identifier(VISITOR_TOKEN, "A"));
        String elsewhere = refuse(other, "{\"email\":[\"erase.me@shop.io\"]}", "lead", "email must be a string");
        // a one-letter visitor token cannot be told from other text: this row does not name the person
        String letter = refuse(ws, "{\"event_name\":\"A\"}", "A", "event_name 'A' is unknown");
        // an accepted event of theirs whose answer named a phone of theirs it dropped
        String dropped = "req_" + (++requests);
        Event withWarning = new Event(Ids.event(), ws.id(), Source.COMETLY, dropped, Fixtures.T0.plusSeconds(requests),
                Fixtures.T0.plusSeconds(requests), "purchase", List.of(new Identifier(EMAIL, "erase.me@shop.io")),
                new Person("erase.me@shop.io", null, null, null, null, null), null, null, null, false, null,
                "{\"event_name\":\"purchase\",\"email\":\"erase.me@shop.io\",\"phone\":\"415-555-0188 x\"}");
        store.ingest().commit(List.of(new IngestRecord(Fixtures.acceptedLog(withWarning, dropped, 0).withWarningsFirst(
                List.of("invalid field 'phone' dropped (kept in the raw payload): phone is not a phone number: '415-555-0188 x'")),
                withWarning)));
        processAll();
        String profile = store.identity().findProfile(ws.id(), new Identifier(EMAIL, "erase.me@shop.io")).orElseThrow();

        assertThat(store.identity().erase(ws.id(), profile)).isTrue();

        assertThat(store.eventLog().byRequestId(other.id(), elsewhere).get(0).payload()).contains("erase.me@shop.io");
        assertThat(store.eventLog().byRequestId(ws.id(), letter).get(0).payload()).isEqualTo("{\"event_name\":\"A\"}");
        assertThat(store.identity().findProfile(ws.id(), new Identifier(VISITOR_TOKEN, "A"))).isEmpty();
    }

    /** The traces of the person {@code text} holds, case aside. */
    private static List<String> traces(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        return TRACES.stream().filter(t -> lower.contains(t.toLowerCase(Locale.ROOT))).toList();
    }

    /** The bytes of every file of {@link #files()}, one character each. */
    private String fileText() throws Exception {
        StringBuilder out = new StringBuilder();
        for (Path f : files()) {
            if (Files.exists(f)) out.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).append('\n');
        }
        return out.toString();
    }

    private Event ingest(Workspace w, String raw, String email, Identifier... ids) {
        String request = "req_" + (++requests);
        Event e = new Event(Ids.event(), w.id(), Source.COMETLY, request, Fixtures.T0.plusSeconds(requests),
                Fixtures.T0.plusSeconds(requests), "page_view", List.of(ids), new Person(email, null, null, null, null, null),
                null, null, null, false, null, raw);
        store.ingest().commit(List.of(Fixtures.accepted(e, request)));
        return e;
    }

    /** Records a refused request with nothing in the email column; returns its request id. */
    private String refuse(Workspace w, String payload, String eventName, String message) {
        String request = "req_" + (++requests);
        store.ingest().commit(List.of(IngestRecord.rejected(new EventLogEntry(0, request, 0, w == null ? null : w.id(),
                Fixtures.T0.plusSeconds(requests), "/public-api/v1/events", "cometly", EventLogEntry.Outcome.REJECTED, 422,
                "invalid_type", "email", message, eventName, null, null, payload))));
        return request;
    }

    private Destination destination(String id, DestinationType type) {
        Destination d = new Destination(id, ws.id(), type, id, Map.of(), null, null, null, null, null, null, true, Fixtures.T0, null);
        store.destinations().create(d);
        return d;
    }

    private void processAll() {
        while (store.stages().identity().step(100) > 0) {
            // until caught up
        }
    }

    /** Every value of every row of the tables {@code tablesQuery} names, tab-separated. */
    protected static String everyRow(Connection c, String tablesQuery) throws SQLException {
        StringBuilder out = new StringBuilder();
        try (Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery(tablesQuery)) {
                while (rs.next()) tables.add(rs.getString(1));
            }
            if (tables.size() < 8) throw new AssertionError("expected the store's tables, found " + tables);
            for (String t : tables) {
                try (ResultSet rs = s.executeQuery("SELECT * FROM \"" + t + "\"")) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) for (int i = 1; i <= n; i++) out.append(rs.getString(i)).append('\t');
                }
            }
        }
        return out.toString();
    }
}
