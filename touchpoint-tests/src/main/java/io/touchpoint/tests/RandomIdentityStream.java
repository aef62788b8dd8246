package io.touchpoint.tests;

import io.touchpoint.core.identity.Guardrails;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.touchpoint.core.model.IdentifierType.*;

/**
 * Random event streams over a small identifier space, with every rule in play: strong identifiers that merge,
 * fingerprints with and without an ip inside and outside the window, click ids and cookies (which join an event
 * without a strong identifier to the one profile carrying them), blocked values, and guardrails
 * tight enough that limits, over-shared values and skipped merges happen.
 */
final class RandomIdentityStream {
    /** One event of the stream: when (after the stream's start), from which ip, with which identifiers. */
    record Item(Duration at, String ip, List<Identifier> ids) {
    }

    private RandomIdentityStream() {
    }

    static List<Item> of(Random rnd, int events) {
        int space = 3 + rnd.nextInt(8);
        List<Item> out = new ArrayList<>(events);
        Duration at = Duration.ZERO;
        for (int i = 0; i < events; i++) {
            at = at.plusMinutes(1 + rnd.nextInt(18 * 60)); // up to 18 hours apart: fingerprint windows of a day or more expire
            List<Identifier> ids = new ArrayList<>();
            for (int k = 0, n = rnd.nextInt(3); k < n; k++) ids.add(strong(rnd, space));
            if (rnd.nextBoolean()) ids.add(new Identifier(FINGERPRINT, "fp" + rnd.nextInt(space)));
            if (rnd.nextInt(3) == 0) ids.add(weak(rnd, space));
            if (rnd.nextInt(8) == 0) ids.add(rnd.nextBoolean() ? new Identifier(EMAIL, "test@test.com") : new Identifier(PHONE, "1111111111"));
            if (ids.isEmpty()) ids.add(new Identifier(VISITOR_TOKEN, "v" + rnd.nextInt(space * 2)));
            String ip = switch (rnd.nextInt(5)) {
                case 0 -> null;
                case 1, 2 -> "198.51.100.1";
                default -> "203.0.113.9";
            };
            out.add(new Item(at, ip, ids));
        }
        return out;
    }

    static Guardrails guardrails(Random rnd) {
        return Guardrails.DEFAULTS.withMaxProfilesPerValue(2 + rnd.nextInt(3))
                .withLimit(EMAIL, 1 + rnd.nextInt(2)).withLimit(CLIENT_ID, 1).withLimit(VISITOR_TOKEN, 2 + rnd.nextInt(3))
                .withLimit(GCLID, 2).withLimit(FBCLID, 2).withLimit(GA_COOKIE, 2).withLimit(FINGERPRINT, 1 + rnd.nextInt(3))
                .withFingerprintWindow(Duration.ofDays(1 + rnd.nextInt(2)));
    }

    /** A click id or cookie, Meta clicks and GA cookies in their several shapes (one value each, as linked). */
    private static Identifier weak(Random rnd, int space) {
        int v = rnd.nextInt(space);
        return switch (rnd.nextInt(6)) {
            case 0 -> new Identifier(GCLID, "w" + v);
            case 1 -> new Identifier(FBP, "w" + v);
            case 2 -> new Identifier(FBCLID, "w" + v);
            case 3 -> new Identifier(FBC, "fb.1." + (1700000000000L + rnd.nextInt(3)) + ".w" + v);
            case 4 -> new Identifier(GA_COOKIE, "GA1." + (1 + rnd.nextInt(2)) + ".7" + v + ".8");
            default -> new Identifier(GA_COOKIE, "7" + v + ".8");
        };
    }

    private static Identifier strong(Random rnd, int space) {
        IdentifierType t = switch (rnd.nextInt(4)) {
            case 0 -> EMAIL;
            case 1 -> PHONE;
            case 2 -> VISITOR_TOKEN;
            default -> CLIENT_ID;
        };
        int v = rnd.nextInt(space);
        return new Identifier(t, switch (t) {
            case EMAIL -> "u" + v + "@shop.io";
            case PHONE -> "+1415555" + (1000 + v);
            default -> t.wireName() + v;
        });
    }
}
