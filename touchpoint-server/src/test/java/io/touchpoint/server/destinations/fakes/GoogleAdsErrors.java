package io.touchpoint.server.destinations.fakes;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Google Ads API error bodies as the REST transcoding renders them (proto3 JSON, lowerCamel names): a
 * google.rpc.Status {@code {"error":{"code","message","status","details":[GoogleAdsFailure]}}} for
 * request-level failures, and the same Status as {@code partialFailureError} for failed rows.
 */
final class GoogleAdsErrors {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** One element of a field path; index is null for a plain field. Names are the proto's snake_case names. */
    record PathElement(String fieldName, Integer index) {
        static PathElement field(String name) {
            return new PathElement(name, null);
        }

        static PathElement row(int index) {
            return new PathElement("conversions", index);
        }
    }

    /** One GoogleAdsError: the oneof errorCode (category such as "conversionUploadError", enum name), message, location. */
    record AdsError(String category, String code, String message, List<PathElement> path) {
        static AdsError of(String category, String code, String message, PathElement... path) {
            return new AdsError(category, code, message, List.of(path));
        }

        /** "conversions[1].gclid", the form Google appends to partial failure messages. */
        String location() {
            return path.stream().map(e -> e.index() == null ? e.fieldName() : e.fieldName() + "[" + e.index() + "]")
                    .collect(Collectors.joining("."));
        }

        String describe() {
            return category + "." + code + (path.isEmpty() ? "" : " at " + location()) + ": " + message;
        }
    }

    private GoogleAdsErrors() {
    }

    static ObjectNode failure(int version, List<AdsError> errors, String requestId) {
        ObjectNode failure = NODES.objectNode();
        failure.put("@type", "type.googleapis.com/google.ads.googleads.v" + version + ".errors.GoogleAdsFailure");
        ArrayNode list = failure.putArray("errors");
        for (AdsError error : errors) {
            ObjectNode node = list.addObject();
            node.putObject("errorCode").put(error.category(), error.code());
            node.put("message", error.message());
            if (!error.path().isEmpty()) {
                ArrayNode elements = node.putObject("location").putArray("fieldPathElements");
                for (PathElement element : error.path()) {
                    ObjectNode e = elements.addObject().put("fieldName", element.fieldName());
                    if (element.index() != null) {
                        e.put("index", element.index());
                    }
                }
            }
        }
        failure.put("requestId", requestId);
        return failure;
    }

    /** A request-level failure: HTTP status, canonical status name, and the Ads errors as details. */
    static FakePlatform.Answer rpcError(int httpStatus, String status, String message, int version, String requestId,
                                        List<AdsError> errors) {
        ObjectNode error = NODES.objectNode();
        error.put("code", httpStatus);
        error.put("message", message);
        error.put("status", status);
        if (!errors.isEmpty()) {
            error.putArray("details").add(failure(version, errors, requestId));
        }
        ObjectNode body = NODES.objectNode();
        body.set("error", error);
        return FakePlatform.Answer.json(httpStatus, body).withHeader("request-id", requestId);
    }

    static FakePlatform.Answer invalidArgument(int version, String requestId, AdsError error) {
        return rpcError(400, "INVALID_ARGUMENT", "Request contains an invalid argument.", version, requestId, List.of(error));
    }

    /** The JSON transcoder's own refusal (unknown field, wrong type), which carries a google.rpc.BadRequest. */
    static FakePlatform.Answer badJson(String field, String description) {
        ObjectNode error = NODES.objectNode();
        error.put("code", 400);
        error.put("message", description);
        error.put("status", "INVALID_ARGUMENT");
        ObjectNode detail = error.putArray("details").addObject();
        detail.put("@type", "type.googleapis.com/google.rpc.BadRequest");
        detail.putArray("fieldViolations").addObject().put("field", field).put("description", description);
        ObjectNode body = NODES.objectNode();
        body.set("error", error);
        return FakePlatform.Answer.json(400, body);
    }

    /** The partialFailureError of an upload response: code 3 and every row's error, each message ending ", at <location>". */
    static ObjectNode partialFailure(int version, String requestId, List<AdsError> errors) {
        ObjectNode status = NODES.objectNode();
        status.put("code", 3);
        status.put("message", errors.stream().map(e -> e.message() + ", at " + e.location()).collect(Collectors.joining(", ")));
        status.putArray("details").add(failure(version, errors, requestId));
        return status;
    }
}
