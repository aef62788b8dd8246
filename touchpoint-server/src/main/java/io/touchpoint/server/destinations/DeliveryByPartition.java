package io.touchpoint.server.destinations;

import io.touchpoint.core.destinations.OutboxEntry;
import io.touchpoint.core.stage.PartitionTurns;
import io.touchpoint.core.stage.SequenceStage;
import io.touchpoint.core.store.DestinationStore;
import io.touchpoint.core.store.SetAsideStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The delivery routing stage in Kafka mode (docs/SCALING.md): its steps take, in turn, the events stored without a
 * partition and those of each ingest log partition this process holds, each track up to the attribution stage's
 * position on it and behind a position of its own, moved in the transaction of its outbox entries and only from where
 * the step read it, so a process that lost a partition mid-step stores nothing its successor routes. Routing itself
 * (destinations, enrichment, rules) is {@link DeliveryStage}'s.
 */
final class DeliveryByPartition implements SequenceStage {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryByPartition.class);
    private final DeliveryStage routing;
    private final DestinationStore store;
    private final SequenceStage attribution;
    private final SetAsideStore setAside;
    /** The ingest log partitions this process steps: those its store writer holds. */
    private final Supplier<Set<Integer>> owned;
    private final PartitionTurns turns = new PartitionTurns();

    DeliveryByPartition(DeliveryStage routing, DestinationStore store, SequenceStage attribution, SetAsideStore setAside,
                        Supplier<Set<Integer>> owned) {
        this.routing = routing;
        this.store = store;
        this.attribution = attribution;
        this.setAside = setAside;
        this.owned = Objects.requireNonNull(owned);
    }

    @Override
    public String name() {
        return routing.name();
    }

    @Override
    public int quietBatch() {
        return routing.quietBatch();
    }

    @Override
    public int step(int limit) {
        return turns.step(owned.get(), partition -> stepTrack(partition, limit));
    }

    /** One batch of one track; 0 when it had nothing to route or another process moved its position meanwhile. */
    private int stepTrack(Integer partition, int limit) {
        OptionalLong from = store.position(partition);
        OptionalLong upTo = store.attributedOn(partition);
        if (from.isEmpty() || upTo.isEmpty()) return 0; // a partition nothing was stored from yet
        return routing.step(from.getAsLong(), upTo.getAsLong(), limit, new Track(partition));
    }

    /** A partition's events, or those stored without the log (null), each behind its own position. */
    private final class Track implements DeliveryStage.Track {
        private final Integer partition;

        Track(Integer partition) {
            this.partition = partition;
        }

        @Override
        public DestinationStore.Batch read(long from, long upTo, int limit, DeliveryStage.Wanted wanted) {
            return store.routableOn(partition, from, upTo, limit, wanted.names(), wanted.conversions());
        }

        @Override
        public boolean store(List<OutboxEntry> entries, long from, long to) {
            return store.enqueueOn(partition, entries, from, to);
        }

        /** The events routed: the sequence numbers between are mostly other partitions'. */
        @Override
        public int handled(long from, DestinationStore.Batch batch) {
            return Math.max(1, batch.events().size());
        }
    }

    /** Every event up to this one is routed: the global cursor, and just below the first unrouted event of each partition. */
    @Override
    public long cursor() {
        return store.frontier();
    }

    @Override
    public long upstream() {
        return attribution.cursor();
    }

    /** The next wanted event of the track the last step was on; the set-aside list's next when none reads. */
    @Override
    public OptionalLong next() {
        Integer partition = turns.current();
        try {
            OptionalLong from = store.position(partition);
            OptionalLong upTo = store.attributedOn(partition);
            if (from.isPresent() && upTo.isPresent()) {
                DeliveryStage.Wanted wanted = DeliveryStage.Wanted.by(routing.destinations());
                DestinationStore.Batch one = store.routableOn(partition, from.getAsLong(), upTo.getAsLong(), 1, wanted.names(),
                        wanted.conversions());
                if (!one.events().isEmpty()) return OptionalLong.of(one.events().get(0).seq());
            }
        } catch (RuntimeException e) {
            LOG.debug("the next event to route does not read: {}", e.getMessage());
        }
        return setAside.next(SetAsideStore.Stage.DELIVERY);
    }

    @Override
    public boolean processOne(long seq) {
        return routing.processOne(seq);
    }
}
