package io.touchpoint.core.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Prefixed ULIDs: 10 characters of milliseconds, 16 random, Crockford base 32, sortable by creation. */
class IdsTest {
    private static final String CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("kinds")
    void idsCarryTheirPrefixAndA26CharacterUlid(String prefix, Supplier<String> id) {
        String value = id.get();
        assertThat(value).matches(prefix + "[0-9A-HJKMNP-TV-Z]{26}");
    }

    static Stream<Arguments> kinds() {
        return Stream.of(
                Arguments.of("evt_", (Supplier<String>) Ids::event),
                Arguments.of("req_", (Supplier<String>) Ids::request),
                Arguments.of("ws_", (Supplier<String>) Ids::workspace),
                Arguments.of("tok_", (Supplier<String>) Ids::token));
    }

    @Test
    void timePartIsTheCreationMillisecond() {
        long before = System.currentTimeMillis();
        String ulid = Ids.ulid();
        long after = System.currentTimeMillis();
        assertThat(decodeMillis(ulid.substring(0, 10))).isBetween(before, after);
    }

    @Test
    void orderFollowsCreationAcrossMilliseconds() throws InterruptedException {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            created.add(Ids.event());
            Thread.sleep(2);
        }
        assertThat(created).isSorted().doesNotHaveDuplicates();
        assertThat(created.getFirst()).isLessThan(created.getLast());
    }

    @Test
    void idsAreUnique() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 50_000; i++) seen.add(Ids.ulid());
        assertThat(seen).hasSize(50_000);
    }

    @Test
    void randomPartVaries() {
        Set<Character> lastChars = new HashSet<>();
        for (int i = 0; i < 200; i++) lastChars.add(Ids.ulid().charAt(25));
        assertThat(lastChars.size()).isGreaterThan(16); // 32 possible; all-equal would mean no randomness
    }

    private static long decodeMillis(String tenChars) {
        long millis = 0;
        for (char c : tenChars.toCharArray()) millis = millis * 32 + CROCKFORD.indexOf(c);
        return millis;
    }

    @Test
    void orderFollowsCreationWithinOneMillisecond() {
        java.util.List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 10_000; i++) ids.add(Ids.event());
        assertThat(ids).isSorted().doesNotHaveDuplicates();
    }
}
