package io.touchpoint.storage.jdbc.identity;

import io.touchpoint.core.model.IdentifierType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The filter never rules out an identifier it was given, and rarely lets through one it was not. */
class LinkKeyFilterTest {
    @Test
    void everyKeyAddedIsKeptThroughGrowthAndFewOthersPass() {
        LinkKeyFilter f = new LinkKeyFilter(0);
        int added = 4 * LinkKeyFilter.MIN_CAPACITY; // past the first layer's capacity, twice
        for (int i = 0; i < added; i++) f.add("ws_a", IdentifierType.EMAIL, "p" + i + "@example.org");
        for (int i = 0; i < added; i++) {
            assertThat(f.mightContain("ws_a", IdentifierType.EMAIL, "p" + i + "@example.org")).as("key %d", i).isTrue();
        }
        int passed = 0;
        int asked = 100_000;
        for (int i = 0; i < asked; i++) if (f.mightContain("ws_a", IdentifierType.EMAIL, "q" + i + "@example.org")) passed++;
        // one in a hundred per layer at capacity, with three layers
        assertThat(passed).as("false positives of %d", asked).isLessThan(asked * 4 / 100);
        assertThat(f.bytes()).as("about ten bits per key").isLessThan(added * 3L);
    }

    @Test
    void theWorkspaceAndTheTypeArePartOfTheKey() {
        LinkKeyFilter f = new LinkKeyFilter(0);
        for (int i = 0; i < 1000; i++) f.add("ws_a", IdentifierType.VISITOR_TOKEN, "tok" + i);
        int passed = 0;
        for (int i = 0; i < 1000; i++) {
            if (f.mightContain("ws_b", IdentifierType.VISITOR_TOKEN, "tok" + i)) passed++;
            if (f.mightContain("ws_a", IdentifierType.CLIENT_ID, "tok" + i)) passed++;
        }
        assertThat(passed).isLessThan(10);
    }
}
