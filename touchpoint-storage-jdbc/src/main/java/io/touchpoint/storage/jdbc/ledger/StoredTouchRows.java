package io.touchpoint.storage.jdbc.ledger;

import io.touchpoint.core.attribution.StoredTouch;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.touchpoint.Channel;
import io.touchpoint.core.touchpoint.Platform;
import io.touchpoint.core.touchpoint.Touchpoint;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;

/** Touchpoint columns as the attribution tables store them: raw fields, platform and channel by wire name. */
public final class StoredTouchRows {
    /** The columns {@link #touchpoint} reads, in the order of {@link #values}. */
    public static final String COLUMNS = "source, medium, campaign, term, content, click_id_type, platform, channel,"
            + " campaign_id, ad_set_id, ad_id";

    /** As many parameter marks as {@link #COLUMNS} has columns, joined by commas. */
    public static final String MARKS = String.join(", ", java.util.Collections.nCopies(COLUMNS.split(",").length, "?"));

    private StoredTouchRows() {
    }

    public static Object[] values(Touchpoint t) {
        return new Object[]{t.source(), t.medium(), t.campaign(), t.term(), t.content(),
                t.clickIdType() == null ? null : t.clickIdType().wireName(), t.platform().wireName(), t.channel().wireName(),
                t.campaignId(), t.adSetId(), t.adId()};
    }

    public static Touchpoint touchpoint(ResultSet rs, String clickId) throws SQLException {
        IdentifierType clickType = rs.getString("click_id_type") == null ? null
                : IdentifierType.fromWireName(rs.getString("click_id_type")).orElse(null);
        return new Touchpoint(rs.getString("source"), rs.getString("medium"), rs.getString("campaign"),
                rs.getString("term"), rs.getString("content"), clickType, clickId,
                Platform.valueOf(rs.getString("platform").toUpperCase(Locale.ROOT)),
                Channel.valueOf(rs.getString("channel").toUpperCase(Locale.ROOT)), rs.getString("campaign_id"),
                rs.getString("ad_set_id"), rs.getString("ad_id"));
    }

    /** A row of attribution_touchpoints selected with id, started_at, last_seen_at, click_id and {@link #COLUMNS}. */
    public static StoredTouch stored(ResultSet rs) throws SQLException {
        return new StoredTouch(rs.getLong("id"), Instant.ofEpochMilli(rs.getLong("started_at")),
                Instant.ofEpochMilli(rs.getLong("last_seen_at")), touchpoint(rs, rs.getString("click_id")));
    }
}
