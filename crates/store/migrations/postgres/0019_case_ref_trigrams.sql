-- dakwacht schema, version 19 (PostgreSQL): the reference search read from a trigram index
-- (issue 19.3).
--
-- The case list's search takes any part of a reference (`lower(case_ref) LIKE '%…%'`), which no
-- B-tree serves: it read all of an organisation's references (144 ms for 100,000 under load).
-- A trigram index (the `pg_trgm` extension that ships with PostgreSQL) finds them in a few
-- milliseconds; it costs about 2.5 s more in a first load of a million cases. Where the
-- extension cannot be made (not installed, or the role may not), the search works as before,
-- without the index. The extension goes into `public`, the index names its operator class with
-- the schema the extension is in, so that a schema of its own (as each test has) finds it.
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'pg_trgm cannot be used (%): the reference search reads every reference', SQLERRM;
END
$$;

DO $$
DECLARE
    trgm_schema TEXT;
BEGIN
    SELECT n.nspname INTO trgm_schema
    FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
    WHERE e.extname = 'pg_trgm';
    IF trgm_schema IS NOT NULL THEN
        EXECUTE format(
            'CREATE INDEX cases_case_ref_trigrams ON cases USING gin (lower(case_ref) %I.gin_trgm_ops)',
            trgm_schema);
    END IF;
END
$$;
