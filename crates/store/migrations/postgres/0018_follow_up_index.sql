-- dakwacht schema, version 18 (PostgreSQL): the follow-up list read from an index (issue 19.3).
--
-- The list (`queries/accounts.rs`, `follow_up`) shows an organisation's open cases that are not
-- rehoused, longest silence first. Without this index it read and sorted all of an
-- organisation's cases (553 ms for 100,000 on PostgreSQL); with it, it reads them in the list's order and stops
-- at the page's end. The expression must stay the one the list orders by, word for word.
CREATE INDEX cases_follow_up ON cases (
    organisation_id,
    (CASE WHEN current_situation IS NULL THEN COALESCE(last_seen_on, reported_on) ELSE reported_on END),
    case_ref
) WHERE rehoused_on IS NULL AND closed_on IS NULL;
