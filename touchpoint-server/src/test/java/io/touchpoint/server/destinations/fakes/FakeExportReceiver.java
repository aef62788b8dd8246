package io.touchpoint.server.destinations.fakes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A BI tool's endpoint for scheduled exports, as docs/EXPORTS.md asks it to behave: POST with a CSV body
 * ({@code text/csv}), {@code Touchpoint-Signature} verified with {@link WebhookSignature} against the raw body (400
 * when missing, wrong or stale), the file's name in {@code Touchpoint-Export-File} and an {@code Idempotency-Key}.
 * Keeps every file it took; {@link #failNext} makes it answer failures first.
 */
public final class FakeExportReceiver extends FakePlatform {
    private final String secret;
    private final List<Received> files = new ArrayList<>();

    /** A file taken: its name, its key and its CSV. */
    public record Received(String name, String idempotencyKey, String csv) {
    }

    public FakeExportReceiver(String secret) {
        this.secret = secret;
    }

    public synchronized List<Received> files() {
        return List.copyOf(files);
    }

    @Override
    protected Answer handle(RecordedRequest request) {
        if (!"POST".equals(request.method())) return refuse(405, "exports are delivered with POST");
        WebhookSignature.Result verdict = WebhookSignature.verify(request.header(WebhookSignature.HEADER), secret, request.body(),
                now().getEpochSecond(), WebhookSignature.DEFAULT_TOLERANCE);
        if (verdict != WebhookSignature.Result.VALID) return refuse(400, "signature " + verdict.name().toLowerCase());
        String type = request.header("content-type");
        if (type == null || !type.toLowerCase().startsWith("text/csv")) return refuse(415, "Content-Type should be text/csv, was " + type);
        String name = request.header("Touchpoint-Export-File");
        String key = request.header("Idempotency-Key");
        if (name == null || key == null) return refuse(400, "no Touchpoint-Export-File or Idempotency-Key header");
        synchronized (this) {
            files.add(new Received(name, key, request.body()));
        }
        return Answer.json(200, Map.of("received", name));
    }

    private Answer refuse(int status, String reason) {
        violation(reason);
        return Answer.json(status, Map.of("error", reason));
    }
}
