# Page texts, English.
# Every key is in nl/ and en/ with the same values ($name); a test checks that.

## General

skip-to-content = Skip to content
nav-label = Main menu
nav-cases = Cases
nav-follow-up = Follow-up
nav-import = Import
nav-dashboard = Dashboard
nav-accounts = Accounts
nav-organisations = Organisations
nav-audit = Audit log
nav-sign-out = Sign out
message-home = To the start page
filter-all = all
button-filter = Filter
button-show = Show
button-save = Save
button-add = Add
field-username = User name
field-password = Password
field-organisation = Organisation
column-reference = Reference
column-reported-on = Reported on
column-municipality = Municipality
column-children = Children
column-stays-now = Stays now
date-placeholder = d-m-yyyy
unknown = unknown

## First run and signing in

setup-title = Create the first administrator
setup-intro = dakwacht has no accounts yet. Create the account of the first administrator. This link works only once.
setup-password = Password (at least 12 characters)
setup-password-again = Password again
setup-button = Create administrator
login-title = Sign in
login-button = Sign in

## Cases

cases-heading = Cases of { $organisation }
cases-new = New case
cases-download = Download:
cases-download-excel = for Excel
cases-download-plain = with commas, for other programs
cases-template = Empty template (XLSX)
cases-accounts = Accounts of the organisation
cases-filter-label = Search and filter cases
cases-reference-contains = Reference contains
cases-tenancy = Tenancy
cases-signal = Signal
cases-only-out-of-view = Only out of view
cases-clear-filters = Clear all filters
cases-none-filtered = No cases found with these filters.
cases-none = There are no cases (yet).
cases-caption = Cases, sorted by reference
cases-caption-filtered = Cases that match the filters, sorted by reference
cases-scanned = Searched: { $count } cases. The search for this signal goes step by step; there may be more cases further on.
cases-search-further = Search further
cases-next-page = Next page

## One case

case-title = Case { $reference }
case-edit = Edit case
case-children = Children
child-heading = Child { $number }
child-heading-age = Child { $number } ({ $age } years)
child-no-record = No child record yet: only what the case knows about this child.
child-school-days = { $school }, { $days } school days missed
child-heard-by = yes, by { $by }
case-where-stayed = Where the family stayed
case-no-timeline = No living situations known yet.
case-timeline-caption = Living situations over time, oldest first
case-date = Date
case-situation = Living situation
case-source = Source
case-add-situation = Add a living situation
case-stayed-in = Stayed in
case-follow-up = Follow-up
case-assigned-to = This family is followed by { $name }.
case-assigned-nobody = Nobody follows this family yet.
case-eviction-on = Eviction planned on { $date }.
case-assign-label = Followed by
case-assign-nobody = nobody
case-assign-me = me
case-assign-button = Assign
case-eviction-label = Date of a coming eviction
case-eviction-hint = For example 15-1-2027. Leave empty when no eviction is coming.
case-eviction-button = Save the eviction date
eviction-date-past = This date has passed. A coming eviction is today or later.
history-created = case created
history-closed = case closed
history-reopened = case reopened
and = and
children-with-ages = { $count } ({ $ages } years)
case-all-details = All details
case-history = History
case-history-caption = Who changed what, newest first
case-history-at = When
case-history-by = Who
case-history-what = What
case-print-hint = Printing gives a summary on paper (Ctrl+P).
case-home-lost = home lost
hint-stay-date = For example 3-4-2025, or 4-2025 when only the month is known.
stay-choose = Choose where the family stays
stay-choose-situation = Choose where the family stayed.
stay-date-future = This date is in the future. Enter a date up to today.
stay-date-wrong = ‘{ $date }’ is not a date. Write for example 3-4-2025, or 4-2025 for a month.
stay-before-loss = This date is before the home was lost. Check the date.
stay-breaks-rule = The case would no longer be right: { $expected }. Check the date.
contact-legend = Contact made
contact-intro = The family still stays in the same place; this only records the contact.
contact-button = Record contact
contact-no-stay = It is not known yet where the family stays. Add a place to stay first.
case-signals = Signals
case-rules-version = Checked against the legal framework, rules version { $version }.
case-no-signals = This case raises no signals.
case-severity = severity: { $severity }
case-sources = Sources
case-next-steps = What you can do
fact-reported-on = Reported on
fact-municipality = Municipality
fact-children = Number of children
fact-home-lost-on = Home lost on
fact-route = How the home was lost
source-after-loss = right after losing the home
source-last-seen = last seen
source-rehoused = rehoused
source-report = at the report
source-recorded = recorded in dakwacht
situation-rehoused = rehoused
situation-unknown = unknown (out of view)

## Form

form-error-count = { $count ->
    [one] The form has 1 error. It is shown at the field below.
   *[other] The form has { $count } errors. They are shown at the fields below.
}

## Follow-up

follow-up-heading = Follow-up: families to contact
follow-up-intro = Families of { $organisation } that are not rehoused yet, and are out of view or were last in contact more than { $weeks } weeks ago. Those not heard from the longest come first.
follow-up-weeks = Last contact older than (weeks)
follow-up-none = No families to follow up.
follow-up-caption = { $count ->
    [one] 1 family to follow up
   *[other] { $count } families to follow up
}
follow-up-last-contact = Last contact
follow-up-intro-eviction = A registered eviction puts the family on the list { $days } days before.
follow-up-weeks-empty = Enter a number of weeks, from 1 to 104.
follow-up-weeks-wrong = The number of weeks is a whole number from 1 to 104.
follow-up-mine = Only my families
follow-up-children-at-risk = Only families with a child separated from its parents or missing school
follow-up-why = Why on the list
follow-up-assigned = Followed by
follow-up-why-out-of-view = Out of view
follow-up-why-out-of-view-since = Out of view since { $date }
follow-up-why-no-news = { $weeks ->
    [one] 1 week without news
   *[other] { $weeks } weeks without news
}
follow-up-why-eviction = Eviction on { $date }

## Import

import-heading = Import cases for { $organisation }
import-check-heading = Check before you save
import-summary = { $count ->
    [one] { $file } holds 1 case without errors.
   *[other] { $file } holds { $count } cases without errors.
}
import-existing = New: { $new }. Exist already and will be updated: { $updated }. Exist already and stay the same: { $unchanged }.
import-nothing-stored-yet = Nothing has been saved yet.
import-preview-caption = The first { $count } cases in the file
import-exists = What happens
import-effect-updated = exists, will be updated
import-effect-new = new
import-effect-unchanged = exists, stays the same
actor-command-line = { $name } (command line)
import-effect-newer = exists, newer than the file
import-newer-edit = changed by { $by } on { $at }, after the file's report date
import-newer-report = stored with a later report date ({ $date })
import-extra-columns = free columns (x_)
import-newer-heading = { $count ->
    [one] 1 case is newer than this file
   *[other] { $count } cases are newer than this file
}
import-newer-intro = Saving would undo these later changes. Choose below what happens to these cases.
import-newer-more = And { $count } more cases that are newer than the file.
import-newer-question = What should happen to the cases that are newer than the file?
import-newer-keep = Leave them as they are: skip these rows of the file
import-newer-overwrite = Overwrite them with what the file says
import-newer-title = Cases newer than the file
import-newer-choose = First choose what happens to the cases that are newer than the file. Go back to the check and make a choice.
import-newer-since-preview = A case of this file was changed since the check. Nothing was saved: check the file again.
import-changes-heading = What the file changes
import-changes-first = The first { $count } cases that will be updated, field by field.
import-change-field = Field
import-change-old = Now
import-change-new = Becomes
imported-kept-newer = { $count ->
    [one] 1 case that was newer than the file was left as it was.
   *[other] { $count } cases that were newer than the file were left as they were.
}
heavy-job-busy = You are already running an import or export. Wait until it has finished, then try again.
import-store-rejected = A case changed since the check; with these values it no longer fits. Nothing was stored.
import-confirm = { $count ->
    [one] Save the case
   *[other] Save all { $count } cases
}
import-cancel = Do not save, choose another file
import-problems-heading = { $count ->
    [one] Nothing was saved: 1 error in { $file }
   *[other] Nothing was saved: { $count } errors in { $file }
}
import-problems-intro = Correct the file and upload it again. A file is only ever saved whole, never in part.
import-problems-caption = Errors by line and column
import-problems-caption-first = Errors by line and column (the first { $count })
import-line = Line
import-column = Column
import-value = Value
import-expected = Expected
import-file = File (CSV or XLSX)
import-file-hint-before = The columns are in the
import-file-hint-template = template (XLSX)
import-file-hint-after = You see a check first; only then do you save.
import-check-button = Check
import-unreadable = The file cannot be read: { $error }.
import-no-file = Choose a CSV or XLSX file.
import-expired = This file no longer waits for confirmation (after 30 minutes, or because it was saved already). Upload it again through Import.
import-children-summary = { $count ->
    [one] { $file } holds 1 child without errors.
   *[other] { $file } holds { $count } children without errors.
}
import-children-existing = New: { $new }. Exist already and will be updated: { $updated }. Exist already and stay the same: { $unchanged }.
import-children-sheet = sheet 'kinderen' of { $file }
import-children-twice = The workbook has a sheet 'kinderen' already. Do not choose a separate children file then: nothing was checked or saved.
import-children-file = Children file (CSV, may stay empty)
import-children-file-hint = One line per child, of the cases in the file above or of cases already saved. In an XLSX file the children are on the sheet 'kinderen'; then this field is not needed.
import-in-file = File
import-stored-child = stored child { $child }
imported-children = Children from { $file }:
imported-title = Import saved
imported-file = { $file } was saved:
imported-created = { $count } new
imported-updated = { $count } updated
imported-unchanged = { $count } unchanged
imported-to-cases = To the cases

## Dashboard

dashboard-intro = Selection: { $scope }. Percentages are rounded to whole percents; numerator and denominator are given. Below each chart, the same figures are in a table.
dashboard-counted-at = These figures were counted at { $time }. With this many cases dakwacht counts them again about once a minute; a change made since then is in the next count.
dashboard-all-organisations = All organisations
dashboard-from = Home lost from
dashboard-to = Home lost up to and including
dashboard-key-figures = Key figures
dashboard-outcomes = Outcomes
dashboard-outcomes-caption = Outcomes per measure
dashboard-outcomes-desc = Bar chart of the percentages; the same figures are in the table below.
dashboard-children = Children
dashboard-duration = Duration of homelessness
dashboard-duration-intro = Kaplan–Meier estimate over whole months: families still homeless or out of view count for as long as they are known to have been homeless, not as if their homelessness ended then. The band is the 95% confidence interval.
dashboard-children-intro = Here the children are the unit: the denominators count children, not families. A child counts for a measure when its record knows the fact.
dashboard-children-caption = Outcomes per measure, counted per child
dashboard-measure = Measure
dashboard-numerator = Numerator
dashboard-denominator = Denominator
dashboard-percent = Percentage
dashboard-signals-intro = How many cases raise each signal of the legal framework (rules version { $version }).
dashboard-signals-caption = Signals per rule
dashboard-signals-desc = Bar chart of the share of cases per signal; the same figures are in the table below.
dashboard-of = Of
dashboard-months = Homes lost per month
dashboard-months-none = For no case in this selection is it known when the home was lost.
dashboard-months-intro = How many families lost their home per month (highest month: { $max }).
dashboard-months-desc = Bar chart of the number of families per month; the same figures are in the table below.
dashboard-month = Month
dashboard-families = Families

## Administration

users-heading = Accounts of { $scope }
users-created = Account ‘{ $username }’ created
users-caption = Accounts, by user name
users-role = Role
users-created-at = Created
users-status = Status
users-disabled = disabled
users-active = active
users-disable = Disable
users-disable-label = Disable { $username }
users-add = Add account
users-organisation-hint = Organisation (for coordinators and professionals)
users-no-organisation = none
organisations-none = There are no organisations yet.
organisations-add = Add organisation
organisations-name = Name
audit-intro = Who viewed, changed, imported or exported which case data when, and who managed accounts and organisations. The log can only grow. Newest first, at most { $limit } lines.
audit-filter-label = Filter the audit log
audit-actor-hint = Who (e.g. user:sanne)
audit-actor = Who
audit-action = Action
audit-case = Case
audit-none = No lines found.
audit-caption = Audit lines
audit-at = Time (Dutch time)
audit-detail = Detail

## The case form

form-group-legal = Legal help
form-group-notes = Notes
yes = yes
no = no
form-group-case = The case
form-organisation = Organisation
form-case-ref = Reference
form-case-ref-hint = Your own reference, without names.
form-reported-on = Reported on
form-group-family = The family
form-household = Household
form-children-count = Number of minor children
form-children-ages = Ages of the children
form-children-ages-hint = Separated by ;, for example 4;9. Use ? for an unknown age.
form-group-home = The home and the landlord
form-municipality = Municipality
form-tenancy = Kind of tenancy
form-group-loss = How the home was lost
form-home-lost-on = Home lost on
form-route = How
form-default-judgment = Default judgment
form-default-judgment-hint = Only for an eviction after a court ruling.
form-main-reason = Main reason
form-other-reasons = Other reasons
form-other-reasons-hint = Tick what else played a part, besides the main reason.
form-legal-support = Legal help
form-group-offered = What was offered
form-alternative-offered = Offered instead of the home
form-group-stay = Where the family stays
form-situation-after = Right after losing the home
form-current-situation = Now (on the report date)
form-current-situation-hint = Unknown means: the family is out of view.
form-last-seen-on = Last seen on
form-date-hint = Day-month-year, for example 3-4-2024 or 03-04-2024 (2024-04-03 works too).
form-date-or-month-hint = Day-month-year, for example 3-4-2024, or only the month: 4-2024.
form-last-seen-situation = Stayed then in
form-rehoused-on = Rehoused on
form-group-children = The children
form-child-heard = The children were heard
form-best-interest-weighed = The best interest of the child was weighed
form-family-separated = Children and parents separated
form-shelter-refused = Shelter refused for lack of a regional tie
form-school-disrupted = School attendance disrupted
form-notes = Notes
form-notes-hint = Do not write names or other details by which someone can be recognised.
form-field-needed = This field is needed: { $expected }.
form-field-wrong = ‘{ $value }’ is not right: { $expected }.
form-edit-heading = Edit case { $reference }
form-reference-taken = This reference already exists in your organisation. Choose another.
form-conflict = Not saved: { $by } changed this case on { $at }, after you opened it. What you entered now differs in: { $fields }. Your input is still below; open the case again to see the new version and make your changes there.
form-expected-date = a date as day-month-year, for example 3-4-2024
form-expected-date-or-month = a date as day-month-year (3-4-2024) or a month (4-2024)
form-required = this field is required
form-conflict-same = no field at all (the other person saved the same)
form-by-command-line = { $user } (at the command line)
form-busy = Not saved: the database is busy with another change for a moment, such as a large import. Nothing was changed and your input is still below. Wait half a minute, then choose Save again.

## Pages

home-not-set-up-title = dakwacht is not set up yet
home-not-set-up = Open the one-time link that dakwacht showed on the console when it started, and create the first administrator.
error-username = Choose a user name of 2 to 64 characters: lower-case letters, digits, '.', '-', '_' or '@'.
setup-passwords-differ = The two passwords are not the same.
setup-failed = The account could not be created: { $error }
login-throttled = Too many failed sign-ins. Try again in { $seconds } seconds.
login-name-too-long = A user name has at most 64 characters.
login-form-expired = The sign-in form has expired or did not come from this site. Please try again.
login-refused = User name or password is not right.

## Errors

error-forbidden = This page is not for your role. If you think you should have access, ask the coordinator or administrator of your organisation.
error-not-found = This page does not exist, or you have no access to it.
error-form-expired = The form has expired. Go back, reload the page and try again.
error-internal = Something went wrong. Please try again later.
error-busy = The database is busy with another change for a moment, such as a large import. Nothing was changed. Please try again in half a minute.
error-unavailable = The database cannot be reached right now. Nothing was changed. Please try again later; if it stays this way, tell the administrator.
error-conflict = This could not be done: someone else changed something in the meantime, or the name exists already. Nothing was saved.
error-rejected = The file does not fit what is stored. Nothing was stored.
error-form-not-utf8 = The form holds text that is not UTF-8 (field ‘{ $field }’). Nothing was saved. Go back and type the text again.
import-too-large = The file is larger than { $megabytes } MB. Split it, or ask an administrator to import it with `dakwacht import`.
import-form-broken = The form did not arrive well. Please try again.
import-file-broken = The file did not arrive well. Please try again.
import-expired-title = Import expired

## Administration

role-admin = administrator
role-coordinator = coordinator
role-professional = professional
role-researcher = researcher
users-all-organisations = all organisations
users-choose-role = Choose a role from the list.
users-needs-organisation = A { $role } belongs to an organisation: choose one.
users-name-taken = The user name ‘{ $username }’ already exists.
users-unknown-organisation = That organisation does not exist.
users-not-yourself = You cannot disable your own account.
users-activation-link = Activation link:
users-link-explained = Pass this link on to the user in person or through a secure channel. They choose their own password with it. The link works for 24 hours and only once, and is shown here only once.
users-awaiting-approval-explained = The account awaits approval by a coordinator of { $organisation }. The coordinator gets the activation link on approving it; until then nobody can sign in with this account.
users-awaiting-approval = awaiting approval
users-awaiting-activation = not activated yet
users-approve = Approve
users-approve-label = Approve { $username }
users-reject = Reject
users-reject-label = Reject { $username }
users-renew = New activation link
users-renew-label = New activation link for { $username }
users-approved = Account ‘{ $username }’ approved
users-new-link = New activation link for ‘{ $username }’
users-refused-no-coordinator = { $organisation } has cases but no active coordinator who could approve a new account. An administrator does not make accounts with access to cases there. Ask the server's operator to make the coordinator with ‘dakwacht user add’.
users-refused-coordinator-first = { $organisation } has no coordinator yet. Make the coordinator first; the coordinator then adds the professionals.
users-refused-for-coordinator = { $organisation } has a coordinator: only the coordinator makes a new activation link for this account.
activate-title = Activate your account
activate-intro = Choose a password for your account ‘{ $username }’. Only you know it; nobody else can see it.
activate-button = Set password
activate-password-length = Choose a password of at least 12 and at most { $max } characters.
activate-expired = This activation link has expired: a link works for 24 hours. Ask whoever made your account for a new link.
activate-used = This activation link was used already: a link works only once. Sign in with your password. Did you not use the link yourself? Tell your coordinator at once.
activate-unknown = This activation link does not work (any more). A newer link may have been made, or the account was disabled. Ask whoever made your account for a new link.
activate-done-title = Account activated
activate-done = Your password is set. You can sign in now as ‘{ $username }’.
organisations-name-length = Give a name of 1 to 100 characters.
organisations-taken = The organisation ‘{ $name }’ already exists.
dashboard-too-few-cases = This selection holds fewer than { $minimum } cases. Figures about so few families could single one out, so they are not shown. Choose a wider selection (more organisations, a longer period).
organisations-name-control = The name holds a control or direction character ({ $character }). Type the name again, without such characters.
dashboard-no-data = no data
dashboard-date-wrong = The date ‘{ $value }’ at ‘{ $what }’ is not right: write for example 3-4-2024. That limit was not applied.

nav-password = Change password
password-title = Change your password
password-intro = First enter your current password. After the change you are signed out everywhere else, also in other browsers and API clients.
password-current = Current password
password-button = Change password
password-changed = Your password was changed. You are signed out everywhere else; here you stay signed in.
password-common = This password is on the list of common passwords and is easy to guess. Choose another, for example a sentence of a few words.
password-guessable = A password may not contain your user name or the word ‘dakwacht’. Choose another.
password-wrong-current = The current password is not right. Nothing was changed.
password-throttled = Too many wrong passwords. Try again in { $seconds } seconds.
users-reset = Reset password
users-reset-label = Reset the password of { $username }
users-enable = Enable again
users-enable-label = Enable { $username } again
reset-heading = Reset the password of ‘{ $username }’?
reset-confirm = The current password of { $username } ({ $role }, { $organisation }) stops working at once and every session of this account ends. You get an activation link (valid 24 hours, once) with which the user chooses a new password.
reset-button = Yes, reset the password
reset-done = The password of ‘{ $username }’ no longer works
reset-not-yourself = You change your own password with ‘Change password’ in the menu.
reset-refused-no-coordinator = { $organisation } has cases but no other active coordinator. An administrator gets no link that opens access to cases. Ask the server's operator to run ‘dakwacht user reset-password’.
reset-refused-for-coordinator = { $organisation } has a coordinator: only they reset the password of this account.
enable-heading = Enable ‘{ $username }’ again?
enable-confirm = { $username } ({ $role }, { $organisation }) can then sign in again with the own password, with every right of that role. This is recorded in the audit log.
enable-button = Yes, enable again
confirm-cancel = Cancel, back to the accounts

# Taking back a recorded stay (issue 15.2)
case-timeline-action = Action
stay-remove = Remove
stay-remove-context = stay of { $stay }
stay-remove-heading = Remove this stay?
stay-remove-confirm = The stay of { $stay }, recorded by { $by } on { $at }, leaves the timeline.
stay-remove-explained = It stays in the history. What the stay changed in the case is put back. What someone changed themselves since then stays as it is. Was the stay wrong? Record the right stay afterwards.
stay-remove-button = Remove stay
stay-remove-cancel = Cancel, back to the case
stay-remove-refused = This stay cannot be removed. Without it the case no longer adds up: { $expected }. Change the case first.
stay-removed = The stay was removed. What it changed in the case has been put back.
stay-removed-kept = The stay was removed. This was not put back, because someone changed it afterwards: { $fields }.
history-stay-recorded = Stay recorded: { $stay }
history-stay-removed = Stay removed: { $stay }
history-stay-changed = { $stay }; changed: { $fields }
follow-up-cut = The list shows the first { $count } families; there may be more. Choose more weeks or only your own families.
child-signals = Signals:
signal-concerns = Concerns:
case-disagreements = The family's data and the child records disagree
assessment-heading = Assessment of the child's best interest
assessment-start-heading = Start a best-interest assessment
assessment-start-button = Start
assessment-intro = Weigh this child's interest in one decision, in four steps (the Kinderombudsman's step plan 'Het beste besluit voor het kind'). Each step can be saved on its own and finished later.
assessment-new = new
assessment-decision-legend = Which decision is it about?
assessment-decision-hint = One assessment per child and per decision.
assessment-decision = Decision
assessment-decision-described = Description of the decision
assessment-decision-described-hint = Required for 'other decision'. No names.
assessment-error-decision = Choose the decision.
assessment-error-described = Describe the decision.
assessment-error-too-long = Use at most 4000 characters.
assessment-error-holder = Choose whose interest this is.
assessment-error-prevailed = Choose which interest prevailed.
assessment-error-reasons = Write down why.
assessment-error-reasons-other = The child's interest comes first. Write down why the other interest weighed more.
assessment-error-explanation = Fill this in too.
assessment-complete = complete
assessment-draft = draft: { $done } of 4 steps filled in
assessment-steps = Steps
assessment-step-1 = The child's interests
assessment-step-2 = Other interests
assessment-step-3 = Weighing
assessment-step-4 = Explaining to the child
assessment-step-heading = Step { $number }: { $title }
assessment-step-done = filled in
assessment-step-open = still open
assessment-step-1-intro = For each of the seven elements, write down what you know. Don't know? Choose 'not known' and write down why.
assessment-step-2-intro = Which other interests play a part, and whose are they?
assessment-step-3-intro = Which interest prevailed, and why? The child's interest comes first.
assessment-step-4-intro = How was the decision explained to the child, and what can the child do if it disagrees?
assessment-save-next = Save and continue
assessment-save-last = Save
assessment-back-to-case = Back to the case
assessment-to-summary = See the whole assessment
assessment-finding-kind = What do you know?
assessment-found = Finding
assessment-not-known = Not known
assessment-finding-text = Finding, or why it is not known
assessment-element-identity-hint = For example age, language, religion, cultural background.
assessment-element-child_view-hint = Was the child heard? When, by whom, in a way suited to its age? If not: why not? Write down the child's own words where you have them.
assessment-element-family_environment-hint = The family, and important contacts such as relatives, friends and school.
assessment-element-care_safety-hint = The child's care, protection and safety.
assessment-element-vulnerability-hint = For example a disability, trauma or an earlier placement away from home.
assessment-element-health-hint = Physical and mental health.
assessment-element-education-hint = School, childcare, compulsory education.
assessment-other-legend = Other interest { $number }
assessment-other-holder = Whose
assessment-other-what = Which interest
assessment-choose = Choose
assessment-no-other-legend = No other interests
assessment-no-other = No other interests play a part.
assessment-weighing-hint = Did another interest prevail? Then explain why it weighed more than the child's interest.
assessment-prevailed = What prevailed
assessment-reasons = Why
assessment-reasons-hint = The reasons of the weighing.
assessment-how-and-when = How and when it was explained
assessment-how-and-when-hint = In a way suited to the child's age.
assessment-by = By whom
assessment-by-hint = The role, not a child's name.
assessment-if-disagreeing = What the child can do if it disagrees
assessment-if-disagreeing-hint = Whom it can turn to, how it can object or complain.
assessment-not-filled = not filled in yet
assessment-not-known-because = not known: { $reason }
assessment-made = Started by { $by }, last saved on { $at }.
assessment-print-note = Confidential: personal data of a child. For the own organisation only.
assessment-edit-steps = Change steps
child-assessments = Best-interest assessments:
child-assessment-start = Start a best-interest assessment
history-assessment-created = Best-interest assessment of child { $child } started
history-assessment-saved = Best-interest assessment of child { $child }: step { $steps } saved
history-assessment-completed = Best-interest assessment of child { $child } complete (step { $steps } saved)
child-edit = Enter or change this child's details
child-form-heading = A child's details
child-form-where = Where the child stays
child-form-age-hint = 0 to 17 years, as in the case. Empty when not known.
child-form-school = School
child-form-days-hint = Only when the child had to change school or is missing school. Empty when not known.
child-form-heard = Heard and weighed
child-form-heard-hint = Was the child heard about the decision on the home? Was its interest weighed?
child-form-help = Help and notes
child-form-notes-hint = Confidential. No names.
child-form-save = Save
child-assessed-in-dakwacht = yes (best-interest assessment in dakwacht)
history-child-created = Details of child { $child } recorded
history-child-changed = Details of child { $child } changed: { $fields }
dashboard-not-for-publication = Not for publication.
dashboard-not-for-publication-why = These figures are counted as they are, for your own organisation's work. Small numbers can make families recognisable: do not share them outside the organisation.
dashboard-published = Published figures.
dashboard-held-back-legend = { $small } means: fewer than { $minimum } families or children. × means: not shown, because the percentage rests on too few families or because a small number could otherwise be worked out from the other figures.
dashboard-quarters = Homes lost per quarter
dashboard-quarters-intro = Per quarter, so that small numbers do not show per month. Quarters with fewer than { $minimum } families are merged into the row ‘{ $merged }’.
dashboard-quarter = Quarter
dashboard-bundle = Download the publication bundle of this selection (zip with rapport.pdf, cijfers.xlsx, cijfers.csv and cijfers.json)
dashboard-bundle-intro = The bundle holds the figures as they may be published: small numbers are protected under the policy, also where this dashboard shows them unprotected.

# The rights check, for families.
rights-title = Rights check: losing your home, what now?
rights-intro = Answer a few questions. Then you see which rights you have and what you can do now. We do not keep your answers.
rights-next = Next
rights-back = Previous question
rights-date-hint = For example 1-12-2026. Do you not know? Then leave it empty.
rights-date-error = This is not a date. Write the date like this: 1-12-2026.
rights-result-title = Your rights
rights-none = Your answers show no right we know of. Are you unsure? Then ask for help.
rights-steps = What you can do now:
rights-help = Where you can get help
rights-phone = Telephone
rights-print = You can print this page and take it to the person who helps you.
rights-again = Start again

# Letters (src/letters.rs)
letter-back = Back to the letters
letter-back-to-rights = Back to your rights
letter-explanation = What does this letter say?
letter-dates = Dates in the letter
letter-dates-hint = dakwacht computes these dates from today. Check that they are right.
letter-fields = Details for the letter
letter-fields-hint = dakwacht does not keep names or addresses. Leave a box empty and the letter has a dotted line there, to fill in by hand.
letter-to-text = To the text of the letter
letter-text = Text of the letter
letter-text-hint = Read the letter and change it where needed. The letter itself is in Dutch. An empty line starts a new paragraph; a line that starts with "- " is a list item. Going back to the details makes the text again: your changes are then lost.
letter-not-in-pdf = These characters are not in the PDF's font and become a question mark (?) in it. The Word file (DOCX) keeps them:
letter-not-in-pdf-more = and { $count } others
letter-subject = Subject
letter-body = Text
letter-make-pdf = Make PDF
letter-make-docx = Make Word file (DOCX)
letter-to-fields = Back to the details
letter-too-long = The letter is too long. A box may hold 1,000 characters, the subject 300 and the text 20,000.
letter-empty = The text of the letter is empty.
letters-title = Letters for case { $reference }
letters-offered = Letters for the signals of this case
letters-offered-hint = These letters fit what the rules say about this case.
letters-none-offered = The signals of this case call for none of the letters. All of them are below.
letters-children = Letter to a child about a decision
letters-to-child = Child { $child }: { $decision }
letters-others = Other letters
letters-made = Letters made
letters-none-made = No letter has been made for this case yet.
case-letters = Letters
rights-letters = Letters you can have made
rights-letters-hint = dakwacht prepares a letter for you. You fill in names and addresses yourself. We keep nothing.
rights-letter-make = Make the letter
rights-switch-language = In het Nederlands, met uw antwoorden
rights-children = For your children
rights-child-version = An explanation for children from 8, in simple words
child-version-intro = This explanation is for children from about 8 years old. Read it together, or print it.
child-version-back = To the rights check for parents
rights-save = Save the answers in a case
rights-save-hint = For staff: the answers fill in the fields of an existing case of your organisation. This is recorded in the case's history.
rights-save-case = Case reference
rights-save-button = Save in the case
rights-save-no-case = Fill in the case reference.
rights-save-not-found = Your organisation has no case with reference { $reference }.
rights-save-refused = The case cannot take these answers: { $problems }. Change the case first.

## Second factor
nav-second-factor = Second factor
code-title = Code from your app
code-intro = Your password is right. Open the authenticator app on your phone and type the six-digit code it shows for dakwacht.
code-field = Code
code-hint = Six digits from the app. Lost your phone? Type one of your recovery codes.
code-button = Sign in
code-wrong = This code is not right, was used already or has expired. Type the code the app shows now.
code-start-again = Start signing in again
code-wrong-set-up = This code is not right. Type the code the app shows for dakwacht now; check that the time on your phone is right.
set-up-title = Set up a second factor
set-up-required = The account { $username } must sign in with a second factor: besides your password, a code from an app on your phone. Set it up now; then you are signed in.
set-up-replaces = You have set up an app already. If you set up a new one, the old one stops working, you get new recovery codes and your other sessions end.
set-up-step-app = Install an authenticator app on your phone, for example FreeOTP, Aegis, Google Authenticator or Microsoft Authenticator.
set-up-step-scan = In the app, choose ‘add account’ and scan this QR code. If scanning does not work, type this key:
set-up-qr-alt = QR code to add dakwacht to your authenticator app. If you cannot scan it, type the key below it.
set-up-secret = Key:
set-up-step-code = Type the six-digit code the app shows now.
set-up-code-field = Code from the app
set-up-button = Set up
set-up-done = Your second factor is set up. From now on dakwacht asks for a code from the app after your password.
recovery-heading = Your recovery codes
recovery-intro = If you lose your phone, sign in with one of these codes; each works once. Keep them on paper or in a password manager, not on the phone itself. You see them only now.
set-up-continue = Continue to dakwacht
users-factor = Second factor
users-factor-set = set up
users-factor-missing = needed, not set up yet
users-factor-none = not needed
users-end-sessions = End sessions
users-end-sessions-label = End every session of { $username }
users-reset-factor = Take away second factor
users-reset-factor-label = Take away the second factor of { $username }
end-sessions-done = Every session of { $username } has ended
end-sessions-count = { $count ->
    [one] There was 1 session. Whoever worked with this account must sign in again.
   *[other] There were { $count } sessions. Whoever worked with this account must sign in again.
}
end-sessions-not-yourself = You end your own session by signing out.
end-all-sessions-heading = End all sessions
end-all-sessions-hint = After a suspected break-in or a leaked password, say: everybody has to sign in again, except you in this session.
end-all-sessions-link = End all sessions…
end-all-sessions-confirm = Everybody of { $scope } now signed in, also through the API, has to sign in again. Only your own session stays. This cannot be undone.
end-all-sessions-confirm-all = Everybody now signed in, of every organisation and also through the API, has to sign in again. Only your own session stays. This cannot be undone.
end-all-sessions-button = Yes, end all sessions
end-all-sessions-done = All sessions have ended, except yours
end-all-sessions-count = { $count ->
    [one] 1 session has ended.
   *[other] { $count } sessions have ended.
}
factor-reset-heading = Take away the second factor of { $username }?
factor-reset-confirm = Only do this if { $username } ({ $role }, { $organisation }) lost both the phone and the recovery codes, and you are sure you are speaking to this person: in person, or by calling back a number you already knew. The app and the recovery codes stop working, every session of the account ends, and at the next sign-in { $username } sets up a new app.
factor-reset-button = Take away second factor
factor-reset-done = The second factor of { $username } was taken away
factor-reset-next = At the next sign-in this user sets up a new app.
factor-reset-none = { $username } had no second factor set up
factor-reset-not-yourself = You cannot take away your own second factor; set up a new app under ‘Second factor’.
policy-heading = Second factor for professionals
policy-intro = Administrators and coordinators always sign in with a second factor. An organisation can ask it of its professionals too; whoever is signed in already is asked at the next sign-in.
policy-required = { $organisation }: professionals must use a second factor.
policy-optional = { $organisation }: professionals choose whether to use a second factor.
policy-make-required = Make it required for { $organisation }
policy-make-optional = Stop requiring it for { $organisation }

nav-sessions = Sessions
sessions-title = Where you are signed in
sessions-intro = These are the sessions of your account that have not expired: in a browser or with an API key. You can end a session you no longer use here. The session you are working in now ends when you sign out.
sessions-caption = Sessions of your account
sessions-what = Kind
sessions-started = Started
sessions-last-used = Last used
sessions-expires = Expires at the latest
sessions-browser = Browser
sessions-browser-unfinished = Browser, sign-in not finished
sessions-api = API key
sessions-current = This session
sessions-end-one = End
sessions-end-one-label = End { $what } of { $started }
sessions-end-others = End all other sessions
sessions-ended = { $count ->
    [0] No session was ended: it had ended already.
    [one] 1 session ended.
   *[other] { $count } sessions ended.
}
sessions-unknown = Do you not recognise a session? End it and change your password.
