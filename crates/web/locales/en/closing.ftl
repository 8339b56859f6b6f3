# Closing a case and opening it again (issue 15.8): crates/web/src/closing.rs, templates/case_closing.html.
closing-closed-on = Closed on { $date } ({ $reason })
closing-closed-note = This family is no longer on the follow-up list; the case still counts in the figures.
closing-reopen = Reopen case
closing-summary = Close case
closing-legend = Close case
closing-hint = A closed case leaves the follow-up list and still counts in the figures. You can reopen it later. After the retention period it is deleted.
closing-reason = Reason
closing-choose = Choose a reason
closing-choose-reason = Choose why the case is closed.
closing-button = Close case
