package io.touchpoint.core.recognition;

import io.touchpoint.core.normalize.BrowserFamily;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RecognitionTest {
    static final String CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
    static final String SAFARI = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15"
            + " (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";
    static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    @Test
    void returningMeansSeenOnAnEarlierVisitAndSharesArePerFamily() {
        List<PageViewSample> sample = List.of(
                new PageViewSample(NOW, CHROME, "server_cookie", NOW.minus(Duration.ofDays(10))), // returning
                new PageViewSample(NOW, CHROME, "script_cookie", NOW.minus(Duration.ofMinutes(30))), // returning, just
                new PageViewSample(NOW, CHROME, "script_cookie", NOW.minus(Duration.ofMinutes(29))), // same visit
                new PageViewSample(NOW, SAFARI, "new", NOW), // new
                new PageViewSample(NOW, SAFARI, null, null)); // an old script, token not linked yet
        Recognition.Report r = Recognition.of(sample);
        assertThat(r.total().pageViews()).isEqualTo(5);
        assertThat(r.total().returning()).isEqualTo(2);
        assertThat(r.total().serverCookie()).isEqualTo(1);
        assertThat(r.total().share(2)).isEqualTo(0.4);
        assertThat(r.byPageViews()).extracting(Map.Entry::getKey).containsExactly(BrowserFamily.CHROME, BrowserFamily.SAFARI);
        Recognition.Counts chrome = r.families().get(BrowserFamily.CHROME);
        assertThat(chrome.view()).containsEntry("page_views", 3L).containsEntry("returning", 2L)
                .containsEntry("returning_share", 0.6667).containsEntry("server_cookie_share", 0.3333);
        Recognition.Counts safari = r.families().get(BrowserFamily.SAFARI);
        assertThat(safari.returning()).isZero();
        assertThat(safari.sources()).containsEntry("new", 1L).containsEntry("unknown", 1L);
        assertThat(Recognition.of(List.of()).total().view()).containsEntry("returning_share", null);
    }
}
