package io.touchpoint.server.attribution;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.touchpoint.core.store.Store;
import io.touchpoint.server.config.ConfigLoader;
import io.touchpoint.server.config.Stores;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.touchpoint.server.support.ServerTest.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The report index kept beside the store across a restart (docs/ATTRIBUTION.md, *Report engine*): a server starting
 * reads it, brings it forward by what changed since it was written, and answers as a server that read everything
 * from the store; a file it must not believe (altered, of another format or schema, of another store) is ignored;
 * an erasure is never undone by it.
 */
class ReportSnapshotApiTest {
    private static final String RANGE = "&from=2026-02-01&to=2026-03-01";
    /** A 7-day window: a report the engine answers from the index. */
    private static final String ENGINE = "&window=7&model=first_touch,last_touch,linear,position_based&group_by=campaign";

    @TempDir
    Path dir;
    private Map<String, String> settings;
    private TestServer server;
    private String ws;
    private String token;
    private ListAppender<ILoggingEvent> logs;

    /** The store's settings; the PostgreSQL variant's name a schema of its own, the same for every start of a test. */
    protected Map<String, String> store() {
        return Map.of();
    }

    @BeforeEach
    void captureLogs() {
        settings = new HashMap<>(store());
        logs = new ListAppender<>();
        logs.start();
        ((Logger) LoggerFactory.getLogger(ReportSnapshots.class)).addAppender(logs);
        ((Logger) LoggerFactory.getLogger(ReportIndexes.class)).addAppender(logs);
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
        ((Logger) LoggerFactory.getLogger(ReportSnapshots.class)).detachAppender(logs);
        ((Logger) LoggerFactory.getLogger(ReportIndexes.class)).detachAppender(logs);
    }

    private void start(boolean snapshots) {
        if (server != null) server.close();
        Map<String, String> s = new HashMap<>(settings);
        if (!snapshots) s.put("reports.snapshot-dir", "off");
        server = TestServer.start(dir, s);
    }

    private static String purchase(String email, String source, String campaign, String time, int amount) {
        return "{\"event_name\":\"purchase\",\"email\":\"" + email + "\",\"amount\":" + amount + ",\"currency\":\"USD\""
                + ",\"comet_source\":\"" + source + "\",\"comet_campaign\":\"" + campaign + "\",\"event_time\":\"" + time + "\"}";
    }

    private void batch(String... events) throws InterruptedException {
        Response r = server.http.postJson("/public-api/v1/events/batch", token, "{\"events\":[" + String.join(",", events) + "]}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        server.awaitProcessed();
    }

    /** A workspace with a few people's conversions over several days. */
    private void firstData() throws InterruptedException {
        start(true);
        var created = server.createWorkspace("snapshots");
        ws = created.workspace().id();
        token = created.token().secret();
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            events.add(purchase("buyer" + i % 5 + "@shop.io", i % 2 == 0 ? "google" : "facebook", "spring-" + i % 3,
                    "2026-02-" + (10 + i) + "T12:00:00Z", 20 + i));
        }
        batch(events.toArray(String[]::new));
    }

    private Map<String, Object> report() {
        Response r = server.http.get("/api/v1/reports/attribution?workspace=" + ws + RANGE + ENGINE, token);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return map(r.json().get("data"));
    }

    private Path file() {
        return dir.resolve("report-index").resolve(ws + ReportSnapshots.SUFFIX);
    }

    /**
     * Asks a report that reads the index (whole, or brought forward while the workspace has no file), which is then
     * written to its file in the background, and waits for the write.
     */
    private Map<String, Object> reportAndSnapshot() throws InterruptedException {
        clearLogs();
        Map<String, Object> r = report();
        awaitWrite();
        assertThat(file()).as("the index's snapshot").exists();
        return r;
    }

    /** The write thread logs once the file is in place and its token stored. */
    private void awaitWrite() throws InterruptedException {
        long giveUp = System.nanoTime() + 20_000_000_000L;
        while (!logged("written to its snapshot") && System.nanoTime() < giveUp) Thread.sleep(20);
    }

    private List<String> logged() {
        synchronized (logs) { // the appender appends under its own lock
            return logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    private boolean logged(String text) {
        return logged().stream().anyMatch(m -> m.contains(text));
    }

    private void clearLogs() {
        synchronized (logs) {
            logs.list.clear();
        }
    }

    private double conversions(Map<String, Object> report) {
        return ((Number) map(report.get("totals")).get("conversions")).doubleValue();
    }

    @Test
    void aStartReadsTheSnapshotAndAnswersAsAServerThatReadsTheStore() throws Exception {
        firstData();
        Map<String, Object> before = reportAndSnapshot();
        assertThat(conversions(before)).isEqualTo(12);

        clearLogs();
        start(true);
        Map<String, Object> fromSnapshot = report();
        assertThat(logged("read from its snapshot")).as("the index came from the file").isTrue();
        assertThat(fromSnapshot).isEqualTo(before);

        start(false);
        assertThat(report()).as("the same report read from the store alone").isEqualTo(before);
    }

    /** A graceful stop writes the index brought forward: the next start has no day to read from the store. */
    @Test
    void aStopWritesTheIndexAsOfTheLastChange() throws Exception {
        firstData();
        reportAndSnapshot();
        batch(purchase("late@shop.io", "google", "autumn", "2026-02-25T08:00:00Z", 99));
        long version = server.store().attribution().dataVersion();
        clearLogs();
        server.close();
        server = null;
        assertThat(logged("written to its snapshot (data version " + version + ")")).as(String.join("\n", logged())).isTrue();

        clearLogs();
        start(true);
        Map<String, Object> r = report();
        assertThat(conversions(r)).isEqualTo(13);
        assertThat(logged("read from its snapshot (data version " + version + ")")).isTrue();
    }

    @Test
    void changesAfterTheSnapshotAreInTheReport() throws Exception {
        firstData();
        reportAndSnapshot();
        // another process, keeping no snapshot, adds conversions and moves one day's to a merged person
        start(false);
        batch(purchase("late@shop.io", "google", "autumn", "2026-02-25T08:00:00Z", 99),
                purchase("buyer1@shop.io", "newsletter", "spring-1", "2026-02-12T09:00:00Z", 5));
        Map<String, Object> expected = report();
        assertThat(conversions(expected)).isEqualTo(14);

        clearLogs();
        start(true);
        assertThat(report()).isEqualTo(expected);
        assertThat(logged("read from its snapshot")).isTrue();
    }

    @Test
    void anErasureDeletesTheSnapshotAndOneErasedElsewhereIsNotUndone() throws Exception {
        firstData();
        reportAndSnapshot();
        String buyer0 = profile("email:buyer0@shop.io");
        Response erased = server.http.delete("/api/v1/profiles/" + buyer0, token);
        assertThat(erased.status()).as(erased.body()).isEqualTo(200);
        assertThat(file()).as("the file holding the erased person's rows").doesNotExist();
        // the next report brings the index forward and, the file gone, writes it again
        assertThat(conversions(reportAndSnapshot())).isEqualTo(9); // buyer0 had 3 of the 12

        // then a person erased by a server that keeps no snapshot
        start(false);
        String buyer1 = profile("email:buyer1@shop.io");
        assertThat(server.http.delete("/api/v1/profiles/" + buyer1, token).status()).isEqualTo(200);
        Map<String, Object> expected = report();
        assertThat(conversions(expected)).isEqualTo(6);

        start(true);
        assertThat(report()).as("the snapshot's rows of buyer1 are brought forward out").isEqualTo(expected);
    }

    private String profile(String identifier) {
        Response r = server.http.get("/api/v1/profiles?identifier=" + URLEncoder.encode(identifier, StandardCharsets.UTF_8), token);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return (String) r.json().get("id");
    }

    @Test
    void aSnapshotAlteredOfAnotherFormatSchemaOrStoreIsIgnored() throws Exception {
        firstData();
        Map<String, Object> expected = reportAndSnapshot();
        server.close();
        server = null;
        byte[] good = Files.readAllBytes(file());

        byte[] altered = good.clone();
        altered[altered.length - 20] ^= 0x01; // in the last column
        assertIgnored(altered, expected, "checksum");

        byte[] format = good.clone();
        java.nio.ByteBuffer.wrap(format).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(4, 99);
        assertIgnored(format, expected, "format");

        // the header after magic and format: its length, then the workspace id (length-prefixed) and the schema version
        byte[] schema = good.clone();
        int at = 12 + 2 + ws.length();
        java.nio.ByteBuffer.wrap(schema).putInt(at, java.nio.ByteBuffer.wrap(schema).getInt(at) - 1);
        assertIgnored(schema, expected, "schema version");

        // a store that does not hold the file's token: another store, or one restored from an older backup
        try (Store store = Stores.open(new ConfigLoader(null, Map.of(), flags()).load())) {
            store.settings().put("report_index_snapshot." + ws, "0123456789abcdef");
        }
        assertIgnored(good, expected, "not the store's snapshot");
    }

    @Test
    void aFolderThatCannotBeWrittenLeavesReportsAsTheyWere() throws Exception {
        Path notAFolder = dir.resolve("a-file");
        Files.writeString(notAFolder, "not a folder");
        settings.put("reports.snapshot-dir", notAFolder.resolve("report-index").toString());
        firstData();
        clearLogs();
        assertThat(conversions(report())).isEqualTo(12);
        long giveUp = System.nanoTime() + 20_000_000_000L;
        while (!logged("not written to its snapshot") && System.nanoTime() < giveUp) Thread.sleep(20);
        assertThat(logged("not written to its snapshot")).isTrue();
        batch(purchase("after@shop.io", "google", "autumn", "2026-02-26T08:00:00Z", 7));
        assertThat(conversions(report())).isEqualTo(13);
    }

    private Map<String, String> flags() {
        Map<String, String> f = new HashMap<>(settings);
        f.put("data", dir.toString());
        return f;
    }

    private void assertIgnored(byte[] file, Map<String, Object> expected, String why) throws Exception {
        if (server != null) server.close();
        server = null;
        Files.write(file(), file);
        clearLogs();
        start(true);
        assertThat(report()).as(why).isEqualTo(expected);
        assertThat(logged().stream().filter(m -> m.contains("ignored")).toList()).as(why)
                .anySatisfy(m -> assertThat(m).contains(why));
        assertThat(logged("read from its snapshot")).as(why).isFalse();
        awaitWrite(); // read whole, the index is written anew: not into the file the next case puts in place
        server.close();
        server = null;
    }
}
