package io.touchpoint.core.admin;

import io.touchpoint.core.model.ApiToken;

/** A new token and its secret, which exists only here: the store keeps its hash. */
public record CreatedToken(ApiToken token, String secret) {
}
