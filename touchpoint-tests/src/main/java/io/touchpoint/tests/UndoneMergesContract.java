package io.touchpoint.tests;

import io.touchpoint.core.auth.Ids;
import io.touchpoint.core.identity.Profile;
import io.touchpoint.core.model.Commerce;
import io.touchpoint.core.model.Context;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.model.Person;
import io.touchpoint.core.model.Source;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.touchpoint.Channel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The attribution stage takes undone merges in the order they were committed, whatever the clocks of the processes
 * that undid them: an unmerge stamped earlier than one the stage has already applied is applied all the same.
 */
public abstract class UndoneMergesContract extends StoreContract {
    private Workspace ws;
    private int n;

    /** Runs one statement on the store's database, outside the store, as another process would. */
    protected abstract void execute(String sql) throws Exception;

    @BeforeEach
    void workspace() {
        ws = Fixtures.workspace("acme");
        store.workspaces().create(ws);
    }

    @Test
    void anUnmergeStampedBeforeOneAlreadyAppliedIsApplied() throws Exception {
        Event kim = mergedPurchase("kim");
        Event lee = mergedPurchase("lee");
        processAll();
        assertThat(channels(kim)).containsExactly(Channel.PAID_SOCIAL, Channel.PAID_SEARCH);
        assertThat(channels(lee)).containsExactly(Channel.PAID_SOCIAL, Channel.PAID_SEARCH);

        long kimsMerge = mergeOf(kim);
        assertThat(store.identity().unmerge(ws.id(), kimsMerge)).isTrue();
        processAll();
        assertThat(channels(kim)).containsExactly(Channel.PAID_SEARCH);

        // lee's merge is undone on a process whose clock is a minute behind the one that undid kim's
        long leesMerge = mergeOf(lee);
        assertThat(store.identity().unmerge(ws.id(), leesMerge)).isTrue();
        execute("UPDATE identity_merges SET undone_at = (SELECT undone_at - 60000 FROM identity_merges WHERE id = "
                + kimsMerge + ") WHERE id = " + leesMerge);
        processAll();
        assertThat(channels(lee)).containsExactly(Channel.PAID_SEARCH);
        assertThat(channels(kim)).containsExactly(Channel.PAID_SEARCH);
    }

    /**
     * A purchase on a phone after a search ad, whose buyer then signs up on a laptop that saw a social ad: the
     * sign-up merges the laptop into the buyer, and the social ad joins the purchase's path.
     */
    private Event mergedPurchase(String who) {
        Identifier laptop = new Identifier(IdentifierType.VISITOR_TOKEN, who + "-laptop");
        Identifier phone = new Identifier(IdentifierType.VISITOR_TOKEN, who + "-phone");
        Identifier email = new Identifier(IdentifierType.EMAIL, who + "@shop.io");
        ingest("page_view", Duration.ofDays(-6), "https://shop.example/?utm_source=facebook&utm_medium=paid_social&fbclid=F1",
                null, laptop);
        ingest("page_view", Duration.ofDays(-2), "https://shop.example/?gclid=G1", null, phone);
        Event purchase = ingest("purchase", Duration.ZERO, null, "80", phone, email);
        ingest("lead_generated", Duration.ofDays(1), null, null, laptop, email);
        return purchase;
    }

    private Event ingest(String name, Duration at, String pageUrl, String value, Identifier... ids) {
        String requestId = "req_" + ++n;
        Event e = new Event(Ids.event(), ws.id(), Source.ABLE, requestId, Fixtures.T0.plus(at), Fixtures.T0.plus(at), name,
                List.of(ids), Person.EMPTY, new Context(null, null, pageUrl, null, null, null),
                value == null ? null : new Commerce(new BigDecimal(value), "EUR", null, null, null, List.of()),
                null, false, null, "{}");
        store.ingest().commit(List.of(Fixtures.accepted(e, requestId)));
        return e;
    }

    private void processAll() {
        while (store.stages().identity().step(100) > 0 | store.stages().attribution().step(100) > 0) {
            // until both stages are caught up
        }
    }

    private List<Channel> channels(Event purchase) {
        return store.attribution().receipt(ws.id(), purchase.id()).orElseThrow().path().stream()
                .map(s -> s.touchpoint().channel()).toList();
    }

    private long mergeOf(Event purchase) {
        String profile = store.attribution().receipt(ws.id(), purchase.id()).orElseThrow().profileId();
        return store.identity().profile(ws.id(), profile).orElseThrow().merges().stream()
                .filter(m -> m.outcome().equals(Profile.MergeRecord.MERGED)).findFirst().orElseThrow().id();
    }
}
