package io.touchpoint.server.exports;

import io.touchpoint.core.admin.Workspaces;
import io.touchpoint.core.destinations.WebhookSignature;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.store.AttributionStore;
import io.touchpoint.core.store.EventLogQuery;
import io.touchpoint.core.store.EventLogStore;
import io.touchpoint.core.store.ExportStore;
import io.touchpoint.core.store.ExportStore.LastRun;
import io.touchpoint.core.store.ExportStore.Schedule;
import io.touchpoint.server.attribution.DataDrivenRuns;
import io.touchpoint.server.attribution.Report;
import io.touchpoint.server.attribution.ReportCsv;
import io.touchpoint.server.attribution.ReportExport;
import io.touchpoint.server.destinations.RetryPolicy;
import io.touchpoint.server.destinations.platforms.PlatformHttp;
import io.touchpoint.server.eventlog.EventLogCsv;
import io.touchpoint.server.http.CsvWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * One run of a schedule for one day: the day's CSV (the attribution report of that day with the schedule's
 * parameters, or the events log of that day in the workspace's time zone), written into its folder under the export
 * root (a temporary file renamed into place, so a reader never sees half a file) or posted to its webhook, signed as
 * webhook deliveries are and tried again with backoff while the receiver answers 408, 429, 5xx or not at all. The
 * outcome is recorded as the schedule's last run.
 */
public final class ExportRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ExportRunner.class);
    public static final String FILE_HEADER = "Touchpoint-Export-File";
    /** A webhook's tries: 5 s, 10 s, 20 s, 40 s apart (jittered), five in all. */
    public static final RetryPolicy RETRY = new RetryPolicy(Duration.ofSeconds(5), Duration.ofMinutes(2), 5, Duration.ofHours(1));
    private final ExportStore store;
    private final ExportSchedules schedules;
    private final Workspaces workspaces;
    private final EventLogStore log;
    private final AttributionStore attribution;
    private final DataDrivenRuns runs;
    private final Path root;
    private final PlatformHttp http;
    private final RetryPolicy retry;
    private final Clock clock;

    public ExportRunner(ExportStore store, ExportSchedules schedules, Workspaces workspaces, EventLogStore log,
                        AttributionStore attribution, DataDrivenRuns runs, Path root, PlatformHttp http, RetryPolicy retry,
                        Clock clock) {
        this.store = store;
        this.schedules = schedules;
        this.workspaces = workspaces;
        this.log = log;
        this.attribution = attribution;
        this.runs = runs;
        this.root = root.toAbsolutePath().normalize();
        this.http = http;
        this.retry = retry;
        this.clock = clock;
    }

    /** The day before today in the workspace's time zone: the last whole day, which a daily run exports. */
    public LocalDate yesterday(Workspace ws) {
        return clock.instant().atZone(ZoneId.of(ws.settings().timeZone())).toLocalDate().minusDays(1);
    }

    /** Runs {@code s} for {@code day} and records how it went; never throws for a failed run. */
    public LastRun run(Schedule s, LocalDate day) {
        LastRun last;
        try {
            Workspace ws = workspaces.require(s.workspaceId());
            String file = fileName(s, day);
            String where = s.folder() != null ? toFolder(s, ws, day, file) : toWebhook(s, ws, day, file);
            last = new LastRun(day, now(), "ok", where);
        } catch (ExportFailed | IOException | RuntimeException e) {
            LOG.warn("export {} of workspace {} for {} failed: {}", s.id(), s.workspaceId(), day, e.getMessage());
            last = new LastRun(day, now(), "failed", e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        store.finished(s.id(), last);
        return last;
    }

    /** Now, to the millisecond the store keeps. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** {@code <workspace id>-<report>-<day>.csv}, e.g. {@code ws_01…-attribution-campaign-2026-03-04.csv}. */
    static String fileName(Schedule s, LocalDate day) {
        String what = ExportSchedules.REPORT.equals(s.what()) ? ReportExport.name(ExportSchedules.params(s)) : "events-log";
        return s.workspaceId() + "-" + what + "-" + day + ".csv";
    }

    private String toFolder(Schedule s, Workspace ws, LocalDate day, String file) throws IOException, ExportFailed {
        Path dir = root.resolve(s.folder()).normalize();
        if (!dir.startsWith(root)) throw new ExportFailed("the folder is outside the export root");
        Files.createDirectories(dir);
        // a link inside the root must not lead out of it
        if (!dir.toRealPath().startsWith(root.toRealPath())) throw new ExportFailed("the folder leads outside the export root");
        Path tmp = Files.createTempFile(dir, "." + file, ".tmp");
        try {
            try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                write(s, ws, day, out);
            }
            Files.move(tmp, dir.resolve(file), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return s.folder() + "/" + file;
    }

    private String toWebhook(Schedule s, Workspace ws, LocalDate day, String file) throws ExportFailed {
        StringWriter out = new StringWriter();
        write(s, ws, day, out);
        String body = out.toString();
        String secret = schedules.secret(s);
        PlatformHttp.Answer a = null;
        for (int attempt = 1; attempt <= retry.maxAttempts(); attempt++) {
            if (attempt > 1) pause(a, attempt - 1);
            // signed afresh on every try: the receiver checks the timestamp
            String signature = WebhookSignature.header(secret, clock.instant().getEpochSecond(), body);
            a = http.post(s.url(), Map.of(WebhookSignature.HEADER, signature, FILE_HEADER, file,
                    "Idempotency-Key", s.id() + "-" + day), "text/csv; charset=utf-8", body);
            if (a.ok()) return "posted " + file + " (HTTP " + a.status() + ")";
            if (!PlatformHttp.transientStatus(a.status())) {
                throw new ExportFailed("the webhook refused " + file + ": " + answer(a));
            }
        }
        throw new ExportFailed("the webhook did not take " + file + " after " + retry.maxAttempts() + " tries: " + answer(a));
    }

    private void pause(PlatformHttp.Answer last, int attempts) throws ExportFailed {
        Duration wait = retry.backoff(attempts);
        if (last != null && last.retryAfter().isPresent() && last.retryAfter().get().compareTo(retry.cap()) <= 0) {
            wait = last.retryAfter().get().compareTo(wait) > 0 ? last.retryAfter().get() : wait;
        }
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExportFailed("stopped while waiting to try again");
        }
    }

    private static String answer(PlatformHttp.Answer a) {
        String summary = a.summary().length() > 200 ? a.summary().substring(0, 200) + "…" : a.summary();
        return (a.status() == 0 ? "" : "HTTP " + a.status() + " ") + summary;
    }

    private void write(Schedule s, Workspace ws, LocalDate day, Writer out) {
        if (ExportSchedules.REPORT.equals(s.what())) {
            Report report = ReportExport.read(attribution, runs, ws, ExportSchedules.params(s), day);
            try (CsvWriter csv = new CsvWriter(out, ReportCsv.header(report))) {
                ReportCsv.rows(report, csv);
            }
            return;
        }
        ZoneId zone = ZoneId.of(ws.settings().timeZone());
        Instant from = day.atStartOfDay(zone).toInstant();
        Instant to = day.plusDays(1).atStartOfDay(zone).toInstant();
        try (CsvWriter csv = new CsvWriter(out, EventLogCsv.COLUMNS)) {
            EventLogCsv.write(log, new EventLogQuery(ws.id(), null, null, null, null, from, to, null, null,
                    EventLogQuery.MAX_LIMIT, null), csv);
        }
    }

    /** A run that cannot complete, with the reason the schedule shows. */
    static final class ExportFailed extends Exception {
        ExportFailed(String message) {
            super(message);
        }
    }
}
