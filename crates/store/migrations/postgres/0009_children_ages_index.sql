-- dakwacht schema, version 9 (PostgreSQL): as SQLite's 0011, the index the child measures group
-- the cases' children_ages by.
CREATE INDEX cases_children_ages ON cases (children_ages, children_count);
