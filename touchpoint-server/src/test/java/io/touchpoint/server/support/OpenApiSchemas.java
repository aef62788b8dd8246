package io.touchpoint.server.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates JSON bodies against the schemas of an OpenAPI 3.1 document with a real JSON Schema validator
 * (networknt json-schema-validator, OpenAPI 3.1 dialect: JSON Schema 2020-12 plus OpenAPI's keywords), formats
 * asserted. A schema is named by its place in the document ({@code #/paths/~1public-api~1v1~1events/post/...}), and
 * {@code $ref}s resolve inside the document.
 *
 * <p>Answers are checked against a <em>closed</em> copy of the document: JSON Schema leaves an object open to
 * properties it does not declare (so clients tolerate fields added later, and the document says nothing else), but
 * every property the server sends must be documented, so in the copy every object schema that declares properties
 * and says nothing of others gets {@code unevaluatedProperties: false} — which sees through {@code allOf}, so the
 * parts of an {@code allOf} stay open (a component that is also a part is referenced there as an open twin).
 * Requests are checked against the document as written.
 */
public final class OpenApiSchemas {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AS_WRITTEN = "https://touchpoint.invalid/openapi.json";
    private static final String CLOSED = "https://touchpoint.invalid/openapi-closed.json";
    private static final String OPEN_TWIN = "__open";
    /** Keywords whose value is one schema, and those whose value is an array or a map of schemas. */
    private static final Set<String> ONE = Set.of("items", "not", "if", "then", "else", "contains", "propertyNames",
            "additionalProperties", "unevaluatedItems", "unevaluatedProperties", "contentSchema");
    private static final Set<String> ARRAY = Set.of("allOf", "anyOf", "oneOf", "prefixItems");
    private static final Set<String> MAP = Set.of("properties", "patternProperties", "$defs", "dependentSchemas");

    private final JsonNode doc;
    private final SchemaRegistry registry;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    public OpenApiSchemas(JsonNode document) {
        this.doc = document;
        ObjectNode closed = document.deepCopy();
        close(closed);
        String asWritten = text(document);
        String closedText = text(closed);
        SchemaRegistryConfig config = SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build();
        this.registry = SchemaRegistry.withDialect(Dialects.getOpenApi31(), b -> b
                .schemaRegistryConfig(config)
                .schemas(Map.of(AS_WRITTEN, asWritten, CLOSED, closedText)));
    }

    /** The problems of {@code json} as an answer with the schema at {@code pointer} (a JSON pointer into the document). */
    public List<String> answerErrors(String pointer, String json) {
        return errors(CLOSED, pointer, json, false);
    }

    /** The problems of {@code json} as a request body with the schema at {@code pointer}. */
    public List<String> requestErrors(String pointer, String json) {
        return errors(AS_WRITTEN, pointer, json, true);
    }

    private List<String> errors(String document, String pointer, String json, boolean request) {
        if (doc.at(pointer).isMissingNode()) throw new IllegalArgumentException("no schema at " + pointer);
        Schema schema = schemas.computeIfAbsent(document + "#" + pointer, k -> registry.getSchema(SchemaLocation.of(k)));
        List<Error> found = schema.validate(json, InputFormat.JSON, (ctx, schemaContext) -> ctx.executionConfig(c -> {
            // a request must not carry what only answers hold (readOnly), an answer not what only requests do
            if (request) c.readOnly(true);
            else c.writeOnly(true);
        }));
        List<String> out = new ArrayList<>();
        for (Error e : found) out.add(e.getInstanceLocation() + ": " + e.getMessage() + " (" + e.getSchemaLocation() + ")");
        return out;
    }

    /** The JSON pointer of {@code pointer}'s node, following {@code $ref}s inside the document. */
    public String resolve(String pointer) {
        JsonNode node = doc.at(pointer);
        for (int hops = 0; node.has("$ref") && hops < 20; hops++) {
            pointer = node.get("$ref").asText().substring(1);
            node = doc.at(pointer);
        }
        return pointer;
    }

    /** Escapes one JSON pointer segment (RFC 6901). */
    public static String segment(String s) {
        return s.replace("~", "~0").replace("/", "~1");
    }

    // ------------------------------------------------------------------------------------------------ closing

    private static void close(ObjectNode doc) {
        Set<String> parts = new HashSet<>(); // components referenced as a part of an allOf
        List<JsonNode> roots = new ArrayList<>();
        collectRoots(doc, roots, false);
        for (JsonNode root : roots) collectParts(root, parts);
        for (JsonNode root : roots) closeSchema(doc, root, false);
        ObjectNode components = (ObjectNode) doc.path("components").path("schemas");
        for (String name : parts) {
            JsonNode original = components.get(name);
            if (original == null || !original.isObject()) continue;
            ObjectNode twin = original.deepCopy();
            twin.remove("unevaluatedProperties");
            components.set(name + OPEN_TWIN, twin);
        }
        for (JsonNode root : roots) pointPartsAtTwins(root, parts);
        for (String name : parts) {
            JsonNode twin = components.get(name + OPEN_TWIN);
            if (twin != null) pointPartsAtTwins(twin, parts);
        }
    }

    /** Every schema the document holds outside other schemas: components' schemas and each {@code schema} member. */
    private static void collectRoots(JsonNode node, List<JsonNode> roots, boolean underSchemas) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                if (underSchemas) {
                    roots.add(e.getValue());
                } else if (e.getKey().equals("schema") && e.getValue().isObject()) {
                    roots.add(e.getValue());
                } else if (e.getKey().equals("schemas")) {
                    collectRoots(e.getValue(), roots, true);
                } else if (!e.getKey().equals("example") && !e.getKey().equals("examples")) {
                    collectRoots(e.getValue(), roots, false);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectRoots(n, roots, false));
        }
    }

    private static void collectParts(JsonNode schema, Set<String> parts) {
        forEachSubschema(schema, (keyword, sub) -> {
            if (keyword.equals("allOf") && sub.has("$ref")) {
                String ref = sub.get("$ref").asText();
                if (ref.startsWith("#/components/schemas/")) parts.add(ref.substring("#/components/schemas/".length()));
            }
            collectParts(sub, parts);
        });
    }

    private static void closeSchema(ObjectNode doc, JsonNode schema, boolean partOfAllOf) {
        if (!(schema instanceof ObjectNode s)) return;
        boolean open = s.has("additionalProperties") || s.has("unevaluatedProperties");
        boolean declares = s.has("properties") || s.has("allOf") && allOfDeclaresProperties(doc, s.get("allOf"));
        if (!partOfAllOf && !open && declares) s.put("unevaluatedProperties", false);
        forEachSubschema(s, (keyword, sub) -> closeSchema(doc, sub, keyword.equals("allOf")));
    }

    private static boolean allOfDeclaresProperties(JsonNode doc, JsonNode allOf) {
        for (JsonNode part : allOf) {
            JsonNode p = part;
            for (int hops = 0; p.has("$ref") && hops < 20; hops++) p = doc.at(p.get("$ref").asText().substring(1));
            if (p.has("properties") || p.has("allOf") && allOfDeclaresProperties(doc, p.get("allOf"))) return true;
        }
        return false;
    }

    private static void pointPartsAtTwins(JsonNode schema, Set<String> parts) {
        forEachSubschema(schema, (keyword, sub) -> {
            if (keyword.equals("allOf") && sub instanceof ObjectNode o && o.has("$ref")) {
                String ref = o.get("$ref").asText();
                String name = ref.startsWith("#/components/schemas/") ? ref.substring("#/components/schemas/".length()) : null;
                if (name != null && parts.contains(name)) o.put("$ref", ref + OPEN_TWIN);
            }
            pointPartsAtTwins(sub, parts);
        });
    }

    private interface SubschemaVisitor {
        void visit(String keyword, JsonNode subschema);
    }

    private static void forEachSubschema(JsonNode schema, SubschemaVisitor visitor) {
        if (!schema.isObject()) return;
        schema.properties().forEach(e -> {
            String k = e.getKey();
            JsonNode v = e.getValue();
            if (ONE.contains(k) && v.isObject()) visitor.visit(k, v);
            else if (ARRAY.contains(k) && v.isArray()) v.forEach(sub -> visitor.visit(k, sub));
            else if (MAP.contains(k) && v.isObject()) v.forEach(sub -> visitor.visit(k, sub));
        });
    }

    private static String text(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
