package io.touchpoint.server.http;

import io.touchpoint.core.auth.Ids;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Answers that Jetty gives before a request reaches the routes (a request line it cannot parse, headers over
 * its limit, an unknown HTTP version, a path it refuses) in the one error shape of every other answer, so that a
 * client reads them like any other refusal.
 */
public final class JettyErrors extends ErrorHandler {

    /** The stable code of a status Jetty answers on its own. */
    static String code(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 408 -> "request_timeout";
            case 413 -> "body_too_large";
            case 414 -> "uri_too_long";
            case 431 -> "headers_too_large";
            case 505 -> "http_version_not_supported";
            default -> "http_" + status;
        };
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        String reason = (String) request.getAttribute(ERROR_MESSAGE);
        if (request.getAttribute(ERROR_EXCEPTION) instanceof HttpException e) {
            status = e.getCode();
            reason = e.getReason();
        }
        if (status < 400) status = 500;
        String id = Ids.request();
        response.setStatus(status);
        HttpFields.Mutable headers = response.getHeaders();
        headers.put(HttpHeader.CONTENT_TYPE, "application/json");
        headers.put(HttpHeader.CACHE_CONTROL, "no-store");
        headers.put(Responses.REQUEST_ID_HEADER, id);
        headers.put("X-Content-Type-Options", "nosniff");
        String base = (request.isSecure() ? "https" : "http") + "://" + authority(request);
        response.write(true, ByteBuffer.wrap(body(status, reason, base, id)), callback);
        return true;
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        String id = Ids.request();
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        fields.put(new HttpField(Responses.REQUEST_ID_HEADER, id));
        fields.put(new HttpField("X-Content-Type-Options", "nosniff"));
        return ByteBuffer.wrap(body(status, reason, "", id));
    }

    /** The error shape of {@link Responses#errorBody}; {@code base} is the server's address as the client named it. */
    static byte[] body(int status, String reason, String base, String requestId) {
        String code = code(status);
        String message = "the HTTP request was refused before it reached an endpoint: " + status + " "
                + (reason == null || reason.isBlank() ? HttpStatus.getMessage(status) : reason);
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", status >= 500 ? "api_error" : "invalid_request_error");
        error.put("code", code);
        error.put("param", null);
        error.put("message", message);
        error.put("doc_url", base + "/docs/errors#" + code);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("message", message);
        body.put("error", error);
        body.put("request_id", requestId);
        return Json.bytes(body);
    }

    /** The Host the client asked for, when it is a plain host and port; else the address it reached. */
    private static String authority(Request request) {
        String host = request.getHeaders().get(HttpHeader.HOST);
        if (host != null && host.matches("[A-Za-z0-9.\\-]+(:\\d{1,5})?|\\[[0-9A-Fa-f:.]+](:\\d{1,5})?")) return host;
        String local = Request.getLocalAddr(request);
        return (local.contains(":") ? "[" + local + "]" : local) + ":" + Request.getLocalPort(request);
    }
}
