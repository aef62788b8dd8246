package io.touchpoint.core.audit;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Action names and filters, the cursor's text form, and an entry's detail. */
class AuditQueryTest {
    private static AuditQuery action(String filter) {
        return new AuditQuery(null, null, null, null, filter, null, null, 10);
    }

    @Test
    void anActionFilterIsOneActionOrAFamily() {
        for (String ok : List.of("token.revoked", "destination.*", "set_aside.*", "session.sign_in_failed", "a.b.*")) {
            assertThat(action(ok).action()).isEqualTo(ok);
        }
        assertThat(action("destination.*").actionPrefix()).contains("destination.");
        assertThat(action("token.revoked").actionPrefix()).isEmpty();
        for (String bad : List.of("*", "token", "Token.revoked", "token.", "token.*.x", "token revoked", "%.x", "token.r%")) {
            assertThatThrownBy(() -> action(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> new AuditQuery(null, null, null, "tok_1", null, null, null, 10))
                .hasMessageContaining("kind");
        assertThatThrownBy(() -> AuditQuery.latest(501)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCursorReadsBackWhatItWrote() {
        AuditCursor c = new AuditCursor(Instant.ofEpochMilli(1_772_360_102_311L), 1042);
        assertThat(c.toString()).isEqualTo("1772360102311_1042");
        assertThat(AuditCursor.parse(c.toString())).contains(c);
        for (String bad : List.of("", "_1", "abc", "1_x", "12")) assertThat(AuditCursor.parse(bad)).as(bad).isEmpty();
    }

    @Test
    void anEntryNeedsAnActionNameAndKeepsNoEmptyDetail() {
        Map<String, Object> detail = new HashMap<>();
        detail.put("name", "ci");
        detail.put("gone", null);
        AuditEntry e = new AuditEntry(0, Instant.EPOCH, Actor.administrator("administrator token"), null, null, null,
                "token.created", null, detail);
        assertThat(e.detail()).containsOnlyKeys("name");
        assertThat(e.withId(7).id()).isEqualTo(7);
        assertThatThrownBy(() -> new AuditEntry(0, Instant.EPOCH, e.actor(), null, null, null, "created", null, null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
