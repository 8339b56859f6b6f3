-- dakwacht schema, version 14 (SQLite): each case keeps what it contributes to the duration
-- estimate (publication spec §1) packed in one number (core::duration::Contribution::pack),
-- written with the case, so the Kaplan–Meier estimate over a million cases counts one indexed
-- column instead of reading eight.
--
-- The cases stored before get theirs here, computed as `Contribution::of` computes it (a test
-- holds the two against each other): 0 outside the estimate; 1 homeless after the loss but the
-- duration unknown; else 2 + 4·main + 2^22·optimistic + 2^42·pessimistic, each observation
-- being (rehoused ? 1 : 0) + 2·months. A family lost from view (no rehousing, no current
-- situation) is rehoused when last seen in the optimistic bound and homeless until the report
-- in the pessimistic one: whole months from `home_lost_on` to `reported_on`, one fewer when
-- both have a day and the report's day comes before the loss's.
ALTER TABLE cases ADD COLUMN survival INTEGER NOT NULL DEFAULT 0;

UPDATE cases SET survival = CASE
    WHEN homeless_months IS NOT NULL THEN
        2
        + 4 * ((rehoused_on IS NOT NULL) + 2 * homeless_months)
        + 4194304 * (CASE WHEN rehoused_on IS NULL AND current_situation IS NULL
                          THEN 1 + 2 * homeless_months
                          ELSE (rehoused_on IS NOT NULL) + 2 * homeless_months END)
        + 4398046511104 * (CASE WHEN rehoused_on IS NULL AND current_situation IS NULL
                          THEN 2 * MAX(0,
                                 CAST(substr(reported_on, 1, 4) AS INTEGER) * 12
                               + CAST(substr(reported_on, 6, 2) AS INTEGER)
                               - CAST(substr(home_lost_on, 1, 4) AS INTEGER) * 12
                               - CAST(substr(home_lost_on, 6, 2) AS INTEGER)
                               - (home_lost_precision = 'day'
                                  AND CAST(substr(reported_on, 9, 2) AS INTEGER)
                                    < CAST(substr(home_lost_on, 9, 2) AS INTEGER)))
                          ELSE (rehoused_on IS NOT NULL) + 2 * homeless_months END)
    WHEN situation_after IS NOT NULL AND situation_after <> 'housed' THEN 1
    ELSE 0
END;

CREATE INDEX cases_survival ON cases (survival);
