-- Schema version 31: the people search's trigram index. A GIN index of pg_trgm trigrams over the lowered link
-- values, so that a search (lower(value) LIKE '%text%', 3 characters or more) finds the links containing its text
-- along the trigrams rather than reading every link; PostgreSQL keeps it as the identity stage adds links and erasure
-- deletes them. pg_trgm ships with PostgreSQL (contrib) and is a trusted extension, which the database's owner may
-- create. An extension is the database's, made in the schema current then: the operator class is named by that schema,
-- so that every schema of the database finds it.
DO $$
DECLARE
    trgm_schema text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        BEGIN
            CREATE EXTENSION IF NOT EXISTS pg_trgm;
        EXCEPTION
            WHEN unique_violation OR duplicate_object THEN
                NULL; -- made by another schema's migration at the same time
            WHEN OTHERS THEN
                RAISE EXCEPTION 'the people search needs PostgreSQL''s pg_trgm extension (contrib, e.g. the postgresql-contrib package): install it, or have a superuser run CREATE EXTENSION pg_trgm in this database (%)', SQLERRM;
        END;
    END IF;
    SELECT n.nspname INTO trgm_schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
        WHERE e.extname = 'pg_trgm';
    EXECUTE format('CREATE INDEX identity_links_search ON identity_links USING gin (lower(value) %I.gin_trgm_ops)', trgm_schema);
END $$;
