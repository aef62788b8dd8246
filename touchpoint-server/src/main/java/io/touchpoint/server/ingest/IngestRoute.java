package io.touchpoint.server.ingest;

import io.javalin.http.Context;
import io.touchpoint.core.ingest.DialectMapper;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Source;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.store.IngestResult;
import io.touchpoint.server.http.Responses;

import java.util.List;
import java.util.Map;

/**
 * What one ingest dialect is, as the {@link IngestPipeline} runs it: how the workspace is found and the caller
 * authenticated, how the body is read, which mapper turns it into events (one, or a batch), and what an accepted
 * event is answered with.
 *
 * @param source  the dialect named in the events log
 * @param caller  how the workspace is found and who may send to it
 * @param body    the body's size limit and content type
 * @param events  one event or a batch, and the mapper
 * @param reply   the answer to an accepted single event (a batch always gets the batch answer)
 */
public record IngestRoute(Source source, Caller caller, Body body, Events events, Reply reply) {

    /** How the workspace of a request is found, and the credential it needs. */
    public sealed interface Caller {
        /** A bearer token with the ingest scope selects the workspace. */
        record IngestToken() implements Caller {
        }

        /**
         * The body's {@code funnel_mark} selects workspace and funnel; a bearer token may be sent as well, and then
         * must be an ingest token of that workspace.
         */
        record FunnelMark(FunnelResolver funnels) implements Caller {
        }

        /**
         * A public key in the request (the pixel key) selects the workspace before the body is read; {@code screen}
         * then decides on the read body whether the request is kept. A bearer token, when sent, must be an ingest
         * token of that workspace.
         */
        record SiteKey(KeyLookup find, Screen screen) implements Caller {
        }

        /** The route checked HTTPS, authenticated the caller and chose the workspace before the pipeline runs. */
        record Chosen(Workspace workspace) implements Caller {
        }
    }

    /** Finds the workspace a request's public key names; refuses the request when there is none. */
    @FunctionalInterface
    public interface KeyLookup {
        Workspace find(Context ctx);
    }

    /** Whether to keep a request whose workspace is known: false when it was answered already and is not stored. */
    @FunctionalInterface
    public interface Screen {
        boolean keep(Context ctx, Workspace workspace);
    }

    /** The body's size limit and what its content type must be. */
    public record Body(int maxBytes, ContentType type) {
        public static Body json(int maxBytes) {
            return new Body(maxBytes, ContentType.JSON);
        }
    }

    public enum ContentType {
        /** A JSON object with a JSON content type. */
        JSON,
        /** A JSON object whatever the content type says ({@code sendBeacon} sends text/plain). */
        ANY,
        /** No body at all, or a JSON object with a JSON content type. */
        JSON_OR_NONE
    }

    /** How the body becomes events. */
    public sealed interface Events {
        /** The body is one event; {@code shape} makes the payload the mapper reads. */
        record Single(DialectMapper mapper, Shape shape) implements Events {
            public Single(DialectMapper mapper) {
                this(mapper, Shape.AS_SENT);
            }
        }

        /** The body is {@code {"events": [...]}} of 1 to {@code maxEvents} events, each read by {@code mapper}. */
        record Batch(DialectMapper mapper, int maxEvents) implements Events {
        }
    }

    /** The payload a single-event route's mapper reads, made from the parsed body. */
    @FunctionalInterface
    public interface Shape {
        Shape AS_SENT = (ctx, body, text) -> new Payload(body, text, List.of());

        Payload of(Context ctx, Map<String, Object> body, String text);
    }

    /**
     * What a mapper reads: the fields, the text kept in the events log, and warnings of the route's own, which go
     * ahead of the mapper's in the answer and in the log.
     */
    public record Payload(Map<String, Object> fields, String raw, List<String> warnings) {
    }

    /** An accepted (or duplicate) single event, for the route's answer. */
    public record Accepted(Workspace workspace, Event event, IngestResult result, List<String> warnings,
                           Map<String, Object> fields) {
    }

    /** Writes the answer to an accepted single event. */
    @FunctionalInterface
    public interface Reply {
        /** The answer most dialects give: {@link IngestPipeline#accepted}, 202. */
        Reply ACCEPTED = (ctx, a) -> Responses.json(ctx, 202, IngestPipeline.accepted(ctx, a.result(), a.warnings()));

        void answer(Context ctx, Accepted accepted);
    }
}
