package io.touchpoint.server.audit;

import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One route the audit trail records: the action a success ({@code 2xx}) records, what it was done to, and what its
 * detail keeps. Values are kept only from the fields named here, chosen as ones that are never secret (names,
 * types, scopes, counts); of the rest of a body only the field names are kept. Built fluently, once, in
 * {@link AuditedRoutes}.
 */
final class AuditedRoute {
    /** Where an id is read: a path parameter, or a field of the JSON answer ({@code data.workspace_id}). */
    interface Source {
        String read(AuditTrail.Call call);
    }

    static Source path(String param) {
        return call -> call.pathParam(param);
    }

    static Source answer(String field) {
        return call -> call.answerField(field);
    }

    final String route;
    final String action;
    String targetKind;
    Source targetId;
    Source workspace = answer("workspace_id");
    Predicate<Context> when = ctx -> true;
    int failedStatus;
    String failedAction;
    boolean fieldNames;
    final List<String> keptFields = new ArrayList<>();
    final List<String> answerFields = new ArrayList<>();
    final List<String> queryParams = new ArrayList<>();
    final Map<String, Object> fixed = new LinkedHashMap<>();

    private AuditedRoute(String route, String action) {
        this.route = route;
        this.action = action;
    }

    /** {@code route} is "METHOD /path/{param}" as the router declares it. */
    static AuditedRoute on(String route, String action) {
        return new AuditedRoute(route, action);
    }

    AuditedRoute target(String kind, Source id) {
        this.targetKind = kind;
        this.targetId = id;
        return this;
    }

    /** Where the workspace's id is when no access guard noted it; the answer's {@code workspace_id} unless told. */
    AuditedRoute workspace(Source source) {
        this.workspace = source;
        return this;
    }

    /** Recorded only for the requests {@code condition} takes (e.g. a report asked for as CSV). */
    AuditedRoute when(Predicate<Context> condition) {
        this.when = condition;
        return this;
    }

    /** An answer of {@code status} records {@code action} too (a refused sign-in). */
    AuditedRoute failing(int status, String action) {
        this.failedStatus = status;
        this.failedAction = action;
        return this;
    }

    /** The names of the fields the body set (one level into objects: {@code settings.access_token}), no values. */
    AuditedRoute fieldNames() {
        this.fieldNames = true;
        return this;
    }

    /** The values of these body fields, none of which is ever a secret. */
    AuditedRoute keep(String... fields) {
        keptFields.addAll(List.of(fields));
        return this;
    }

    /** These fields of the answer (counts, outcomes). */
    AuditedRoute answerFields(String... fields) {
        answerFields.addAll(List.of(fields));
        return this;
    }

    /** These query parameters (an export's range and grouping). */
    AuditedRoute query(String... params) {
        queryParams.addAll(List.of(params));
        return this;
    }

    /** A fixed entry of the detail, e.g. which settings a settings route changes. */
    AuditedRoute detail(String key, Object value) {
        fixed.put(key, value);
        return this;
    }
}
