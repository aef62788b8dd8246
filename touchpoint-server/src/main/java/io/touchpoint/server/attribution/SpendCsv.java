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
 * Daily ad spend as CSV ({@code date, platform, campaign, spend, currency}, with that header). The whole file is
 * checked before anything is stored: a file with a bad line is refused with every bad line named, so an import
 * never half-happens. Spend is kept in the workspace's currency; a line in another currency is refused rather than
 * converted at a rate nobody chose.
 */
final class SpendCsv {
    static final List<String> HEADER = List.of("date", "platform", "campaign", "spend", "currency");
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
        if (!header.equals(HEADER)) throw ApiException.invalidValue("header", "the first line must be the header " + String.join(",", HEADER));
        List<FieldError> errors = new ArrayList<>();
        List<SpendRow> rows = new ArrayList<>();
        for (int i = 1; i < lines.size() && errors.size() < MAX_ERRORS; i++) {
            String where = "line " + (i + 1);
            List<String> l = lines.get(i);
            if (l.size() != HEADER.size()) {
                errors.add(new FieldError(where, FieldError.INVALID_VALUE, where + " has " + l.size() + " fields, not 5"));
                continue;
            }
            LocalDate day = null;
            try {
                day = LocalDate.parse(l.get(0));
            } catch (DateTimeParseException e) {
                errors.add(new FieldError(where + ".date", FieldError.INVALID_VALUE, where + ": date must be YYYY-MM-DD"));
            }
            Platform platform = platform(l.get(1));
            if (platform == null) errors.add(new FieldError(where + ".platform", FieldError.INVALID_VALUE, where
                    + ": platform must be one of google, meta, microsoft, tiktok, linkedin, x"));
            String campaign = l.get(2);
            if (campaign.isEmpty() || campaign.length() > 500) errors.add(new FieldError(where + ".campaign",
                    FieldError.INVALID_VALUE, where + ": campaign must be 1 to 500 characters"));
            BigDecimal spend = null;
            try {
                spend = new BigDecimal(l.get(3));
                if (spend.signum() < 0) throw new NumberFormatException();
            } catch (NumberFormatException e) {
                spend = null;
                errors.add(new FieldError(where + ".spend", FieldError.INVALID_VALUE, where + ": spend must be a number from 0"));
            }
            if (!currency.equalsIgnoreCase(l.get(4))) errors.add(new FieldError(where + ".currency", FieldError.INVALID_VALUE,
                    where + ": currency must be the workspace's (" + currency + ")"));
            if (day != null && platform != null && spend != null) rows.add(new SpendRow(day, platform.wireName(), campaign, spend, currency));
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
