package io.touchpoint.storage.jdbc.sql;

/** A link of the identity graph seen again: its key ({@code type} as stored) and its new last-seen time. */
public record LinkRefresh(String ws, String type, String value, String profileId, long lastSeen) {
}
