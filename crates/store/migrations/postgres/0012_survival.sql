-- dakwacht schema, version 12 (PostgreSQL): each case keeps what it contributes to the duration
-- estimate packed in one number; see the SQLite migration 0014_survival.sql for the layout and
-- why. The cases stored before get theirs here, as `Contribution::of` computes it.
ALTER TABLE cases ADD COLUMN survival BIGINT NOT NULL DEFAULT 0;

UPDATE cases SET survival = CASE
    WHEN homeless_months IS NOT NULL THEN
        2
        + 4 * ((CASE WHEN rehoused_on IS NOT NULL THEN 1 ELSE 0 END) + 2 * homeless_months)
        + 4194304 * (CASE WHEN rehoused_on IS NULL AND current_situation IS NULL
                          THEN 1 + 2 * homeless_months
                          ELSE (CASE WHEN rehoused_on IS NOT NULL THEN 1 ELSE 0 END)
                               + 2 * homeless_months END)
        + 4398046511104 * (CASE WHEN rehoused_on IS NULL AND current_situation IS NULL
                          THEN 2 * GREATEST(0,
                                 CAST(substr(reported_on, 1, 4) AS BIGINT) * 12
                               + CAST(substr(reported_on, 6, 2) AS BIGINT)
                               - CAST(substr(home_lost_on, 1, 4) AS BIGINT) * 12
                               - CAST(substr(home_lost_on, 6, 2) AS BIGINT)
                               - (CASE WHEN home_lost_precision = 'day'
                                        AND CAST(substr(reported_on, 9, 2) AS BIGINT)
                                          < CAST(substr(home_lost_on, 9, 2) AS BIGINT)
                                       THEN 1 ELSE 0 END))
                          ELSE (CASE WHEN rehoused_on IS NOT NULL THEN 1 ELSE 0 END)
                               + 2 * homeless_months END)
    WHEN situation_after IS NOT NULL AND situation_after <> 'housed' THEN 1
    ELSE 0
END;

CREATE INDEX cases_survival ON cases (survival);
