package io.touchpoint.core.consent;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A workspace's consent rules. {@code defaultMode}: what a signal the visitor (or sender) did not choose becomes:
 * granted, denied, or {@code by_region}: denied in {@code deniedRegions} and wherever the region is unknown (the
 * stricter choice), granted elsewhere. {@code limitedDataUseRegions}: where the workspace restricts the platforms'
 * processing (Meta's and TikTok's Limited Data Use); an event of an unknown region is flagged as well whenever the list
 * is not empty, and Meta then decides from its own geolocation. Regions are ISO 3166 codes: a country ({@code DE}) or a
 * subdivision ({@code US-CA}); a country covers its subdivisions.
 */
public record ConsentSettings(DefaultMode defaultMode, List<String> deniedRegions, List<String> limitedDataUseRegions) {
    public static final int MAX_REGIONS = 300;
    private static final Pattern REGION = Pattern.compile("[A-Z]{2}(-[A-Z0-9]{1,3})?");
    /** The European Economic Area, the United Kingdom and Switzerland: where consent before tracking is the law. */
    public static final List<String> EEA_UK_CH = List.of("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR",
            "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
            "IS", "LI", "NO", "GB", "CH");
    /** Granted: what a workspace did before it chose, so that upgrading changes no delivery. */
    public static final ConsentSettings DEFAULTS = new ConsentSettings(DefaultMode.GRANTED, EEA_UK_CH, List.of());

    public enum DefaultMode {
        GRANTED, DENIED, BY_REGION;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<DefaultMode> fromWireName(String name) {
            return Arrays.stream(values()).filter(m -> m.wireName().equals(name)).findFirst();
        }
    }

    public ConsentSettings {
        if (defaultMode == null) throw new IllegalArgumentException("a consent default is granted, denied or by_region");
        deniedRegions = regions(deniedRegions);
        limitedDataUseRegions = regions(limitedDataUseRegions);
    }

    /**
     * The consent an event carries: what was chosen, each unknown signal filled from the default. {@code region} is the
     * visitor's as the edge knows it (a trusted header), null when unknown; a region the sender named wins.
     */
    public Consent resolve(Consent chosen, String region) {
        String where = chosen.region() != null ? chosen.region() : region(region).orElse(null);
        ConsentState fallback = switch (defaultMode) {
            case GRANTED -> ConsentState.GRANTED;
            case DENIED -> ConsentState.DENIED;
            case BY_REGION -> where == null || covers(deniedRegions, where) ? ConsentState.DENIED : ConsentState.GRANTED;
        };
        boolean defaulted = Consent.SIGNALS.stream().anyMatch(s -> chosen.state(s) == ConsentState.UNKNOWN);
        boolean limited = !limitedDataUseRegions.isEmpty() && (where == null || covers(limitedDataUseRegions, where));
        return chosen.map(s -> chosen.state(s) == ConsentState.UNKNOWN ? fallback : chosen.state(s), where, defaulted,
                limited);
    }

    /** What a signal nobody chose becomes for a visitor of {@code region} (null when unknown). */
    public ConsentState defaultFor(String region) {
        return resolve(Consent.UNKNOWN, region).adStorage();
    }

    /** A region code as stored: upper case, {@code DE} or {@code US-CA}; empty when {@code raw} is none. */
    public static Optional<String> region(String raw) {
        if (raw == null) return Optional.empty();
        String r = raw.strip().toUpperCase(Locale.ROOT);
        return REGION.matcher(r).matches() ? Optional.of(r) : Optional.empty();
    }

    private static boolean covers(List<String> regions, String region) {
        for (String r : regions) {
            if (region.equals(r) || region.startsWith(r + "-")) return true;
        }
        return false;
    }

    /** Region codes as stored: upper case, without duplicates; throws naming the first that is no region. */
    public static List<String> regions(List<String> values) {
        if (values == null) return List.of();
        if (values.size() > MAX_REGIONS) throw new IllegalArgumentException("at most " + MAX_REGIONS + " regions");
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String v : values) {
            out.add(region(v).orElseThrow(() -> new IllegalArgumentException("'" + v
                    + "' is not a region: use an ISO 3166 country code such as DE, or a subdivision such as US-CA")));
        }
        return List.copyOf(out);
    }
}
