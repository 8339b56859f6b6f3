-- dakwacht schema, version 13 (SQLite): each case's signals, kept (issue 17.5).
--
-- Counting signals by holding a million families against the rules took seconds; counting a
-- kept bit set takes a fraction of that. A row says which rules (bit i: rule i of the rules file,
-- in file order) the case raised under the rules with this fingerprint (`RuleSet::fingerprint`);
-- `problems` the rules that could not be evaluated for it. A case without a row of the current
-- fingerprint is worked out again before signals are counted.
--
-- The triggers forget a case's row whenever the case or one of its child records changes, so no
-- write can leave signals behind that no longer fit the case, whichever code path writes it.
CREATE TABLE case_signals (
    case_id  INTEGER PRIMARY KEY REFERENCES cases (id) ON DELETE CASCADE,
    rules    INTEGER NOT NULL,
    signals  INTEGER NOT NULL,
    problems INTEGER NOT NULL
);

CREATE TRIGGER case_signals_case_changed AFTER UPDATE ON cases
BEGIN
    DELETE FROM case_signals WHERE case_id = NEW.id;
END;

CREATE TRIGGER case_signals_child_added AFTER INSERT ON children
BEGIN
    DELETE FROM case_signals WHERE case_id = NEW.case_id;
END;

CREATE TRIGGER case_signals_child_changed AFTER UPDATE ON children
BEGIN
    DELETE FROM case_signals WHERE case_id = NEW.case_id;
    DELETE FROM case_signals WHERE case_id = OLD.case_id;
END;

CREATE TRIGGER case_signals_child_removed AFTER DELETE ON children
BEGIN
    DELETE FROM case_signals WHERE case_id = OLD.case_id;
END;
