package io.touchpoint.server.attribution;

import java.util.Map;

/** {@link ReportFreshnessApiTest} with the server on PostgreSQL. */
class PostgresReportFreshnessApiTest extends ReportFreshnessApiTest {
    @Override
    protected Map<String, String> settings() {
        return onPostgres();
    }
}
