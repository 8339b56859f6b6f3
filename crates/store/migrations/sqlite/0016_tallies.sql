-- dakwacht schema, version 16 (SQLite): running counts over all cases (issue 17.5).
--
-- The quickscan report counts a million cases by their packed profile, their children's ages and
-- what they contribute to the duration estimate, their child records by packed profile, and the
-- kept signals (migration 0013) by rules version and bit set. Grouping the whole table for each report took
-- most of its time; these tables hold the same counts, kept up to date by the triggers below on
-- every write of a case, whichever code path writes it (an import sets the triggers aside and
-- adds up its own cases instead: `store/src/sqlite/tally.rs`). The report over all cases reads
-- them; a report over a selection still groups the cases it selects. A count that falls to zero
-- stays as a row with `cases = 0` (readers skip it).

CREATE TABLE tally_profile (
    profile     INTEGER PRIMARY KEY,
    cases       INTEGER NOT NULL,
    children    INTEGER NOT NULL,
    age_unknown INTEGER NOT NULL
);

-- `children_ages` is '' where the case gives no ages (NULL would not match itself in a key).
CREATE TABLE tally_ages (
    children_ages TEXT PRIMARY KEY NOT NULL,
    cases         INTEGER NOT NULL,
    children      INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE tally_survival (
    survival INTEGER PRIMARY KEY,
    cases    INTEGER NOT NULL
);

-- The child records per packed profile (`children.profile`).
CREATE TABLE tally_child_profile (
    profile INTEGER PRIMARY KEY,
    records INTEGER NOT NULL
);

-- The kept signals per rules version and bit sets (`case_signals`).
CREATE TABLE tally_signals (
    rules    INTEGER NOT NULL,
    signals  INTEGER NOT NULL,
    problems INTEGER NOT NULL,
    cases    INTEGER NOT NULL,
    PRIMARY KEY (rules, signals, problems)
) WITHOUT ROWID;

INSERT INTO tally_profile
SELECT profile, COUNT(*), SUM(children_count), SUM(children_age_unknown)
FROM cases GROUP BY profile;

INSERT INTO tally_ages
SELECT IFNULL(children_ages, ''), COUNT(*), SUM(children_count)
FROM cases GROUP BY IFNULL(children_ages, '');

INSERT INTO tally_survival SELECT survival, COUNT(*) FROM cases GROUP BY survival;

INSERT INTO tally_child_profile SELECT profile, COUNT(*) FROM children GROUP BY profile;

INSERT INTO tally_signals
SELECT rules, signals, problems, COUNT(*) FROM case_signals GROUP BY rules, signals, problems;

CREATE TRIGGER tally_case_added AFTER INSERT ON cases
BEGIN
    INSERT INTO tally_profile VALUES (NEW.profile, 1, NEW.children_count, NEW.children_age_unknown)
    ON CONFLICT (profile) DO UPDATE SET
        cases = cases + 1,
        children = children + excluded.children,
        age_unknown = age_unknown + excluded.age_unknown;
    INSERT INTO tally_ages VALUES (IFNULL(NEW.children_ages, ''), 1, NEW.children_count)
    ON CONFLICT (children_ages) DO UPDATE SET
        cases = cases + 1,
        children = children + excluded.children;
    INSERT INTO tally_survival VALUES (NEW.survival, 1)
    ON CONFLICT (survival) DO UPDATE SET cases = cases + 1;
END;

CREATE TRIGGER tally_case_removed AFTER DELETE ON cases
BEGIN
    UPDATE tally_profile SET
        cases = cases - 1,
        children = children - OLD.children_count,
        age_unknown = age_unknown - OLD.children_age_unknown
    WHERE profile = OLD.profile;
    UPDATE tally_ages SET cases = cases - 1, children = children - OLD.children_count
    WHERE children_ages = IFNULL(OLD.children_ages, '');
    UPDATE tally_survival SET cases = cases - 1 WHERE survival = OLD.survival;
END;

-- A save writes every column; the old counts come out and the new go in (the same rows when
-- nothing counted changed).
CREATE TRIGGER tally_case_changed
AFTER UPDATE OF profile, children_count, children_age_unknown, children_ages, survival ON cases
BEGIN
    UPDATE tally_profile SET
        cases = cases - 1,
        children = children - OLD.children_count,
        age_unknown = age_unknown - OLD.children_age_unknown
    WHERE profile = OLD.profile;
    UPDATE tally_ages SET cases = cases - 1, children = children - OLD.children_count
    WHERE children_ages = IFNULL(OLD.children_ages, '');
    UPDATE tally_survival SET cases = cases - 1 WHERE survival = OLD.survival;
    INSERT INTO tally_profile VALUES (NEW.profile, 1, NEW.children_count, NEW.children_age_unknown)
    ON CONFLICT (profile) DO UPDATE SET
        cases = cases + 1,
        children = children + excluded.children,
        age_unknown = age_unknown + excluded.age_unknown;
    INSERT INTO tally_ages VALUES (IFNULL(NEW.children_ages, ''), 1, NEW.children_count)
    ON CONFLICT (children_ages) DO UPDATE SET
        cases = cases + 1,
        children = children + excluded.children;
    INSERT INTO tally_survival VALUES (NEW.survival, 1)
    ON CONFLICT (survival) DO UPDATE SET cases = cases + 1;
END;

CREATE TRIGGER tally_child_added AFTER INSERT ON children
BEGIN
    INSERT INTO tally_child_profile VALUES (NEW.profile, 1)
    ON CONFLICT (profile) DO UPDATE SET records = records + 1;
END;

CREATE TRIGGER tally_child_removed AFTER DELETE ON children
BEGIN
    UPDATE tally_child_profile SET records = records - 1 WHERE profile = OLD.profile;
END;

CREATE TRIGGER tally_child_changed AFTER UPDATE OF profile ON children
BEGIN
    UPDATE tally_child_profile SET records = records - 1 WHERE profile = OLD.profile;
    INSERT INTO tally_child_profile VALUES (NEW.profile, 1)
    ON CONFLICT (profile) DO UPDATE SET records = records + 1;
END;

-- A case's kept signals are forgotten (deleted) when it changes, and with it (a cascade, which
-- fires these triggers too).
CREATE TRIGGER tally_signals_added AFTER INSERT ON case_signals
BEGIN
    INSERT INTO tally_signals VALUES (NEW.rules, NEW.signals, NEW.problems, 1)
    ON CONFLICT (rules, signals, problems) DO UPDATE SET cases = cases + 1;
END;

CREATE TRIGGER tally_signals_removed AFTER DELETE ON case_signals
BEGIN
    UPDATE tally_signals SET cases = cases - 1
    WHERE rules = OLD.rules AND signals = OLD.signals AND problems = OLD.problems;
END;

CREATE TRIGGER tally_signals_changed AFTER UPDATE ON case_signals
BEGIN
    UPDATE tally_signals SET cases = cases - 1
    WHERE rules = OLD.rules AND signals = OLD.signals AND problems = OLD.problems;
    INSERT INTO tally_signals VALUES (NEW.rules, NEW.signals, NEW.problems, 1)
    ON CONFLICT (rules, signals, problems) DO UPDATE SET cases = cases + 1;
END;
