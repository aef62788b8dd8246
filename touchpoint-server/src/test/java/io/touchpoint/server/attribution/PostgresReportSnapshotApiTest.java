package io.touchpoint.server.attribution;

import java.util.Map;

/** {@link ReportSnapshotApiTest} with the server on PostgreSQL: the file lives in the data folder all the same. */
class PostgresReportSnapshotApiTest extends ReportSnapshotApiTest {
    @Override
    protected Map<String, String> store() {
        return Map.of("db", io.touchpoint.tests.PostgresTestDatabase.freshSchemaUrl());
    }
}
