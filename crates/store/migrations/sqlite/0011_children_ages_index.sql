-- dakwacht schema, version 11 (SQLite): the child measures count the ages of all children from
-- the cases' children_ages; grouped through this covering index instead of a sort of every case
-- (0.66 s to 0.11 s for a million cases, BENCHMARKS.md).
CREATE INDEX cases_children_ages ON cases (children_ages, children_count);
