package io.touchpoint.core.destinations;

import io.touchpoint.core.model.Person;

import java.util.List;
import java.util.Map;

/**
 * The person's name and address as the ad platforms match on them. Names come from the person's own fields (a
 * full name split when first and last are missing); the address from the free-form attributes integrations
 * send, under the key names they commonly use.
 */
record PersonFields(String firstName, String lastName, String city, String state, String zip, String country) {
    private static final List<String> CITY = List.of("city", "town");
    private static final List<String> STATE = List.of("state", "region", "province", "state_code", "stateCode");
    private static final List<String> ZIP = List.of("zip", "zip_code", "zipCode", "zipcode", "postal_code",
            "postalCode", "postcode", "post_code");
    private static final List<String> COUNTRY = List.of("country", "country_code", "countryCode");

    static PersonFields of(Person person) {
        String first = person.firstName();
        String last = person.lastName();
        if (first == null && last == null && RequestMaps.hasText(person.fullName())) {
            // "Jane Q. Doe": the first word is the first name, the last word the last name
            String[] words = person.fullName().strip().split("\\s+");
            first = words[0];
            last = words.length > 1 ? words[words.length - 1] : null;
        }
        Map<String, Object> a = person.attributes();
        return new PersonFields(first, last, text(a, CITY), text(a, STATE), text(a, ZIP), text(a, COUNTRY));
    }

    private static String text(Map<String, Object> attributes, List<String> keys) {
        for (String key : keys) {
            Object v = attributes.get(key);
            if (v instanceof String s && !s.isBlank()) return s;
            if (v instanceof Number n) return n.toString();
        }
        return null;
    }
}
