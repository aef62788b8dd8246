package io.touchpoint.core.adaccounts;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The ad platforms whose accounts Touchpoint reads spend from, with what a connection to each needs: the account's id
 * as the platform spells it, its plain settings and its secret ones (sealed at rest, never shown). The wire names are
 * the Platform names reports use, so synced rows group with the touchpoints of the same platform.
 */
public enum AdPlatform {
    /** A Meta ad account (the digits after {@code act_}), read with a system user's access token. */
    META("meta", "ad account id (the digits of act_…)", List.of("conversion_action"), List.of("access_token"),
            List.of("access_token")),
    /** A Google Ads customer (ten digits), read through a manager account when login_customer_id is set. */
    GOOGLE("google", "customer id (ten digits)", List.of("login_customer_id", "client_id"),
            List.of("developer_token", "client_secret", "refresh_token"),
            List.of("client_id", "developer_token", "client_secret", "refresh_token")),
    /** A TikTok advertiser, read with a Marketing API access token. */
    TIKTOK("tiktok", "advertiser id", List.of(), List.of("access_token"), List.of("access_token"));

    private final String wireName;
    private final String accountIdMeaning;
    private final List<String> plainSettings;
    private final List<String> secretSettings;
    private final List<String> requiredSettings;

    AdPlatform(String wireName, String accountIdMeaning, List<String> plainSettings, List<String> secretSettings,
               List<String> requiredSettings) {
        this.wireName = wireName;
        this.accountIdMeaning = accountIdMeaning;
        this.plainSettings = plainSettings;
        this.secretSettings = secretSettings;
        this.requiredSettings = requiredSettings;
    }

    public String wireName() {
        return wireName;
    }

    public String accountIdMeaning() {
        return accountIdMeaning;
    }

    public List<String> plainSettings() {
        return plainSettings;
    }

    public List<String> secretSettings() {
        return secretSettings;
    }

    public List<String> requiredSettings() {
        return requiredSettings;
    }

    public static Optional<AdPlatform> fromWireName(String name) {
        if (name == null) return Optional.empty();
        String n = name.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(p -> p.wireName.equals(n)).findFirst();
    }

    public static String names() {
        return String.join(", ", Arrays.stream(values()).map(AdPlatform::wireName).toList());
    }
}
