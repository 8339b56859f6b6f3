-- dakwacht schema, version 21 (SQLite): the cases whose kept signals (migration 0013) are due.
--
-- Before signals are counted or a list is filtered by one, the cases that keep none under the
-- current rules are worked out; finding them read every case (0.7 s at a million, on every signal
-- filter after a save: BENCHMARKS.md, issue 19.3). The triggers below note each case that loses
-- its kept signals (a change of the case or of a child record, which deletes them) and each case
-- that is created, so the search reads this short list instead. The list is a shortcut, never the
-- truth: `store/src/sqlite/signals.rs` takes it only when it holds as many cases as the running
-- counts say are missing, and reads every case otherwise (after an import, which sets the insert
-- trigger aside, or under a new rules file).
CREATE TABLE signals_due (
    case_id INTEGER PRIMARY KEY
);

INSERT INTO signals_due
SELECT c.id FROM cases c WHERE NOT EXISTS (SELECT 1 FROM case_signals s WHERE s.case_id = c.id);

CREATE TRIGGER signals_due_case_added AFTER INSERT ON cases
BEGIN
    INSERT OR IGNORE INTO signals_due VALUES (NEW.id);
END;

-- Also fired by the cascade when a case is deleted: a case that is gone is not due.
CREATE TRIGGER signals_due_forgotten AFTER DELETE ON case_signals
WHEN EXISTS (SELECT 1 FROM cases WHERE id = OLD.case_id)
BEGIN
    INSERT OR IGNORE INTO signals_due VALUES (OLD.case_id);
END;

CREATE TRIGGER signals_due_case_removed AFTER DELETE ON cases
BEGIN
    DELETE FROM signals_due WHERE case_id = OLD.id;
END;
