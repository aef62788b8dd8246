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
 * fingerprints with and without an ip inside and outside the window, weak ids, blocked values, and guardrails
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
            if (rnd.nextInt(3) == 0) ids.add(new Identifier(rnd.nextBoolean() ? GCLID : FBP, "w" + rnd.nextInt(space)));
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
                .withLimit(GCLID, 2).withLimit(FINGERPRINT, 1 + rnd.nextInt(3))
                .withFingerprintWindow(Duration.ofDays(1 + rnd.nextInt(2)));
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
