package io.touchpoint.tests;

import io.touchpoint.core.store.ExportStore;
import io.touchpoint.core.store.ExportStore.LastRun;
import io.touchpoint.core.store.ExportStore.Schedule;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Export schedules: kept per workspace with their last run, and each day's run claimed exactly once. */
public abstract class ExportStoreContract extends StoreContract {
    private static final Instant T0 = Fixtures.T0;
    private static final LocalDate DAY = LocalDate.of(2026, 3, 4);

    private static Schedule folder(String id, String ws, Instant created) {
        return new Schedule(id, ws, "daily report", "attribution_report", "group_by=campaign&model=linear", "bi/daily", null,
                null, 6, created, null);
    }

    private static Schedule webhook(String id, String ws, Instant created) {
        return new Schedule(id, ws, "log to warehouse", "events_log", "", null, "https://bi.example.com/hook", "tps1:k:sealed",
                23, created, null);
    }

    @Test
    void schedulesAreKeptPerWorkspaceWithEverythingTheyCarry() {
        Schedule a = folder("exp_a", "ws_1", T0);
        Schedule b = webhook("exp_b", "ws_1", T0.plusSeconds(1));
        Schedule c = folder("exp_c", "ws_2", T0.plusSeconds(2));
        store.exports().create(b);
        store.exports().create(a);
        store.exports().create(c);

        assertThat(store.exports().byId("exp_a")).contains(a);
        assertThat(store.exports().byId("exp_b")).contains(b);
        assertThat(store.exports().byId("exp_x")).isEmpty();
        assertThat(store.exports().list("ws_1")).containsExactly(a, b);
        assertThat(store.exports().list("ws_3")).isEmpty();
        assertThat(store.exports().all()).containsExactly(a, b, c);
    }

    @Test
    void aScheduleGoesToAFolderOrASignedWebhook() {
        assertThatThrownBy(() -> new Schedule("e", "w", "n", "events_log", "", null, null, null, 1, T0, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Schedule("e", "w", "n", "events_log", "", "f", "https://x", "s", 1, T0, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Schedule("e", "w", "n", "events_log", "", null, "https://x", null, 1, T0, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Schedule("e", "w", "n", "events_log", "", "f", null, null, 24, T0, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theLastRunIsRecordedOnTheSchedule() {
        store.exports().create(folder("exp_a", "ws_1", T0));
        LastRun failed = new LastRun(DAY, T0.plusSeconds(60), "failed", "the webhook answered 500");
        store.exports().finished("exp_a", failed);
        assertThat(store.exports().byId("exp_a").orElseThrow().lastRun()).isEqualTo(failed);
        LastRun ok = new LastRun(DAY.plusDays(1), T0.plusSeconds(120), "ok", "bi/daily/x.csv");
        store.exports().finished("exp_a", ok);
        assertThat(store.exports().list("ws_1").get(0).lastRun()).isEqualTo(ok);
    }

    @Test
    void aWebhooksSecretIsSealedAgainInPlace() {
        store.exports().create(webhook("exp_b", "ws_1", T0));
        store.exports().create(folder("exp_a", "ws_1", T0));
        assertThat(store.exports().reseal("exp_b", "tps1:k2:sealed-again")).isTrue();
        assertThat(store.exports().byId("exp_b").orElseThrow().sealedSecret()).isEqualTo("tps1:k2:sealed-again");
        assertThat(store.exports().byId("exp_b").orElseThrow().url()).isEqualTo("https://bi.example.com/hook");
        assertThat(store.exports().reseal("exp_a", "tps1:k2:x")).as("a folder export has no secret").isFalse();
        assertThat(store.exports().byId("exp_a").orElseThrow().sealedSecret()).isNull();
        assertThat(store.exports().reseal("exp_x", "tps1:k2:x")).isFalse();
    }

    @Test
    void eachDaysRunIsClaimedOnce() {
        store.exports().create(folder("exp_a", "ws_1", T0));
        store.exports().create(folder("exp_b", "ws_1", T0));
        assertThat(store.exports().claim("exp_a", DAY, T0)).isTrue();
        assertThat(store.exports().claim("exp_a", DAY, T0.plusSeconds(5))).isFalse();
        assertThat(store.exports().claim("exp_a", DAY.plusDays(1), T0)).isTrue();
        assertThat(store.exports().claim("exp_b", DAY, T0)).isTrue();
    }

    @Test
    void aRunAbandonedMidWayIsClaimedAgainOnceItsClaimIsOldAndOnlyThen() {
        store.exports().create(folder("exp_a", "ws_1", T0));
        Duration abandoned = ExportStore.ABANDONED_AFTER;
        assertThat(store.exports().claim("exp_a", DAY, T0)).isTrue();
        assertThat(store.exports().claim("exp_a", DAY, T0.plus(abandoned).minusSeconds(1))).as("still running").isFalse();
        Instant retaken = T0.plus(abandoned);
        assertThat(store.exports().claim("exp_a", DAY, retaken)).as("no run finished: its process stopped").isTrue();
        assertThat(store.exports().claim("exp_a", DAY, retaken)).as("taken over once").isFalse();
        store.exports().finished("exp_a", new LastRun(DAY.minusDays(1),
                retaken.plusSeconds(30), "ok", "written"));
        assertThat(store.exports().claim("exp_a", DAY, retaken.plus(abandoned).plus(abandoned))).as("it finished").isFalse();
    }

    @Test
    void aRunIsTakenOverOnlyWhenItsOwnClaimWasAbandoned() {
        store.exports().create(folder("exp_a", "ws_1", T0));
        Instant late = T0.plus(ExportStore.ABANDONED_AFTER);
        assertThat(store.exports().takeOver("exp_a", DAY, late)).as("never claimed").isFalse();
        assertThat(store.exports().claim("exp_a", DAY, T0)).isTrue();
        assertThat(store.exports().takeOver("exp_a", DAY, late.minusSeconds(1))).as("still running").isFalse();
        // a later day's run finishing says nothing of this one
        assertThat(store.exports().claim("exp_a", DAY.plusDays(1), T0.plusSeconds(60))).isTrue();
        store.exports().finished("exp_a", new LastRun(DAY, T0.plusSeconds(90), "ok", "written"));
        assertThat(store.exports().takeOver("exp_a", DAY, late)).as("abandoned").isTrue();
        assertThat(store.exports().takeOver("exp_a", DAY, late)).as("taken over once").isFalse();
        assertThat(store.exports().claim("exp_a", DAY, late.plus(ExportStore.ABANDONED_AFTER))).as("abandoned again")
                .isTrue();
        store.exports().finished("exp_a", new LastRun(DAY.minusDays(1), late.plusSeconds(30), "failed", "HTTP 500"));
        Instant muchLater = late.plus(ExportStore.ABANDONED_AFTER).plus(ExportStore.ABANDONED_AFTER);
        assertThat(store.exports().takeOver("exp_a", DAY, muchLater)).as("it finished, failed or not").isFalse();
        assertThat(store.exports().claim("exp_a", DAY, muchLater)).isFalse();
        assertThat(store.exports().takeOver("exp_a", DAY.plusDays(1), muchLater)).as("finished").isFalse();
    }

    @Test
    void ofManyClaimsAtOnceExactlyOneWins() throws Exception {
        store.exports().create(folder("exp_a", "ws_1", T0));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> claims = new ArrayList<>();
            for (int i = 0; i < 8; i++) claims.add(() -> store.exports().claim("exp_a", DAY, T0));
            long won = 0;
            for (Future<Boolean> f : pool.invokeAll(claims)) if (f.get()) won++;
            assertThat(won).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aDeletedScheduleTakesItsClaimsWithIt() {
        store.exports().create(folder("exp_a", "ws_1", T0));
        assertThat(store.exports().claim("exp_a", DAY, T0)).isTrue();
        assertThat(store.exports().delete("exp_a")).isTrue();
        assertThat(store.exports().delete("exp_a")).isFalse();
        assertThat(store.exports().byId("exp_a")).isEmpty();
        store.exports().create(folder("exp_a", "ws_1", T0));
        assertThat(store.exports().claim("exp_a", DAY, T0)).isTrue();
    }
}
