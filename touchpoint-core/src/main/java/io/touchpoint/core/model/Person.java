package io.touchpoint.core.model;

import java.util.Map;

/** What an event says about the person behind it; fields are null when not sent. */
public record Person(String email, String phone, String firstName, String lastName, String fullName,
                     Map<String, Object> attributes) {
    public static final Person EMPTY = new Person(null, null, null, null, null, Map.of());

    public Person {
        attributes = attributes == null ? Map.of() : attributes;
    }
}
