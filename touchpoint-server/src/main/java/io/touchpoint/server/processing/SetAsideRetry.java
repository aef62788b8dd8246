package io.touchpoint.server.processing;

import io.touchpoint.core.stage.SequenceStage;
import io.touchpoint.core.store.SetAsideStore;
import io.touchpoint.core.store.SetAsideStore.SetAsideEvent;
import io.touchpoint.core.store.SetAsideStore.Stage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An administrator's retry of a set-aside event: it runs through the stage that set it aside, out of sequence
 * order, and then through each later stage that went past it meanwhile (an event identity set aside has no profile,
 * so attribution skipped it). Each stage clears its record in the transaction that handles the event; a stage that
 * fails again keeps (or gets) a record with one more try, and the stages after it are not run.
 */
public final class SetAsideRetry {
    private final SetAsideStore setAside;
    private final Map<Stage, SequenceStage> stages = new EnumMap<>(Stage.class);
    /** One retry at a time: two of the same event at once would each handle it. */
    private final ReentrantLock lock = new ReentrantLock();

    /** @param stages every stage that sets events aside, each known by its name ({@link Stage#wireName()}) */
    public SetAsideRetry(SetAsideStore setAside, List<SequenceStage> stages) {
        this.setAside = setAside;
        for (SequenceStage s : stages) {
            this.stages.put(Stage.fromWireName(s.name()).orElseThrow(
                    () -> new IllegalArgumentException("no set-aside records for stage " + s.name())), s);
        }
        if (this.stages.size() != Stage.values().length) throw new IllegalArgumentException("a stage is missing: " + stages);
    }

    /** What a retry did: the stages that handled the event, and the one that failed again with its error, if any. */
    public record Result(SetAsideEvent record, List<Stage> handled, Stage failedAt, String error) {
        public boolean succeeded() {
            return failedAt == null;
        }
    }

    /** Retries the event; empty when no stage has it set aside (in this workspace, when one is named). */
    public Optional<Result> retry(String workspaceId, String eventId) {
        lock.lock();
        try {
            List<SetAsideEvent> records = new ArrayList<>(setAside.of(workspaceId, eventId));
            if (records.isEmpty()) return Optional.empty();
            records.sort(Comparator.comparing(SetAsideEvent::stage));
            SetAsideEvent first = records.get(0);
            long seq = first.sequence();
            List<Stage> handled = new ArrayList<>();
            for (Stage stage : Stage.values()) {
                if (stage.compareTo(first.stage()) < 0) continue;
                try {
                    if (run(stage, seq)) handled.add(stage);
                } catch (RuntimeException e) {
                    String error = StoreFailures.describe(e);
                    setAside.failedAgain(eventId, stage, error);
                    return Optional.of(new Result(first, handled, stage, error));
                }
            }
            return Optional.of(new Result(first, handled, null, null));
        } finally {
            lock.unlock();
        }
    }

    /** Runs one stage on the event; false when that stage had nothing to do for it. */
    private boolean run(Stage stage, long seq) {
        return stages.get(stage).processOne(seq);
    }
}
