# Teksten van de pagina's, Nederlands (de standaardtaal).
# Een sleutel staat in nl/ en en/ met dezelfde waarden ($naam); een test controleert dat.

## Algemeen

skip-to-content = Naar de inhoud
nav-label = Hoofdmenu
nav-cases = Casussen
nav-follow-up = Opvolging
nav-import = Importeren
nav-dashboard = Dashboard
nav-accounts = Accounts
nav-organisations = Organisaties
nav-audit = Auditlog
nav-sign-out = Uitloggen
message-home = Naar de startpagina
filter-all = alle
button-filter = Filteren
button-show = Tonen
button-save = Opslaan
button-add = Toevoegen
field-username = Gebruikersnaam
field-password = Wachtwoord
field-organisation = Organisatie
column-reference = Referentie
column-reported-on = Gemeld op
column-municipality = Gemeente
column-children = Kinderen
column-stays-now = Verblijft nu
date-placeholder = d-m-jjjj
unknown = onbekend

## Eerste start en inloggen

setup-title = Eerste beheerder aanmaken
setup-intro = dakwacht heeft nog geen accounts. Maak het account van de eerste beheerder. Deze link werkt maar één keer.
setup-password = Wachtwoord (minstens 12 tekens)
setup-password-again = Wachtwoord nog een keer
setup-button = Beheerder aanmaken
login-title = Inloggen
login-button = Inloggen

## Casussen

cases-heading = Casussen van { $organisation }
cases-new = Nieuwe casus
cases-download = Downloaden:
cases-download-excel = voor Excel
cases-download-plain = met komma's, voor andere programma's
cases-template = Leeg sjabloon (XLSX)
cases-accounts = Accounts van de organisatie
cases-filter-label = Casussen zoeken en filteren
cases-reference-contains = Referentie bevat
cases-tenancy = Huur
cases-signal = Signaal
cases-only-out-of-view = Alleen uit beeld
cases-clear-filters = Alle filters wissen
cases-none-filtered = Geen casussen gevonden met deze filters.
cases-none = Er zijn (nog) geen casussen.
cases-caption = Casussen, gesorteerd op referentie
cases-caption-filtered = Casussen die aan de filters voldoen, gesorteerd op referentie
cases-scanned = Doorzocht: { $count } casussen. Zoeken naar dit signaal gaat per stap; er kunnen verderop meer casussen zijn.
cases-search-further = Verder zoeken
cases-next-page = Volgende pagina

## Eén casus

case-title = Casus { $reference }
case-edit = Casus bewerken
case-children = Kinderen
child-heading = Kind { $number }
child-heading-age = Kind { $number } ({ $age } jaar)
child-no-record = Nog geen kindrecord: alleen wat de casus over dit kind weet.
child-school-days = { $school }, { $days } schooldagen gemist
child-heard-by = ja, door { $by }
case-where-stayed = Waar het gezin verbleef
case-no-timeline = Nog geen verblijfplaatsen bekend.
case-timeline-caption = Verblijfplaatsen in de tijd, oudste eerst
case-date = Datum
case-situation = Verblijfplaats
case-source = Bron
case-add-situation = Verblijfplaats toevoegen
case-stayed-in = Verbleef in
case-follow-up = Opvolging
case-assigned-to = Dit gezin wordt gevolgd door { $name }.
case-assigned-nobody = Nog niemand volgt dit gezin.
case-eviction-on = Ontruiming gepland op { $date }.
case-assign-label = Gevolgd door
case-assign-nobody = niemand
case-assign-me = ik
case-assign-button = Toewijzen
case-eviction-label = Datum van een komende ontruiming
case-eviction-hint = Bijvoorbeeld 15-1-2027. Leeg laten als er geen ontruiming komt.
case-eviction-button = Ontruimingsdatum opslaan
eviction-date-past = Deze datum is al voorbij. Een komende ontruiming ligt vandaag of later.
history-created = casus aangemaakt
history-closed = casus gesloten
history-reopened = casus heropend
and = en
children-with-ages = { $count } ({ $ages } jaar)
case-all-details = Alle gegevens
case-history = Geschiedenis
case-history-caption = Wie wat veranderde, nieuwste eerst
case-history-at = Wanneer
case-history-by = Wie
case-history-what = Wat
case-print-hint = Afdrukken geeft een samenvatting op papier (Ctrl+P).
case-home-lost = woning verloren
hint-stay-date = Bijvoorbeeld 3-4-2025, of 4-2025 als alleen de maand bekend is.
stay-choose = Kies waar het gezin verblijft
stay-choose-situation = Kies waar het gezin verbleef.
stay-date-future = Deze datum ligt in de toekomst. Vul een datum in tot en met vandaag.
stay-date-wrong = ‘{ $date }’ is geen datum. Schrijf bijvoorbeeld 3-4-2025, of 4-2025 voor een maand.
stay-before-loss = Deze datum ligt voor het verlies van de woning. Controleer de datum.
stay-breaks-rule = Zo klopt de casus niet meer: { $expected }. Controleer de datum.
contact-legend = Contact gehad
contact-intro = Het gezin verblijft nog op dezelfde plek; dit legt alleen het contact vast.
contact-button = Contact vastleggen
contact-no-stay = Nog niet bekend waar het gezin verblijft. Voeg eerst een verblijfplaats toe.
case-signals = Signalen
case-rules-version = Getoetst aan het juridisch kader, regels versie { $version }.
case-no-signals = Deze casus geeft geen signalen.
case-severity = ernst: { $severity }
case-sources = Bronnen
case-next-steps = Wat u kunt doen
fact-reported-on = Gemeld op
fact-municipality = Gemeente
fact-children = Aantal kinderen
fact-home-lost-on = Woning kwijt op
fact-route = Hoe de woning verloren ging
source-after-loss = direct na verlies van de woning
source-last-seen = laatst gezien
source-rehoused = opnieuw gehuisvest
source-report = bij de melding
source-recorded = vastgelegd in dakwacht
situation-rehoused = opnieuw gehuisvest
situation-unknown = onbekend (uit beeld)

## Formulier

form-error-count = { $count ->
    [one] Het formulier heeft 1 fout. Die staat bij het veld hieronder.
   *[other] Het formulier heeft { $count } fouten. Ze staan bij de velden hieronder.
}

## Opvolging

follow-up-heading = Opvolging: gezinnen om contact mee te zoeken
follow-up-intro = Gezinnen van { $organisation } die nog niet opnieuw gehuisvest zijn, en uit beeld zijn of waarvan het laatste contact meer dan { $weeks } weken geleden is. Wie het langst niets van zich liet horen, staat bovenaan.
follow-up-weeks = Laatste contact ouder dan (weken)
follow-up-none = Geen gezinnen om op te volgen.
follow-up-caption = { $count ->
    [one] 1 gezin om op te volgen
   *[other] { $count } gezinnen om op te volgen
}
follow-up-last-contact = Laatste contact
follow-up-intro-eviction = Een geregistreerde ontruiming zet het gezin { $days } dagen vooraf op de lijst.
follow-up-weeks-empty = Vul een aantal weken in, van 1 tot en met 104.
follow-up-weeks-wrong = Het aantal weken is een heel getal van 1 tot en met 104.
follow-up-mine = Alleen mijn gezinnen
follow-up-children-at-risk = Alleen gezinnen met een kind dat van de ouders gescheiden is of school mist
follow-up-why = Waarom op de lijst
follow-up-assigned = Gevolgd door
follow-up-why-out-of-view = Uit beeld
follow-up-why-out-of-view-since = Uit beeld sinds { $date }
follow-up-why-no-news = { $weeks ->
    [one] 1 week geen nieuws
   *[other] { $weeks } weken geen nieuws
}
follow-up-why-eviction = Ontruiming op { $date }

## Importeren

import-heading = Casussen importeren voor { $organisation }
import-check-heading = Controleer voordat u opslaat
import-summary = { $count ->
    [one] In { $file } staat 1 casus zonder fouten.
   *[other] In { $file } staan { $count } casussen zonder fouten.
}
import-existing = Nieuw: { $new }. Bestaan al en worden bijgewerkt: { $updated }. Bestaan al en blijven gelijk: { $unchanged }.
import-nothing-stored-yet = Er is nog niets opgeslagen.
import-preview-caption = De eerste { $count } casussen uit het bestand
import-exists = Wat er gebeurt
import-effect-updated = bestaat al, wordt bijgewerkt
import-effect-new = nieuw
import-effect-unchanged = bestaat al, blijft gelijk
actor-command-line = { $name } (opdrachtregel)
import-effect-newer = bestaat al, is nieuwer dan het bestand
import-newer-edit = gewijzigd door { $by } op { $at }, na de meldingsdatum van het bestand
import-newer-report = opgeslagen met een latere meldingsdatum ({ $date })
import-extra-columns = vrije kolommen (x_)
import-newer-heading = { $count ->
    [one] 1 casus is nieuwer dan dit bestand
   *[other] { $count } casussen zijn nieuwer dan dit bestand
}
import-newer-intro = Opslaan zou deze latere wijzigingen ongedaan maken. Kies onderaan wat er met deze casussen moet gebeuren.
import-newer-more = En nog { $count } andere casussen die nieuwer zijn dan het bestand.
import-newer-question = Wat moet er gebeuren met de casussen die nieuwer zijn dan het bestand?
import-newer-keep = Laten zoals ze zijn: deze regels van het bestand overslaan
import-newer-overwrite = Overschrijven met wat in het bestand staat
import-newer-title = Casussen nieuwer dan het bestand
import-newer-choose = Kies eerst wat er moet gebeuren met de casussen die nieuwer zijn dan het bestand. Ga terug naar de controle en maak een keuze.
import-newer-since-preview = Sinds de controle is een casus uit dit bestand gewijzigd. Er is niets opgeslagen: controleer het bestand opnieuw.
import-changes-heading = Wat het bestand verandert
import-changes-first = De eerste { $count } casussen die worden bijgewerkt, per gegeven.
import-change-field = Gegeven
import-change-old = Nu
import-change-new = Wordt
imported-kept-newer = { $count ->
    [one] 1 casus die nieuwer was dan het bestand bleef zoals hij was.
   *[other] { $count } casussen die nieuwer waren dan het bestand bleven zoals ze waren.
}
heavy-job-busy = U bent al bezig met een import of export. Wacht tot die klaar is en probeer het dan opnieuw.
import-store-rejected = Sinds de controle is een casus gewijzigd; met deze waarden klopt hij niet meer. Er is niets opgeslagen.
import-confirm = { $count ->
    [one] De casus opslaan
   *[other] Alle { $count } casussen opslaan
}
import-cancel = Niet opslaan, een ander bestand kiezen
import-problems-heading = { $count ->
    [one] Er is niets opgeslagen: 1 fout in { $file }
   *[other] Er is niets opgeslagen: { $count } fouten in { $file }
}
import-problems-intro = Verbeter het bestand en upload het opnieuw. Een bestand wordt alleen helemaal opgeslagen, nooit voor een deel.
import-problems-caption = Fouten per regel en kolom
import-problems-caption-first = Fouten per regel en kolom (de eerste { $count })
import-line = Regel
import-column = Kolom
import-value = Waarde
import-expected = Verwacht
import-file = Bestand (CSV of XLSX)
import-file-hint-before = De kolommen staan in het
import-file-hint-template = sjabloon (XLSX)
import-file-hint-after = U ziet eerst een controle; pas daarna slaat u op.
import-check-button = Controleren
import-unreadable = Het bestand is niet te lezen: { $error }.
import-no-file = Kies een CSV- of XLSX-bestand.
import-expired = Dit bestand wacht niet meer op bevestiging (na 30 minuten, of omdat het al is opgeslagen). Upload het opnieuw via Importeren.
import-children-summary = { $count ->
    [one] In { $file } staat 1 kind zonder fouten.
   *[other] In { $file } staan { $count } kinderen zonder fouten.
}
import-children-existing = Nieuw: { $new }. Bestaan al en worden bijgewerkt: { $updated }. Bestaan al en blijven gelijk: { $unchanged }.
import-children-sheet = blad 'kinderen' van { $file }
import-children-twice = De werkmap heeft al een blad 'kinderen'. Kies dan geen apart kinderbestand: er is niets gecontroleerd of opgeslagen.
import-children-file = Kinderbestand (CSV, mag leeg blijven)
import-children-file-hint = Eén regel per kind, bij de casussen van het bestand hierboven of bij casussen die al zijn opgeslagen. In een XLSX-bestand staan de kinderen op het blad 'kinderen'; dan is dit veld niet nodig.
import-in-file = Bestand
import-stored-child = opgeslagen kind { $child }
imported-children = Kinderen uit { $file }:
imported-title = Import opgeslagen
imported-file = { $file } is opgeslagen:
imported-created = { $count } nieuw
imported-updated = { $count } bijgewerkt
imported-unchanged = { $count } ongewijzigd
imported-to-cases = Naar de casussen

## Dashboard

dashboard-intro = Selectie: { $scope }. Percentages zijn afgerond op hele procenten; teller en noemer staan erbij. Onder elke grafiek staan dezelfde cijfers in een tabel.
dashboard-counted-at = Deze cijfers zijn geteld om { $time }. Bij zoveel casussen telt dakwacht ze ongeveer eens per minuut opnieuw; een wijziging van daarna komt er bij de volgende telling in.
dashboard-all-organisations = Alle organisaties
dashboard-from = Woning kwijt vanaf
dashboard-to = Woning kwijt tot en met
dashboard-key-figures = Kerncijfers
dashboard-outcomes = Uitkomsten
dashboard-outcomes-caption = Uitkomsten per maat
dashboard-outcomes-desc = Staafdiagram van de percentages; dezelfde cijfers staan in de tabel eronder.
dashboard-children = Kinderen
dashboard-duration = Duur van de dakloosheid
dashboard-duration-intro = Kaplan–Meier-schatting over hele maanden: gezinnen die nog dakloos zijn of uit beeld raakten tellen mee zolang bekend is dat ze dakloos waren, niet alsof hun dakloosheid toen eindigde. De band is het 95%-betrouwbaarheidsinterval.
dashboard-children-intro = Hier zijn de kinderen de eenheid: de noemers tellen kinderen, niet gezinnen. Een kind telt mee bij een maat als zijn kindrecord het gegeven kent.
dashboard-children-caption = Uitkomsten per maat, per kind geteld
dashboard-measure = Maat
dashboard-numerator = Teller
dashboard-denominator = Noemer
dashboard-percent = Percentage
dashboard-signals-intro = Hoeveel casussen elk signaal van het juridisch kader geven (regels versie { $version }).
dashboard-signals-caption = Signalen per regel
dashboard-signals-desc = Staafdiagram van het aandeel casussen per signaal; dezelfde cijfers staan in de tabel eronder.
dashboard-of = Van
dashboard-months = Woningverlies per maand
dashboard-months-none = Van geen enkele casus in deze selectie is bekend wanneer de woning verloren ging.
dashboard-months-intro = Hoeveel gezinnen per maand hun woning verloren (hoogste maand: { $max }).
dashboard-months-desc = Staafdiagram van het aantal gezinnen per maand; dezelfde cijfers staan in de tabel eronder.
dashboard-month = Maand
dashboard-families = Gezinnen

## Beheer

users-heading = Accounts van { $scope }
users-created = Account ‘{ $username }’ aangemaakt
users-caption = Accounts, op gebruikersnaam
users-role = Rol
users-created-at = Aangemaakt
users-status = Status
users-disabled = uitgeschakeld
users-active = actief
users-disable = Uitschakelen
users-disable-label = { $username } uitschakelen
users-add = Account toevoegen
users-organisation-hint = Organisatie (voor coördinatoren en professionals)
users-no-organisation = geen
organisations-none = Er zijn nog geen organisaties.
organisations-add = Organisatie toevoegen
organisations-name = Naam
audit-intro = Wie wanneer welke casusgegevens bekeek, wijzigde, importeerde of exporteerde, en wie accounts en organisaties beheerde. Het log kan alleen groeien. Nieuwste eerst, hoogstens { $limit } regels.
audit-filter-label = Auditlog filteren
audit-actor-hint = Wie (bijv. user:sanne)
audit-actor = Wie
audit-action = Handeling
audit-case = Casus
audit-none = Geen regels gevonden.
audit-caption = Auditregels
audit-at = Tijdstip (Nederlandse tijd)
audit-detail = Toelichting

## Het formulier van een casus

form-group-legal = Juridische hulp
form-group-notes = Aantekeningen
yes = ja
no = nee
form-group-case = De casus
form-organisation = Organisatie
form-case-ref = Referentie
form-case-ref-hint = Uw eigen kenmerk, zonder namen.
form-reported-on = Gemeld op
form-group-family = Het gezin
form-household = Huishouden
form-children-count = Aantal minderjarige kinderen
form-children-ages = Leeftijden van de kinderen
form-children-ages-hint = Gescheiden door ;, bijvoorbeeld 4;9. Gebruik ? voor een onbekende leeftijd.
form-group-home = De woning en de verhuurder
form-municipality = Gemeente
form-tenancy = Soort verhuur
form-group-loss = Hoe de woning verloren ging
form-home-lost-on = Woning kwijt op
form-route = Hoe
form-default-judgment = Uitspraak bij verstek
form-default-judgment-hint = Alleen bij ontruiming na een uitspraak van de rechter.
form-main-reason = Belangrijkste reden
form-other-reasons = Andere redenen
form-other-reasons-hint = Kruis aan wat er nog meer speelde, naast de belangrijkste reden.
form-legal-support = Juridische hulp
form-group-offered = Wat werd aangeboden
form-alternative-offered = Aangeboden in plaats van de woning
form-group-stay = Waar het gezin verblijft
form-situation-after = Direct na het verlies van de woning
form-current-situation = Nu (op de meldingsdatum)
form-current-situation-hint = Onbekend betekent: het gezin is uit beeld.
form-last-seen-on = Laatst gezien op
form-date-hint = Dag-maand-jaar, bijvoorbeeld 3-4-2024 of 03-04-2024 (2024-04-03 kan ook).
form-date-or-month-hint = Dag-maand-jaar, bijvoorbeeld 3-4-2024, of alleen de maand: 4-2024.
form-last-seen-situation = Verbleef toen
form-rehoused-on = Opnieuw gehuisvest op
form-group-children = De kinderen
form-child-heard = De kinderen zijn gehoord
form-best-interest-weighed = Het belang van het kind is afgewogen
form-family-separated = Kinderen en ouders gescheiden
form-shelter-refused = Opvang geweigerd wegens geen regiobinding
form-school-disrupted = Schoolgang verstoord
form-notes = Aantekeningen
form-notes-hint = Schrijf geen namen of andere gegevens waarmee iemand te herkennen is.
form-field-needed = Dit veld is nodig: { $expected }.
form-field-wrong = ‘{ $value }’ klopt niet: { $expected }.
form-edit-heading = Casus { $reference } bewerken
form-reference-taken = Deze referentie bestaat al in uw organisatie. Kies een andere.
form-conflict = Niet opgeslagen: { $by } heeft deze casus gewijzigd op { $at }, nadat u hem opende. Wat u hier invulde verschilt nu in: { $fields }. Uw invoer staat hieronder nog; open de casus opnieuw om de nieuwe versie te zien en breng uw wijzigingen daarin aan.
form-expected-date = een datum als dag-maand-jaar, bijvoorbeeld 3-4-2024
form-expected-date-or-month = een datum als dag-maand-jaar (3-4-2024) of een maand (4-2024)
form-required = dit veld is verplicht
form-conflict-same = geen enkel veld (de ander sloeg hetzelfde op)
form-by-command-line = { $user } (via de opdrachtregel)
form-busy = Niet opgeslagen: de database is even bezet met een andere wijziging, zoals een grote import. Er is niets veranderd en uw invoer staat hieronder nog. Wacht een halve minuut en kies dan opnieuw Opslaan.

## Pages

home-not-set-up-title = dakwacht is nog niet ingesteld
home-not-set-up = Open de eenmalige link die dakwacht bij het starten op de console liet zien, en maak de eerste beheerder aan.
error-username = Kies een gebruikersnaam van 2 tot 64 tekens: kleine letters, cijfers, '.', '-', '_' of '@'.
setup-passwords-differ = De twee wachtwoorden zijn niet gelijk.
setup-failed = Het account kon niet worden gemaakt: { $error }
login-throttled = Te veel mislukte pogingen om in te loggen. Probeer het over { $seconds } seconden opnieuw.
login-name-too-long = Een gebruikersnaam heeft hoogstens 64 tekens.
login-form-expired = Het inlogformulier is verlopen of kwam niet van deze site. Probeer het nog eens.
login-refused = Gebruikersnaam of wachtwoord klopt niet.

## Errors

error-forbidden = Deze pagina is niet voor uw rol. Denkt u dat u er wel bij moet kunnen, vraag het dan aan de coördinator of beheerder van uw organisatie.
error-not-found = Deze pagina bestaat niet, of u heeft er geen toegang toe.
error-form-expired = Het formulier is verlopen. Ga terug, laad de pagina opnieuw en probeer het nog eens.
error-internal = Er ging iets mis. Probeer het later opnieuw.
error-busy = De database is even bezet met een andere wijziging, zoals een grote import. Er is niets veranderd. Probeer het over een halve minuut opnieuw.
error-unavailable = De database is nu niet bereikbaar. Er is niets veranderd. Probeer het later opnieuw; blijft het zo, meld het dan aan de beheerder.
error-conflict = Dit kon niet: iemand anders heeft intussen iets veranderd, of de naam bestaat al. Er is niets opgeslagen.
error-rejected = Het bestand past niet bij wat er is opgeslagen. Er is niets opgeslagen.
error-form-not-utf8 = Het formulier bevat tekst die geen UTF-8 is (veld ‘{ $field }’). Er is niets opgeslagen. Ga terug en typ de tekst opnieuw.
import-too-large = Het bestand is groter dan { $megabytes } MB. Splits het, of laat een beheerder het importeren met `dakwacht import`.
import-form-broken = Het formulier kwam niet goed aan. Probeer het opnieuw.
import-file-broken = Het bestand kwam niet goed aan. Probeer het opnieuw.
import-expired-title = Import verlopen

## Administration

role-admin = beheerder
role-coordinator = coördinator
role-professional = professional
role-researcher = onderzoeker
users-all-organisations = alle organisaties
users-choose-role = Kies een rol uit de lijst.
users-needs-organisation = Een { $role } hoort bij een organisatie: kies er een.
users-name-taken = De gebruikersnaam ‘{ $username }’ bestaat al.
users-unknown-organisation = Die organisatie bestaat niet.
users-not-yourself = U kunt uw eigen account niet uitschakelen.
users-activation-link = Activeringslink:
users-link-explained = Geef deze link persoonlijk of via een veilig kanaal door aan de gebruiker. Die kiest er zelf een wachtwoord mee. De link werkt 24 uur en maar één keer, en wordt hier maar één keer getoond.
users-awaiting-approval-explained = Het account wacht op goedkeuring door een coördinator van { $organisation }. Die krijgt bij het goedkeuren de activeringslink; tot dan kan niemand met dit account inloggen.
users-awaiting-approval = wacht op goedkeuring
users-awaiting-activation = nog niet geactiveerd
users-approve = Goedkeuren
users-approve-label = { $username } goedkeuren
users-reject = Afwijzen
users-reject-label = { $username } afwijzen
users-renew = Nieuwe activeringslink
users-renew-label = Nieuwe activeringslink voor { $username }
users-approved = Account ‘{ $username }’ goedgekeurd
users-new-link = Nieuwe activeringslink voor ‘{ $username }’
users-refused-no-coordinator = { $organisation } heeft casussen maar geen actieve coördinator die een nieuw account kan goedkeuren. Een beheerder maakt daar geen accounts met toegang tot casussen. Vraag de beheerder van de server om de coördinator aan te maken met ‘dakwacht user add’.
users-refused-coordinator-first = { $organisation } heeft nog geen coördinator. Maak eerst de coördinator aan; die voegt daarna de professionals toe.
users-refused-for-coordinator = { $organisation } heeft een coördinator: alleen die maakt een nieuwe activeringslink voor dit account.
activate-title = Account activeren
activate-intro = Kies een wachtwoord voor uw account ‘{ $username }’. Alleen u kent het; niemand anders kan het zien.
activate-button = Wachtwoord instellen
activate-password-length = Kies een wachtwoord van minstens 12 en hoogstens { $max } tekens.
activate-expired = Deze activeringslink is verlopen: een link werkt 24 uur. Vraag wie uw account aanmaakte om een nieuwe link.
activate-used = Deze activeringslink is al gebruikt: een link werkt maar één keer. Log in met uw wachtwoord. Hebt u de link niet zelf gebruikt? Meld het dan meteen bij uw coördinator.
activate-unknown = Deze activeringslink werkt niet (meer). Misschien is er een nieuwere link gemaakt, of is het account uitgeschakeld. Vraag wie uw account aanmaakte om een nieuwe link.
activate-done-title = Account geactiveerd
activate-done = Uw wachtwoord is ingesteld. U kunt nu inloggen als ‘{ $username }’.
organisations-name-length = Geef een naam van 1 tot 100 tekens.
organisations-taken = De organisatie ‘{ $name }’ bestaat al.
dashboard-too-few-cases = Deze selectie bevat minder dan { $minimum } casussen. Cijfers over zo weinig gezinnen kunnen één gezin herkenbaar maken en worden daarom niet getoond. Kies een ruimere selectie (meer organisaties, een langere periode).
organisations-name-control = De naam bevat een stuurteken of richtingsteken ({ $character }). Typ de naam opnieuw, zonder zulke tekens.
dashboard-no-data = geen gegevens
dashboard-date-wrong = De datum ‘{ $value }’ bij ‘{ $what }’ klopt niet: schrijf bijvoorbeeld 3-4-2024. Die grens is niet toegepast.

nav-password = Wachtwoord wijzigen
password-title = Uw wachtwoord wijzigen
password-intro = Vul eerst uw huidige wachtwoord in. Na het wijzigen wordt u overal anders uitgelogd, ook in andere browsers en API-koppelingen.
password-current = Huidig wachtwoord
password-button = Wachtwoord wijzigen
password-changed = Uw wachtwoord is gewijzigd. Overal anders bent u uitgelogd; hier blijft u ingelogd.
password-common = Dit wachtwoord staat op de lijst van veelgebruikte wachtwoorden en is makkelijk te raden. Kies een ander, bijvoorbeeld een zin van een paar woorden.
password-guessable = Een wachtwoord mag uw gebruikersnaam en het woord ‘dakwacht’ niet bevatten. Kies een ander.
password-wrong-current = Het huidige wachtwoord klopt niet. Er is niets gewijzigd.
password-throttled = Te vaak een verkeerd wachtwoord. Probeer het over { $seconds } seconden opnieuw.
users-reset = Wachtwoord opnieuw instellen
users-reset-label = Wachtwoord van { $username } opnieuw instellen
users-enable = Weer inschakelen
users-enable-label = { $username } weer inschakelen
reset-heading = Wachtwoord van ‘{ $username }’ opnieuw instellen?
reset-confirm = Het huidige wachtwoord van { $username } ({ $role }, { $organisation }) werkt daarna meteen niet meer en alle sessies van dit account eindigen. U krijgt een activeringslink (24 uur geldig, één keer te gebruiken) waarmee de gebruiker zelf een nieuw wachtwoord kiest.
reset-button = Ja, wachtwoord opnieuw instellen
reset-done = Het wachtwoord van ‘{ $username }’ werkt niet meer
reset-not-yourself = Uw eigen wachtwoord wijzigt u via ‘Wachtwoord wijzigen’ in het menu.
reset-refused-no-coordinator = { $organisation } heeft casussen maar geen andere actieve coördinator. Een beheerder krijgt geen link waarmee toegang tot casussen ontstaat. Vraag de beheerder van de server om ‘dakwacht user reset-password’.
reset-refused-for-coordinator = { $organisation } heeft een coördinator: alleen die stelt het wachtwoord van dit account opnieuw in.
enable-heading = ‘{ $username }’ weer inschakelen?
enable-confirm = { $username } ({ $role }, { $organisation }) kan daarna weer inloggen met het eigen wachtwoord, met alle rechten van die rol. Dit komt in het auditlog.
enable-button = Ja, weer inschakelen
confirm-cancel = Annuleren, terug naar de accounts

# Taking back a recorded stay (issue 15.2)
case-timeline-action = Actie
stay-remove = Verwijderen
stay-remove-context = verblijf van { $stay }
stay-remove-heading = Verblijf verwijderen?
stay-remove-confirm = Het verblijf van { $stay }, vastgelegd door { $by } op { $at }, gaat uit de tijdlijn.
stay-remove-explained = In de geschiedenis blijft het staan. Wat het verblijf in de casus veranderde, zetten we terug. Wat iemand daarna zelf heeft aangepast, blijft zoals het is. Klopte het verblijf niet? Leg daarna het juiste verblijf vast.
stay-remove-button = Verblijf verwijderen
stay-remove-cancel = Annuleren, terug naar de casus
stay-remove-refused = Dit verblijf kan niet weg. Zonder dit verblijf klopt de casus niet meer: { $expected }. Pas eerst de casus aan.
stay-removed = Het verblijf is verwijderd. Wat het in de casus veranderde, is teruggezet.
stay-removed-kept = Het verblijf is verwijderd. Dit is niet teruggezet, omdat iemand het daarna heeft aangepast: { $fields }.
history-stay-recorded = Verblijf vastgelegd: { $stay }
history-stay-removed = Verblijf verwijderd: { $stay }
history-stay-changed = { $stay }; gewijzigd: { $fields }
follow-up-cut = De lijst toont de eerste { $count } gezinnen; er kunnen er meer zijn. Kies meer weken of alleen uw eigen gezinnen.
child-signals = Signalen:
signal-concerns = Betreft:
case-disagreements = Gezinsgegevens en kinddossiers spreken elkaar tegen
assessment-heading = Afweging van het belang van het kind
assessment-start-heading = Belangenafweging starten
assessment-start-button = Starten
assessment-intro = Weeg het belang van dit kind af bij één beslissing, in vier stappen (stappenplan 'Het beste besluit voor het kind' van de Kinderombudsman). U kunt elke stap apart opslaan en later verder gaan.
assessment-new = nieuw
assessment-decision-legend = Over welke beslissing gaat het?
assessment-decision-hint = Eén afweging per kind en per beslissing.
assessment-decision = Beslissing
assessment-decision-described = Beschrijving van de beslissing
assessment-decision-described-hint = Verplicht bij 'andere beslissing'. Geen namen.
assessment-error-decision = Kies de beslissing.
assessment-error-described = Beschrijf de beslissing.
assessment-error-too-long = Gebruik hoogstens 4000 tekens.
assessment-error-holder = Kies van wie dit belang is.
assessment-error-prevailed = Kies welk belang de doorslag gaf.
assessment-error-reasons = Schrijf op waarom.
assessment-error-reasons-other = Het belang van het kind gaat voor. Schrijf op waarom het andere belang toch zwaarder woog.
assessment-error-explanation = Vul ook dit in.
assessment-complete = compleet
assessment-draft = concept: { $done } van 4 stappen ingevuld
assessment-steps = Stappen
assessment-step-1 = Belang van het kind
assessment-step-2 = Andere belangen
assessment-step-3 = Afweging
assessment-step-4 = Uitleg aan het kind
assessment-step-heading = Stap { $number }: { $title }
assessment-step-done = ingevuld
assessment-step-open = nog open
assessment-step-1-intro = Schrijf bij elk van de zeven onderdelen op wat u weet. Weet u iets niet? Kies 'niet bekend' en schrijf op waarom.
assessment-step-2-intro = Welke andere belangen spelen mee, en van wie?
assessment-step-3-intro = Welk belang gaf de doorslag, en waarom? Het belang van het kind gaat voor.
assessment-step-4-intro = Hoe is de beslissing aan het kind uitgelegd, en wat kan het kind doen als het het er niet mee eens is?
assessment-save-next = Opslaan en verder
assessment-save-last = Opslaan
assessment-back-to-case = Terug naar de casus
assessment-to-summary = Hele afweging bekijken
assessment-finding-kind = Wat weet u?
assessment-found = Bevinding
assessment-not-known = Niet bekend
assessment-finding-text = Bevinding, of waarom het niet bekend is
assessment-element-identity-hint = Bijvoorbeeld leeftijd, taal, geloof, culturele achtergrond.
assessment-element-child_view-hint = Is het kind gehoord? Wanneer, door wie en op een manier die past bij de leeftijd? Zo niet: waarom niet? Schrijf de woorden van het kind op als u die heeft.
assessment-element-family_environment-hint = Het gezin, en belangrijke contacten zoals familie, vrienden en school.
assessment-element-care_safety-hint = Zorg, bescherming en veiligheid van het kind.
assessment-element-vulnerability-hint = Bijvoorbeeld een beperking, trauma of een eerdere uithuisplaatsing.
assessment-element-health-hint = Lichamelijke en psychische gezondheid.
assessment-element-education-hint = School, kinderopvang, leerplicht.
assessment-other-legend = Ander belang { $number }
assessment-other-holder = Van wie
assessment-other-what = Welk belang
assessment-choose = Kies
assessment-no-other-legend = Geen andere belangen
assessment-no-other = Er spelen geen andere belangen mee.
assessment-weighing-hint = Gaf een ander belang de doorslag? Leg dan uit waarom dat zwaarder woog dan het belang van het kind.
assessment-prevailed = Wat gaf de doorslag
assessment-reasons = Waarom
assessment-reasons-hint = De redenen van de afweging.
assessment-how-and-when = Hoe en wanneer uitgelegd
assessment-how-and-when-hint = Op een manier die past bij de leeftijd van het kind.
assessment-by = Door wie
assessment-by-hint = De functie, geen naam van een kind.
assessment-if-disagreeing = Wat het kind kan doen als het het er niet mee eens is
assessment-if-disagreeing-hint = Bij wie het terechtkan, hoe het bezwaar kan maken of kan klagen.
assessment-not-filled = nog niet ingevuld
assessment-not-known-because = niet bekend: { $reason }
assessment-made = Gestart door { $by }, laatst opgeslagen op { $at }.
assessment-print-note = Vertrouwelijk: persoonsgegevens van een kind. Alleen voor de eigen organisatie.
assessment-edit-steps = Stappen aanpassen
child-assessments = Belangenafwegingen:
child-assessment-start = Belangenafweging starten
history-assessment-created = Belangenafweging van kind { $child } gestart
history-assessment-saved = Belangenafweging van kind { $child }: stap { $steps } opgeslagen
history-assessment-completed = Belangenafweging van kind { $child } compleet (stap { $steps } opgeslagen)
child-edit = Gegevens van dit kind invullen of aanpassen
child-form-heading = Gegevens van een kind
child-form-where = Waar het kind verblijft
child-form-age-hint = 0 tot en met 17 jaar, zoals bij de casus. Leeg als u het niet weet.
child-form-school = School
child-form-days-hint = Alleen als het kind van school moest veranderen of school mist. Leeg als u het niet weet.
child-form-heard = Gehoord en afgewogen
child-form-heard-hint = Is het kind gehoord over de beslissing over het huis? En is zijn belang afgewogen?
child-form-help = Hulp en aantekeningen
child-form-notes-hint = Vertrouwelijk. Geen namen.
child-form-save = Opslaan
child-assessed-in-dakwacht = ja (belangenafweging in dakwacht)
history-child-created = Gegevens van kind { $child } vastgelegd
history-child-changed = Gegevens van kind { $child } aangepast: { $fields }
dashboard-not-for-publication = Niet voor publicatie.
dashboard-not-for-publication-why = Deze cijfers zijn geteld zoals ze zijn, voor het werk van uw eigen organisatie. Kleine aantallen kunnen gezinnen herkenbaar maken: deel ze niet buiten de organisatie.
dashboard-published = Gepubliceerde cijfers.
dashboard-held-back-legend = { $small } betekent: minder dan { $minimum } gezinnen of kinderen. × betekent: niet getoond, omdat het percentage op te weinig gezinnen berust of omdat een klein aantal anders uit de andere cijfers te berekenen is.
dashboard-quarters = Woningverlies per kwartaal
dashboard-quarters-intro = Per kwartaal, zodat kleine aantallen niet per maand zichtbaar worden. Kwartalen met minder dan { $minimum } gezinnen staan samen in de rij ‘{ $merged }’.
dashboard-quarter = Kwartaal
dashboard-bundle = Publicatiebundel van deze selectie downloaden (zip met rapport.pdf, cijfers.xlsx, cijfers.csv en cijfers.json)
dashboard-bundle-intro = De bundel bevat de cijfers zoals ze gepubliceerd mogen worden: kleine aantallen zijn beschermd volgens het beleid, ook waar dit dashboard ze onbeschermd toont.

# The rights check (rechtencheck), for families: B1, "u".
rights-title = Rechtencheck: uit huis, wat nu?
rights-intro = Beantwoord een paar vragen. Dan ziet u welke rechten u heeft en wat u nu kunt doen. Wij bewaren uw antwoorden niet.
rights-next = Volgende
rights-back = Vorige vraag
rights-date-hint = Bijvoorbeeld 1-12-2026. Weet u het niet? Laat het dan leeg.
rights-date-error = Dit is geen datum. Schrijf de datum zo: 1-12-2026.
rights-result-title = Uw rechten
rights-none = Uit uw antwoorden blijkt geen recht dat wij kennen. Twijfelt u? Vraag dan hulp.
rights-steps = Wat u nu kunt doen:
rights-help = Hier kunt u hulp krijgen
rights-phone = Telefoon
rights-print = U kunt deze pagina printen en meenemen naar uw hulpverlener.
rights-again = Opnieuw beginnen

# Letters (src/letters.rs)
letter-back = Terug naar de brieven
letter-back-to-rights = Terug naar uw rechten
letter-explanation = Wat staat er in deze brief?
letter-dates = Datums in de brief
letter-dates-hint = Deze datums rekent dakwacht uit vanaf vandaag. Kijk of ze kloppen.
letter-fields = Gegevens voor de brief
letter-fields-hint = Namen en adressen bewaart dakwacht niet. Laat u een vak leeg? Dan staat er een stippellijn in de brief, om met de hand in te vullen.
letter-to-text = Naar de tekst van de brief
letter-text = Tekst van de brief
letter-text-hint = Lees de brief en pas hem aan als dat nodig is. Een lege regel begint een nieuwe alinea; een regel die begint met "- " is een opsomming. Gaat u terug naar de gegevens? Dan maakt dakwacht de tekst opnieuw en zijn uw wijzigingen weg.
letter-not-in-pdf = Deze tekens staan niet in het lettertype van de PDF en worden daarin een vraagteken (?). Het Word-bestand (DOCX) houdt ze wel:
letter-not-in-pdf-more = en nog { $count } andere
letter-subject = Onderwerp
letter-body = Tekst
letter-make-pdf = PDF maken
letter-make-docx = Word-bestand (DOCX) maken
letter-to-fields = Terug naar de gegevens
letter-too-long = De brief is te lang. Een vak mag 1.000 tekens hebben, het onderwerp 300 en de tekst 20.000.
letter-empty = De tekst van de brief is leeg.
letters-title = Brieven voor casus { $reference }
letters-offered = Brieven bij de signalen van deze casus
letters-offered-hint = Deze brieven passen bij wat de regels over deze casus zeggen.
letters-none-offered = De signalen van deze casus vragen om geen van de brieven. Hieronder staan ze allemaal.
letters-children = Brief aan een kind over een besluit
letters-to-child = Kind { $child }: { $decision }
letters-others = Andere brieven
letters-made = Gemaakte brieven
letters-none-made = Voor deze casus is nog geen brief gemaakt.
case-letters = Brieven
rights-letters = Brieven die u kunt laten maken
rights-letters-hint = dakwacht maakt een brief voor u klaar. U vult zelf namen en adressen in. Wij bewaren niets.
rights-letter-make = Brief maken
rights-switch-language = In English, with your answers
rights-children = Voor uw kinderen
rights-child-version = Uitleg voor kinderen vanaf 8 jaar, in makkelijke woorden
child-version-intro = Deze uitleg is voor kinderen vanaf ongeveer 8 jaar. Lees hem samen, of print hem.
child-version-back = Naar de rechtencheck voor ouders
rights-save = Antwoorden opslaan in een casus
rights-save-hint = Voor medewerkers: de antwoorden vullen de velden van een bestaande casus van uw organisatie in. Dat komt in de geschiedenis van de casus.
rights-save-case = Kenmerk van de casus
rights-save-button = Opslaan in de casus
rights-save-no-case = Vul het kenmerk van de casus in.
rights-save-not-found = Uw organisatie heeft geen casus met kenmerk { $reference }.
rights-save-refused = De casus kan deze antwoorden niet opnemen: { $problems }. Pas de casus eerst aan.

## Second factor
nav-second-factor = Tweede factor
code-title = Code uit uw app
code-intro = Uw wachtwoord klopt. Open de authenticator-app op uw telefoon en typ de code van zes cijfers die bij dakwacht staat.
code-field = Code
code-hint = Zes cijfers uit de app. Telefoon kwijt? Typ dan een van uw herstelcodes.
code-button = Inloggen
code-wrong = Deze code klopt niet, is al gebruikt of is verlopen. Typ de code die de app nu laat zien.
code-start-again = Opnieuw beginnen met inloggen
code-wrong-set-up = Deze code klopt niet. Typ de code die de app nu bij dakwacht laat zien; controleer of de tijd op uw telefoon goed staat.
set-up-title = Tweede factor instellen
set-up-required = Het account { $username } moet inloggen met een tweede factor: naast uw wachtwoord een code uit een app op uw telefoon. Stel die nu in; daarna bent u ingelogd.
set-up-replaces = U heeft al een app ingesteld. Als u een nieuwe instelt, werkt de oude niet meer, krijgt u nieuwe herstelcodes en worden uw andere sessies beëindigd.
set-up-step-app = Installeer een authenticator-app op uw telefoon, bijvoorbeeld FreeOTP, Aegis, Google Authenticator of Microsoft Authenticator.
set-up-step-scan = Kies in de app ‘account toevoegen’ en scan deze QR-code. Lukt scannen niet, typ dan deze sleutel over:
set-up-qr-alt = QR-code om dakwacht aan uw authenticator-app toe te voegen. Kunt u hem niet scannen, typ dan de sleutel eronder over.
set-up-secret = Sleutel:
set-up-step-code = Typ de code van zes cijfers die de app nu laat zien.
set-up-code-field = Code uit de app
set-up-button = Instellen
set-up-done = Uw tweede factor is ingesteld. Voortaan vraagt dakwacht na uw wachtwoord om een code uit de app.
recovery-heading = Uw herstelcodes
recovery-intro = Bent u uw telefoon kwijt, dan logt u in met een van deze codes; elke code werkt één keer. Bewaar ze op papier of in een wachtwoordkluis, niet op de telefoon zelf. U ziet ze alleen nu.
set-up-continue = Verder naar dakwacht
users-factor = Tweede factor
users-factor-set = ingesteld
users-factor-missing = nodig, nog niet ingesteld
users-factor-none = niet nodig
users-end-sessions = Sessies beëindigen
users-end-sessions-label = Alle sessies van { $username } beëindigen
users-reset-factor = Tweede factor intrekken
users-reset-factor-label = De tweede factor van { $username } intrekken
end-sessions-done = Alle sessies van { $username } zijn beëindigd
end-sessions-count = { $count ->
    [one] Er was 1 sessie. Wie met dit account werkte, moet opnieuw inloggen.
   *[other] Er waren { $count } sessies. Wie met dit account werkte, moet opnieuw inloggen.
}
end-sessions-not-yourself = Uw eigen sessie beëindigt u met Uitloggen.
end-all-sessions-heading = Alle sessies beëindigen
end-all-sessions-hint = Bijvoorbeeld na een vermoedelijke inbraak of een uitgelekt wachtwoord: iedereen moet opnieuw inloggen, behalve u in deze sessie.
end-all-sessions-link = Alle sessies beëindigen…
end-all-sessions-confirm = Iedereen van { $scope } die nu is ingelogd, ook via de API, moet opnieuw inloggen. Alleen uw eigen sessie blijft. Dit kunt u niet ongedaan maken.
end-all-sessions-confirm-all = Iedereen die nu is ingelogd, bij elke organisatie en ook via de API, moet opnieuw inloggen. Alleen uw eigen sessie blijft. Dit kunt u niet ongedaan maken.
end-all-sessions-button = Ja, alle sessies beëindigen
end-all-sessions-done = Alle sessies zijn beëindigd, behalve de uwe
end-all-sessions-count = { $count ->
    [one] 1 sessie is beëindigd.
   *[other] { $count } sessies zijn beëindigd.
}
factor-reset-heading = Tweede factor van { $username } intrekken?
factor-reset-confirm = Doe dit alleen als { $username } ({ $role }, { $organisation }) de telefoon én de herstelcodes kwijt is, en u zeker weet dat u met deze persoon spreekt: persoonlijk, of door terug te bellen op een nummer dat u al kende. De app en de herstelcodes werken dan niet meer, alle sessies van het account eindigen, en bij de volgende keer inloggen stelt { $username } een nieuwe app in.
factor-reset-button = Tweede factor intrekken
factor-reset-done = De tweede factor van { $username } is ingetrokken
factor-reset-next = Bij de volgende keer inloggen stelt deze gebruiker een nieuwe app in.
factor-reset-none = { $username } had geen tweede factor ingesteld
factor-reset-not-yourself = Uw eigen tweede factor kunt u niet intrekken; stel onder ‘Tweede factor’ een nieuwe app in.
policy-heading = Tweede factor voor professionals
policy-intro = Beheerders en coördinatoren loggen altijd in met een tweede factor. Een organisatie kan dat ook van haar professionals vragen; wie al is ingelogd, krijgt de vraag bij de volgende keer inloggen.
policy-required = { $organisation }: professionals moeten een tweede factor gebruiken.
policy-optional = { $organisation }: professionals kiezen zelf of ze een tweede factor gebruiken.
policy-make-required = Verplicht maken voor { $organisation }
policy-make-optional = Niet meer verplichten voor { $organisation }

nav-sessions = Sessies
sessions-title = Waar u bent ingelogd
sessions-intro = Dit zijn de sessies van uw account die nog niet verlopen zijn: in een browser of met een API-sleutel. Een sessie die u niet meer gebruikt, kunt u hier beëindigen. De sessie waarin u nu werkt, beëindigt u met Uitloggen.
sessions-caption = Sessies van uw account
sessions-what = Soort
sessions-started = Begonnen
sessions-last-used = Laatst gebruikt
sessions-expires = Verloopt uiterlijk
sessions-browser = Browser
sessions-browser-unfinished = Browser, inloggen niet afgemaakt
sessions-api = API-sleutel
sessions-current = Deze sessie
sessions-end-one = Beëindigen
sessions-end-one-label = { $what } van { $started } beëindigen
sessions-end-others = Alle andere sessies beëindigen
sessions-ended = { $count ->
    [0] Er is geen sessie beëindigd: die was al afgelopen.
    [one] 1 sessie beëindigd.
   *[other] { $count } sessies beëindigd.
}
sessions-unknown = Herkent u een sessie niet? Beëindig hem en wijzig uw wachtwoord.
