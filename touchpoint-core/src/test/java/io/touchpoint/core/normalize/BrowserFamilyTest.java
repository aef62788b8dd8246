package io.touchpoint.core.normalize;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BrowserFamilyTest {
    @Test
    void familiesOfCommonUserAgents() {
        assertThat(BrowserFamily.of("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
                + " Chrome/124.0.0.0 Safari/537.36")).isEqualTo(BrowserFamily.CHROME);
        assertThat(BrowserFamily.of("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
                + " HeadlessChrome/156.0.0.0 Safari/537.36")).isEqualTo(BrowserFamily.CHROME);
        assertThat(BrowserFamily.of("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)"
                + " Version/17.4 Safari/605.1.15")).isEqualTo(BrowserFamily.SAFARI);
        assertThat(BrowserFamily.of("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15"
                + " (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1")).isEqualTo(BrowserFamily.SAFARI);
        assertThat(BrowserFamily.of("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15"
                + " (KHTML, like Gecko) CriOS/124.0.6367.88 Mobile/15E148 Safari/604.1")).isEqualTo(BrowserFamily.CHROME_IOS);
        assertThat(BrowserFamily.of("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15"
                + " (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/459.0.0.48.104]")).isEqualTo(BrowserFamily.IN_APP);
        assertThat(BrowserFamily.of("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
                + " Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80")).isEqualTo(BrowserFamily.EDGE);
        assertThat(BrowserFamily.of("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0"))
                .isEqualTo(BrowserFamily.FIREFOX);
        assertThat(BrowserFamily.of("Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko)"
                + " SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36")).isEqualTo(BrowserFamily.SAMSUNG_INTERNET);
        assertThat(BrowserFamily.of("curl/8.5.0")).isEqualTo(BrowserFamily.OTHER);
        assertThat(BrowserFamily.of(null)).isEqualTo(BrowserFamily.OTHER);
        assertThat(BrowserFamily.CHROME_IOS.wireName()).isEqualTo("chrome_ios");
    }
}
