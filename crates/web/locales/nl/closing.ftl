# Een casus sluiten en heropenen (issue 15.8): crates/web/src/closing.rs, templates/case_closing.html.
closing-closed-on = Gesloten op { $date } ({ $reason })
closing-closed-note = Dit gezin staat niet meer op de opvolglijst; de casus telt mee in de cijfers.
closing-reopen = Casus heropenen
closing-summary = Casus sluiten
closing-legend = Casus sluiten
closing-hint = Een gesloten casus verdwijnt van de opvolglijst en blijft meetellen in de cijfers. U kunt hem later heropenen. Na de bewaartermijn wordt hij verwijderd.
closing-reason = Reden
closing-choose = Kies een reden
closing-choose-reason = Kies waarom de casus wordt gesloten.
closing-button = Casus sluiten
