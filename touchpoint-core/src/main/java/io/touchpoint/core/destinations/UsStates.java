package io.touchpoint.core.destinations;

import java.util.HashMap;
import java.util.Map;

/**
 * US state names to their two-letter codes: Meta matches US states only on the code, and forms often send the
 * name. Keys are the names in lower case without spaces or punctuation, as {@link MatchKeys} leaves them.
 */
final class UsStates {
    private static final String TABLE = "alabama:al,alaska:ak,arizona:az,arkansas:ar,california:ca,colorado:co,"
            + "connecticut:ct,delaware:de,districtofcolumbia:dc,washingtondc:dc,florida:fl,georgia:ga,hawaii:hi,"
            + "idaho:id,illinois:il,indiana:in,iowa:ia,kansas:ks,kentucky:ky,louisiana:la,maine:me,maryland:md,"
            + "massachusetts:ma,michigan:mi,minnesota:mn,mississippi:ms,missouri:mo,montana:mt,nebraska:ne,"
            + "nevada:nv,newhampshire:nh,newjersey:nj,newmexico:nm,newyork:ny,northcarolina:nc,northdakota:nd,"
            + "ohio:oh,oklahoma:ok,oregon:or,pennsylvania:pa,rhodeisland:ri,southcarolina:sc,southdakota:sd,"
            + "tennessee:tn,texas:tx,utah:ut,vermont:vt,virginia:va,washington:wa,westvirginia:wv,wisconsin:wi,"
            + "wyoming:wy,puertorico:pr,guam:gu,americansamoa:as,northernmarianaislands:mp,usvirginislands:vi";
    private static final Map<String, String> CODES = new HashMap<>();

    static {
        for (String pair : TABLE.split(",")) {
            String[] kv = pair.split(":");
            CODES.put(kv[0], kv[1]);
        }
    }

    private UsStates() {
    }

    /** The code for a squeezed, lower-case state name, or the input unchanged when it names no US state. */
    static String code(String squeezedName) {
        return CODES.getOrDefault(squeezedName, squeezedName);
    }
}
