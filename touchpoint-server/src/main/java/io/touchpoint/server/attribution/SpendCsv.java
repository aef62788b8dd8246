package io.touchpoint.server.attribution;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import io.touchpoint.core.attribution.report.SpendRow;
import io.touchpoint.core.ingest.FieldError;
import io.touchpoint.core.touchpoint.Platform;
import io.touchpoint.server.http.ApiException;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Daily ad spend as CSV: a header naming {@code date, platform, campaign, spend, currency} and, when the file goes
 * below the campaign, {@code ad_set} and {@code ad} (and the platform's ids: {@code campaign_id, ad_set_id, ad_id}),
 * in any order. The whole file is
 * checked before anything is stored: a file with a bad line is refused with every bad line named, so an import
 * never half-happens. Spend is kept in the workspace's currency; a line in another currency is refused rather than
 * converted at a rate nobody chose.
 */
final class SpendCsv {
    static final List<String> HEADER = List.of("date", "platform", "campaign", "spend", "currency");
    static final List<String> OPTIONAL = List.of("campaign_id", "ad_set", "ad_set_id", "ad", "ad_id");
    static final int MAX_ROWS = 100_000;
    private static final int MAX_ERRORS = 20;
    private static final CsvMapper CSV = new CsvMapper();

    private static final Map<String, Platform> ALIASES = Map.of("facebook", Platform.META, "instagram", Platform.META,
            "bing", Platform.MICROSOFT, "twitter", Platform.X, "google ads", Platform.GOOGLE, "adwords", Platform.GOOGLE);

    private SpendCsv() {
    }

    static List<SpendRow> parse(String text, String currency) {
        List<List<String>> lines = new ArrayList<>();
        try (MappingIterator<List<String>> it = CSV.readerForListOf(String.class).with(CsvParser.Feature.WRAP_AS_ARRAY)
                .with(CsvParser.Feature.TRIM_SPACES).with(CsvParser.Feature.SKIP_EMPTY_LINES).readValues(text)) {
            while (it.hasNext()) {
                lines.add(it.next());
                if (lines.size() > MAX_ROWS + 1) throw ApiException.invalidValue("body", "at most " + MAX_ROWS + " lines per import");
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ApiException a) throw a;
            throw ApiException.invalidValue("body", "the body is not readable CSV: " + e.getMessage());
        }
        if (lines.isEmpty()) throw ApiException.invalidValue("body", "the CSV is empty; its first line is the header " + String.join(",", HEADER));
        List<String> header = lines.get(0).stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).toList();
        boolean known = header.stream().allMatch(h -> HEADER.contains(h) || OPTIONAL.contains(h));
        if (!header.containsAll(HEADER) || !known || header.stream().distinct().count() != header.size()) {
            throw ApiException.invalidValue("header", "the first line must be the header " + String.join(",", HEADER)
                    + ", optionally with " + String.join(", ", OPTIONAL) + " (in any order, each once)");
        }
        Map<String, Integer> at = new java.util.HashMap<>();
        for (int i = 0; i < header.size(); i++) at.put(header.get(i), i);
        List<FieldError> errors = new ArrayList<>();
        List<SpendRow> rows = new ArrayList<>();
        for (int i = 1; i < lines.size() && errors.size() < MAX_ERRORS; i++) {
            String where = "line " + (i + 1);
            List<String> l = lines.get(i);
            if (l.size() != header.size()) {
                errors.add(new FieldError(where, FieldError.INVALID_VALUE, where + " has " + l.size() + " fields, not " + header.size()));
                continue;
            }
            java.util.function.Function<String, String> field = name -> at.containsKey(name) ? l.get(at.get(name)) : "";
            LocalDate day = null;
            try {
                day = LocalDate.parse(field.apply("date"));
            } catch (DateTimeParseException e) {
                errors.add(new FieldError(where + ".date", FieldError.INVALID_VALUE, where + ": date must be YYYY-MM-DD"));
            }
            Platform platform = platform(field.apply("platform"));
            if (platform == null) errors.add(new FieldError(where + ".platform", FieldError.INVALID_VALUE, where
                    + ": platform must be one of google, meta, microsoft, tiktok, linkedin, x"));
            String campaign = field.apply("campaign");
            if (campaign.isEmpty() || campaign.length() > 500) errors.add(new FieldError(where + ".campaign",
                    FieldError.INVALID_VALUE, where + ": campaign must be 1 to 500 characters"));
            Map<String, String> optional = new java.util.HashMap<>();
            for (String name : OPTIONAL) {
                String v = field.apply(name);
                if (v.length() > 500) errors.add(new FieldError(where + "." + name, FieldError.INVALID_VALUE,
                        where + ": " + name + " must be at most 500 characters"));
                if (!v.isEmpty()) optional.put(name, v);
            }
            if (optional.containsKey("ad") && !optional.containsKey("ad_set") && !optional.containsKey("ad_set_id")) {
                errors.add(new FieldError(where + ".ad_set", FieldError.MISSING, where + ": an ad needs its ad_set"));
            }
            BigDecimal spend = null;
            try {
                spend = new BigDecimal(field.apply("spend"));
                if (spend.signum() < 0) throw new NumberFormatException();
            } catch (NumberFormatException e) {
                spend = null;
                errors.add(new FieldError(where + ".spend", FieldError.INVALID_VALUE, where + ": spend must be a number from 0"));
            }
            if (!currency.equalsIgnoreCase(field.apply("currency"))) errors.add(new FieldError(where + ".currency", FieldError.INVALID_VALUE,
                    where + ": currency must be the workspace's (" + currency + ")"));
            if (day != null && platform != null && spend != null) {
                rows.add(new SpendRow(day, platform.wireName(), optional.get("campaign_id"), campaign, optional.get("ad_set_id"),
                        optional.get("ad_set"), optional.get("ad_id"), optional.get("ad"), spend, currency));
            }
        }
        if (!errors.isEmpty()) throw ApiException.validation(errors);
        return rows;
    }

    private static Platform platform(String s) {
        String v = s.strip().toLowerCase(Locale.ROOT);
        if (ALIASES.containsKey(v)) return ALIASES.get(v);
        for (Platform p : Platform.values()) if (p != Platform.NONE && p.wireName().equals(v)) return p;
        return null;
    }

}
