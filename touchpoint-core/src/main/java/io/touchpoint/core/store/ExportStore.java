package io.touchpoint.core.store;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * Scheduled daily exports (docs/EXPORTS.md): what a workspace exports, where to, at which hour, and how its last run
 * went. Each day's run of a schedule is claimed here first ({@link #claim}), so that of several processes on one
 * database exactly one runs it.
 */
public interface ExportStore {
    /**
     * One schedule. {@code what} is {@code attribution_report} (with the report's query parameters in
     * {@code params}, as a query string) or {@code events_log}; it goes to {@code folder} (relative to the server's
     * export root) or to {@code url}, signed with the secret sealed in {@code sealedSecret}; {@code hour} is in the
     * workspace's time zone. {@code lastRun} is null until a run finished.
     */
    record Schedule(String id, String workspaceId, String name, String what, String params, String folder, String url,
                    String sealedSecret, int hour, Instant createdAt, LastRun lastRun) {
        public Schedule {
            if ((folder == null) == (url == null)) {
                throw new IllegalArgumentException("an export goes to a folder or to a webhook URL");
            }
            if (url != null && sealedSecret == null) throw new IllegalArgumentException("a webhook export is signed");
            if (hour < 0 || hour > 23) throw new IllegalArgumentException("hour must be 0 to 23");
        }
    }

    /** How the last run went: the day it exported, when it finished, {@code ok} or {@code failed}, and what it wrote or why not. */
    record LastRun(LocalDate day, Instant at, String status, String message) {
    }

    void create(Schedule schedule);

    Optional<Schedule> byId(String id);

    /** A workspace's schedules, oldest first. */
    List<Schedule> list(String workspaceId);

    /** Every workspace's schedules, for the scheduler. */
    List<Schedule> all();

    /** Removes the schedule and its claimed runs; false when there was none. */
    boolean delete(String id);

    /**
     * How long a claimed run may go unfinished before it counts as abandoned (its process stopped mid-run) and may be
     * claimed again: longer than a run with all its retries takes.
     */
    Duration ABANDONED_AFTER = Duration.ofHours(3);

    /**
     * Takes the scheduled run of {@code day} for this process: true the first time it is asked for a schedule and day,
     * whichever process asked first, and false after, unless that claim is {@link #ABANDONED_AFTER} old and its run
     * never finished; then the first to ask again takes it over.
     */
    boolean claim(String scheduleId, LocalDate day, Instant at);

    /**
     * Takes over the claimed run of {@code day} only if it was abandoned (as {@link #claim} would); false when it was
     * never claimed, is still young or finished. How a run abandoned late in its day is still run the next day.
     */
    boolean takeOver(String scheduleId, LocalDate day, Instant at);

    /**
     * Records how a run went as the schedule's last run, and the scheduled run that exports its day (claimed the day
     * after) as finished, whether it failed or not.
     */
    void finished(String scheduleId, LastRun run);

    /** Replaces a webhook schedule's sealed secret (sealed again with a new key); false when there is no such schedule. */
    boolean reseal(String scheduleId, String sealedSecret);
}
