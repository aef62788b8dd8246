package io.touchpoint.core.adaccounts;

import java.util.Map;

/**
 * What a create or a change gives; null fields keep their value on a change. In {@code settings} a secret given
 * replaces the stored one, and a blank value removes the setting.
 */
public record AdAccountInput(AdPlatform platform, String name, String accountId, Map<String, String> settings,
                             Boolean enabled) {
}
