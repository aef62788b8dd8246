package io.touchpoint.server.http;

import io.touchpoint.core.ingest.FieldError;

import java.util.List;
import java.util.Map;

/**
 * An error answer in the one error shape of docs/ERRORS.md:
 * {@code {"message", "error": {"type", "code", "param", "doc_url"}, "request_id"}}.
 */
public class ApiException extends RuntimeException {
    private final int status;
    private final String type;
    private final String code;
    private final String param;
    private final List<FieldError> details;
    private final Map<String, String> headers;

    public ApiException(int status, String type, String code, String message, String param,
                        List<FieldError> details, Map<String, String> headers) {
        super(message, null, false, false); // control flow, not a fault: no stack trace
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
        this.details = details == null ? List.of() : details;
        this.headers = headers == null ? Map.of() : headers;
    }

    public static ApiException invalid(int status, String code, String message) {
        return new ApiException(status, "invalid_request_error", code, message, null, null, null);
    }

    /** 400 {@code invalid_parameter}: a query or path parameter the endpoint cannot use, named in {@code param}. */
    public static ApiException invalidParameter(String param, String message) {
        return new ApiException(400, "invalid_request_error", "invalid_parameter", message, param, null, null);
    }

    /**
     * 400 {@code invalid_parameter} for several query parameters at once: {@code param} names the first, and
     * {@code error.details} each.
     */
    public static ApiException invalidParameters(String message, List<FieldError> details) {
        return new ApiException(400, "invalid_request_error", "invalid_parameter", message, details.get(0).param(),
                details, null);
    }

    /** 422 {@code invalid_value}: one field of the body has a value the endpoint cannot take. */
    public static ApiException invalidValue(String param, String message) {
        return validation(List.of(new FieldError(param, FieldError.INVALID_VALUE, message)));
    }

    /** 500: the server failed, not the request; the message says whether it is safe to retry. */
    public static ApiException serverError(String code, String message) {
        return new ApiException(500, "api_error", code, message, null, null, null);
    }

    public static ApiException validation(List<FieldError> errors) {
        FieldError first = errors.get(0);
        String message = errors.size() == 1 ? first.message()
                : first.message() + " (and " + (errors.size() - 1) + " more: see error.details)";
        return new ApiException(422, "invalid_request_error", first.code(), message, first.param(), errors, null);
    }

    public static ApiException authentication(String code, String message) {
        return new ApiException(401, "authentication_error", code, message, null, null,
                Map.of("WWW-Authenticate", "Bearer"));
    }

    public static ApiException permission(String code, String message) {
        return new ApiException(403, "permission_error", code, message, null, null, null);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "invalid_request_error", "not_found", message, null, null, null);
    }

    public static ApiException rateLimited(long retryAfterSeconds) {
        return new ApiException(429, "rate_limit_error", "rate_limited",
                "too many requests for this workspace; retry after " + retryAfterSeconds + " s", null, null,
                Map.of("Retry-After", Long.toString(retryAfterSeconds)));
    }

    public static ApiException overloaded(long retryAfterSeconds) {
        return new ApiException(503, "api_error", "overloaded",
                "the server is busy committing earlier events; retry after " + retryAfterSeconds + " s", null, null,
                Map.of("Retry-After", Long.toString(retryAfterSeconds)));
    }

    /** Too many refused requests from one client address (no workspace's limit applies to them). */
    public static ApiException rateLimitedAddress(long retryAfterSeconds) {
        return new ApiException(429, "rate_limit_error", "rate_limited",
                "too many refused requests from this address; retry after " + retryAfterSeconds + " s", null, null,
                Map.of("Retry-After", Long.toString(retryAfterSeconds)));
    }

    public static ApiException storageFull(long retryAfterSeconds) {
        return new ApiException(503, "api_error", "storage_full",
                "the server's disk is full; nothing was stored, retry after " + retryAfterSeconds + " s", null, null,
                Map.of("Retry-After", Long.toString(retryAfterSeconds)));
    }

    /** Kafka mode: the brokers did not acknowledge the events in time. */
    public static ApiException logUnavailable(long retryAfterSeconds) {
        return new ApiException(503, "api_error", "log_unavailable",
                "the event log did not acknowledge the events in time; nothing was acknowledged, retry after "
                        + retryAfterSeconds + " s", null, null, Map.of("Retry-After", Long.toString(retryAfterSeconds)));
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String code() {
        return code;
    }

    public String param() {
        return param;
    }

    public List<FieldError> details() {
        return details;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
