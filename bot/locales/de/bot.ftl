# Deutsch. Übersetzt aus locales/en/bot.ftl: gleiche Nachrichten-IDs, gleiche Variablen.
# Anrede mit „du“, wie Discord selbst; Begriffe wie in Discords deutscher Oberfläche.

## Lists

list-sep = {", "}
list-and = { $first } und { $last }
list-or = { $first } oder { $last }

## Errors a member reads (bot/errors.py)

quota-off = Die Bilderstellung ist durch { $scope ->
        [member] dein Tageslimit auf diesem Server
        [server] das Tageslimit dieses Servers
        [personal] dein persönliches Tageslimit
       *[other] das Tageslimit
    } abgeschaltet (Limit 0). Es wird <t:{ $stamp }:R> zurückgesetzt (<t:{ $stamp }:t>).
quota-exceeded = Das würde { $scope ->
        [member] dein Tageslimit auf diesem Server
        [server] das Tageslimit dieses Servers
        [personal] dein persönliches Tageslimit
       *[other] das Tageslimit
    } überschreiten: Heute { $used } von { $limit } Bildern verbraucht, { $left } übrig, und du hast { $requested ->
        [one] { $requested } Bild
       *[other] { $requested } Bilder
    } angefordert. Es wird <t:{ $stamp }:R> zurückgesetzt (<t:{ $stamp }:t>).
too-many-jobs = Du hast bereits { $running ->
        [one] { $running } Auftrag
       *[other] { $running } Aufträge
    } in der Warteschlange oder in Arbeit (das Limit ist { $limit }). Warte, bis einer fertig ist, und versuch es dann noch einmal.
budget-off = Die Bilderstellung ist durch { $scope ->
        [member] dein Tagesbudget auf diesem Server
        [server] das Tagesbudget dieses Servers
        [server_month] das Monatsbudget dieses Servers
        [personal] dein persönliches Tagesbudget
       *[other] ein Budget
    } abgeschaltet ($0). Es wird <t:{ $stamp }:R> zurückgesetzt (<t:{ $stamp }:f>).
budget-exceeded-member = Das würde { $scope ->
        [personal] dein persönliches Tagesbudget
       *[member] dein Tagesbudget auf diesem Server
    } überschreiten: Du hast heute { $spent } von { $budget } ausgegeben, und diese Anfrage kann bis zu { $cost } kosten. Es wird <t:{ $stamp }:R> zurückgesetzt (<t:{ $stamp }:f>).
budget-exceeded-server = Das würde { $scope ->
        [server_month] das Monatsbudget dieses Servers überschreiten: Der Server hat diesen Monat { $spent } von { $budget } ausgegeben
       *[server] das Tagesbudget dieses Servers überschreiten: Der Server hat heute { $spent } von { $budget } ausgegeben
    } (du: { $user_spent } heute), und diese Anfrage kann bis zu { $cost } kosten. Es wird <t:{ $stamp }:R> zurückgesetzt (<t:{ $stamp }:f>).
price-unknown = Ich weiß nicht, was `{ $model }` kostet, und hier gilt ein Ausgabenbudget, also kann ich das Budget nicht einhalten. Wähle ein anderes Modell oder bitte einen Admin, den Preis in die PRICES_FILE des Bots einzutragen.
shutting-down = Ich starte gerade für ein Update neu; versuch es in einer Minute noch einmal.

## Errors of the image API (bot/gptproto/errors.py)

api-account-problem = Mit dem Konto des Bots beim Bilddienst stimmt etwas nicht, daher kann ich gerade keine Bilder erstellen; ein Admin wurde informiert. Dir wurde nichts berechnet.
api-rate-limited = Der Bilddienst ist gerade ausgelastet; bitte versuch es in einer Minute noch einmal. Dir wurde nichts berechnet.
api-rate-limited-wait = Der Bilddienst ist gerade ausgelastet; bitte versuch es in etwa { $seconds ->
        [one] { $seconds } Sekunde
       *[other] { $seconds } Sekunden
    } noch einmal. Dir wurde nichts berechnet.
api-content-policy = Dein Prompt wurde vom Sicherheitssystem des Anbieters blockiert; dir wurde nichts berechnet. Versuch es mit einer anderen Beschreibung.
api-bad-request = Der Bilddienst hat die Anfrage abgelehnt: { $reason } Dir wurde nichts berechnet.
api-input-unavailable = Der Bilddienst konnte das zu bearbeitende Bild nicht herunterladen: Discords Links zu Anhängen laufen nach einer Weile ab. Hänge das Bild mit /edit erneut an. Dir wurde nichts berechnet.
api-provider-error = Beim Bilddienst ist ein interner Fehler aufgetreten (HTTP { $status }); bitte versuch es in einer Minute noch einmal. Dir wurde nichts berechnet.
api-timeout = Der Bilddienst hat nicht innerhalb von { $seconds ->
        [one] { $seconds } Sekunde
       *[other] { $seconds } Sekunden
    } geantwortet; bitte versuch es später noch einmal. Dir wurde nichts berechnet.
api-connection = Ich konnte den Bilddienst nicht erreichen; bitte versuch es in einer Minute noch einmal. Dir wurde nichts berechnet.
api-malformed = Der Bilddienst hat etwas zurückgeschickt, das kein brauchbares Bild ist. Dir wurde nichts berechnet.
api-prediction-failed = Der Bilddienst konnte diese Bearbeitung nicht abschließen: { $reason }. Dir wurde nichts berechnet.
api-prediction-failed-no-reason = Der Bilddienst konnte diese Bearbeitung nicht abschließen; ein Grund wurde nicht genannt. Dir wurde nichts berechnet.
api-prediction-timeout = Der Bilddienst ist nicht innerhalb von { $seconds ->
        [one] { $seconds } Sekunde
       *[other] { $seconds } Sekunden
    } fertig geworden, daher habe ich aufgehört zu warten. Dir wurde nichts berechnet.
api-stream-broken = Die Verbindung zum Bilddienst ist abgebrochen, bevor das Bild fertig war. Ich habe es nicht selbst erneut versucht, weil eine neue Anfrage noch einmal berechnet werden könnte; führe den Befehl gern noch einmal aus. Dir wurde nichts berechnet.
api-not-found = Der Bilddienst kennt diesen Auftrag nicht mehr. Dir wurde nichts berechnet.

## The error path (bot/tree.py)

generic-failure = Bei mir ist etwas schiefgelaufen; das Log des Admins enthält die Details. Dir wurde nichts berechnet.
no-permission = Dazu fehlt dir hier die Berechtigung.
cooldown = Mach mal langsam: Versuch es in { $seconds } Sekunden noch einmal.
server-only = Dieser Befehl funktioniert nur auf einem Server.
# A sentence that came without a message id, shown as it is.
plain-text = { $text }

## Attachments (bot/images.py)

attachment-unnamed = der Anhang
attachment-empty = { $name } ist leer.
attachment-too-big = { $name } ist { $size } groß; { $what ->
        [masks] Masken
       *[images] Bilder
    } müssen kleiner als { $limit } sein.
attachment-just-too-big = { $name } ist knapp über { $limit } groß; { $what ->
        [masks] Masken
       *[images] Bilder
    } müssen kleiner als { $limit } sein.
attachment-wrong-type = { $name } ist kein Bild (laut Discord ist es `{ $mime }`); hänge ein PNG-, JPEG- oder WebP-Bild an.
attachment-not-image = { $name } ist kein Bild (die Daten sind weder PNG noch JPEG noch WebP).
attachment-unsupported-format = { $name } ist kein PNG-, JPEG- oder WebP-Bild ({ $detail }); nur diese drei Formate werden angenommen.
attachment-too-many-pixels = { $name } ist zu groß, um es sicher zu öffnen ({ $detail }).
attachment-damaged = { $name } ist unvollständig oder beschädigt.
attachment-unreadable = `{ $name }` konnte nicht gelesen werden.
attachment-download-failed = `{ $name }` konnte nicht von Discord heruntergeladen werden ({ $status }); hänge die Datei erneut an.
attachment-download-slow = `{ $name }` konnte nicht rechtzeitig von Discord heruntergeladen werden; versuch es gleich noch einmal.
mask-not-image = { $name } ist kein Bild; eine Maske muss ein PNG sein, dessen transparente Pixel markieren, wo bearbeitet wird.
mask-not-png = { $name } ist ein { $format }; eine Maske muss ein PNG sein, dessen transparente Pixel markieren, wo bearbeitet wird.
mask-wrong-size = { $name } ist { $size } groß, das Bild aber { $image_size }; eine Maske muss genau so groß sein wie das Bild.
mask-no-alpha = { $name } hat keinen Alphakanal (es ist { $mode }); eine Maske muss ein PNG mit Transparenz sein, dessen transparente Pixel markieren, wo bearbeitet wird.
mask-opaque = { $name } hat keine transparenten Pixel und markiert daher nichts zum Bearbeiten; mach den Bereich, der sich ändern soll, transparent.
note-fit-lossless = als verlustfreies WebP neu gespeichert, um unter das Upload-Limit von { $limit } zu passen
note-fit-quality = als { $format } (Qualität { $quality }) neu gespeichert, um unter das Upload-Limit von { $limit } zu passen
note-fit-scaled = auf { $size } verkleinert und als { $format } gespeichert, um unter das Upload-Limit von { $limit } zu passen

## Checking a request (bot/gptproto/registry.py)

model-unknown = `{ $model }` ist kein Modell, das ich hier verwenden kann; wähle eines von: { $models }.
prompt-empty = Dein Prompt ist leer: Beschreibe das Bild, das du möchtest.
prompt-too-long = Dein Prompt ist { $length } Zeichen lang; erlaubt sind { $limit }.
prompt-null = Dein Prompt enthält ein Nullzeichen; entferne es und versuch es noch einmal.
option-not-taken = { $model } unterstützt { $option ->
        [quality] die Qualität
        [background] den Hintergrund
       *[output_format] das Dateiformat
    } `{ $value }` nicht; wähle { $allowed }.
size-aspect-only = { $model } erwartet ein Seitenverhältnis, nicht `{ $size }`; wähle { $allowed }.
size-needs-explicit = { $model } braucht eine ausdrückliche Größe; wähle { $allowed }.
size-invalid = `{ $size }` ist keine Größe; schreib sie als BREITExHÖHE, zum Beispiel 1024x1024.
size-not-offered = { $model } kann { $size } nicht erstellen; wähle { $allowed }.
size-not-positive = Größen für { $model } müssen positiv sein; { $size } ist es nicht.
size-not-multiple = Größen für { $model } müssen Vielfache von { $multiple } px sein; { $size } ist es nicht.
size-edge-too-long = Größen für { $model } dürfen an der längsten Seite höchstens { $max } px haben; { $size } hat { $edge } px.
size-ratio = Größen für { $model } dürfen höchstens 3:1 (oder 1:3) sein; { $size } ist breiter.
size-too-few-pixels = Größen für { $model } brauchen mindestens { $min } Pixel (etwa 1024x640); { $size } hat { $pixels }.
size-too-many-pixels = Größen für { $model } dürfen höchstens { $max } Pixel haben (3840x2160); { $size } hat { $pixels }.
n-one-only = { $model } erstellt ein Bild pro Anfrage; lass `anzahl` weg oder setze es auf 1.
n-out-of-range = { $model } erstellt 1 bis { $max } Bilder pro Anfrage, nicht { $n }.
transparent-needs-png = Ein transparenter Hintergrund braucht PNG oder WebP als Dateiformat; JPEG kennt keine Transparenz.
edit-no-image = Hänge mindestens ein Bild zum Bearbeiten an.
edit-too-many-images = Eine Bearbeitung nimmt höchstens { $max } Bilder, nicht { $count }.
note-experimental-size = Größen über 2560x1440 sind bei diesem Modell experimentell
size-auto-label = automatisch (das Modell entscheidet)
size-experimental-label = { $size } (experimentell)
size-custom-label = { $size } (eigene Größe)

## A server's rules (bot/policy.py, bot/blocklist.py)

prompt-blocked = Dein Prompt enthält ein Wort oder eine Wendung, die die Admins dieses Servers gesperrt haben, daher habe ich ihn nicht gesendet. Bitte formuliere ihn um; dir wurde nichts berechnet.
no-model-allowed = Die Admins dieses Servers erlauben kein Modell für { $kind ->
        [edit] die Bildbearbeitung
       *[generate] die Bilderstellung
    }, sie ist hier also abgeschaltet.
model-not-allowed = `{ $model }` ist auf diesem Server nicht erlaubt; wähle eines von: { $models }.
model-default-label = { $model } (Standard hier)
term-empty = Der Begriff ist leer: Gib das Wort oder die Wendung ein, die gesperrt werden soll.
term-too-long = Dieser Begriff ist { $length } Zeichen lang; ein gesperrter Begriff darf höchstens { $max } haben (sperre einzelne Wörter oder kurze Wendungen).
term-no-letters = Dieser Begriff enthält weder Buchstaben noch Ziffern und könnte daher nie zu einem Prompt passen.
terms-full = Dieser Server sperrt bereits { $count } Begriffe, das Maximum, das ich speichere ({ $limit }); entferne zuerst welche mit `/sperrliste entfernen`.

## The audit log, in the server's language (bot/audit.py)

audit-title = { $outcome ->
        [delivered] Geliefert
        [failed] Fehlgeschlagen
        [refused] Abgelehnt
        [cancelled] Abgebrochen
       *[interrupted] Durch einen Neustart unterbrochen
    }: /{ $command }
audit-member = Mitglied
audit-channel = Kanal
audit-images = Bilder
audit-images-value = { $delivered } von { $requested }
audit-why = Grund
audit-note = Hinweis
audit-result = Ergebnis
audit-open-result = [Ergebnis öffnen]({ $link })
audit-blocked-term = gesperrter Begriff
audit-model-not-allowed = Modell nicht erlaubt
audit-cancelled-by = abgebrochen von <@{ $by }>
audit-interrupted = durch einen Neustart unterbrochen

## Progress, results and failures of a job (bot/render.py, bot/jobs/)

summary-images = { $n } Bilder
progress-queued = Wartet in der Warteschlange: Position { $position }
progress-elapsed = bisher { $seconds } s
seconds-short = { $seconds } s
phase-queued = In der Warteschlange
phase-generating = Wird erstellt …
phase-generating-preview = Wird erstellt … Vorschau { $index } von { $count }
phase-sending-edit = Dein Bild wird an den Editor gesendet …
phase-editing = Wird bearbeitet … in Arbeit
phase-editing-queued = Wird bearbeitet … beim Anbieter in der Warteschlange
field-request = Anfrage
field-model = Modell
field-size = Größe
field-quality = Qualität
field-time = Dauer
field-cost = Kosten
field-requested-by = Angefordert von
field-your-quota = Dein Kontingent
field-prompt = Prompt
failure-title = Diesmal kein Bild
quota-left-unlimited = unbegrenzt
quota-left = noch { $left } von { $limit } Bildern heute
button-reroll = Neu würfeln
button-edit = Bearbeiten
button-delete = Löschen
button-cancel = Abbrechen
result-ready = <@{ $user }>, dein Bild ist fertig.
cancelled-notice = Abgebrochen; dir wurde nichts berechnet.
cancelled-by-admin-notice = Abgebrochen von <@{ $by }> (Server-Admin); dir wurde nichts berechnet.
interrupted-notice = Der Bot wurde neu gestartet, während dieses Bild erstellt wurde, und die Anfrage hat den Bilddienst vielleicht erreicht, vielleicht auch nicht – daher habe ich sie nicht noch einmal gesendet. Dir wurde nichts berechnet; führe den Befehl gern noch einmal aus.
request-lost-notice = Deine Anfrage vom <t:{ $stamp }:f> ist bei einem Neustart des Bots verloren gegangen, und dir wurde nichts berechnet; führe den Befehl gern noch einmal aus.
channel-missing-permissions = Ich kann in diesem Kanal keine Bilder posten: Mir { $count ->
        [one] fehlt hier die Berechtigung
       *[other] fehlen hier die Berechtigungen
    } { $permissions }. Frag einen Server-Admin oder versuch es in einem anderen Kanal.
post-forbidden = Ich kann in diesem Kanal nicht posten: Ich brauche hier die Berechtigungen „Kanal ansehen“, „Nachrichten senden“, „Dateien anhängen“ und „Links einbetten“. Dir wurde nichts berechnet.
perm-view-channel = „Kanal ansehen“
perm-send-messages = „Nachrichten senden“
perm-send-messages-in-threads = „Nachrichten in Threads senden“
perm-attach-files = „Dateien anhängen“
perm-embed-links = „Links einbetten“
perm-read-message-history = „Nachrichtenverlauf anzeigen“

## Buttons and forms (cogs/results.py, cogs/edit.py)

form-prompt-label = Was soll sich ändern?
form-edit-result-title = Dieses Bild bearbeiten
form-edit-result-placeholder = mach es nachts, füge einen roten Regenschirm hinzu …
form-edit-menu-title = Bild bearbeiten
form-edit-menu-placeholder = färbe den Himmel lila, füge einen Leuchtturm hinzu …
button-job-unknown = Ich kenne den Auftrag dieses Bildes nicht mehr, daher kann ich das nicht tun.
delete-not-allowed = Nur das Mitglied, das dieses Bild angefordert hat, oder ein Server-Admin kann es löschen.
cancel-not-allowed = Nur das Mitglied, das dieses Bild angefordert hat, oder ein Server-Admin kann es abbrechen.
cancel-too-late = Dieser Auftrag ist schon fertig (oder wird gerade gepostet) und kann nicht mehr abgebrochen werden.
edit-no-images-left = Diese Nachricht hat keine Bilder mehr, die bearbeitet werden können.
menu-no-images = Diese Nachricht hat keine Bilder zum Bearbeiten; wähle eine Nachricht mit angehängtem Bild.
menu-message-gone = Ich kann diese Nachricht nicht mehr lesen (vielleicht wurde sie gelöscht); öffne das Menü an ihr noch einmal.

## /quota (cogs/quota.py)

unlimited = unbegrenzt
nothing-yet = noch nichts
nobody-yet = noch niemand
and-more = … und { $count } weitere
amount-of = { $part } von { $whole }
images-count = { $count ->
        [one] { $count } Bild
       *[other] { $count } Bilder
    }
limit-invalid = `{ $value }` ist kein Limit: Gib eine ganze Zahl von Bildern pro Tag an, 0 zum Sperren oder `unlimited`.
budget-invalid = `{ $value }` ist kein Budget: Gib einen Betrag in US-Dollar von 0 (sperrt) bis { $max } an.
quota-spent-today = Heute ausgegeben
quota-budget-left-today = Budget heute übrig
quota-server-budget-left = Serverbudget übrig
quota-server-budget-today = heute { $left }
quota-server-budget-month = diesen Monat { $left } (Zurücksetzung <t:{ $stamp }:R>)
limit-source-role = von der Rolle <@&{ $role }>
limit-source-member = von einem Admin für dich festgelegt
limit-source-server = Standard dieses Servers
limit-source-bot = Standard des Bots
quota-title = Bildkontingent von { $name }
quota-used-today = Heute verbraucht
quota-left-today = Heute übrig
quota-daily-limit = Tageslimit
quota-limit-with-source = { $limit } ({ $source })
quota-server-left-today = Server heute übrig
quota-jobs-running = Laufende Aufträge
quota-resets = Zurücksetzung
quota-show-not-allowed = Nur Server-Admins (Server verwalten) können das Kontingent anderer Mitglieder sehen.
quota-set-not-allowed = Nur Server-Admins (Server verwalten) können Limits ändern.
quota-stats-not-allowed = Nur Server-Admins (Server verwalten) können die Statistiken des Servers sehen.
quota-set-nothing = Gib ein `limit` (Bilder pro Tag), ein `budget_usd` (Dollar) oder beides an.
quota-period-without-budget = `zeitraum` gehört zu `budget_usd`; gib auch das Budget an.
quota-month-server-only = Ein Monatsbudget gibt es nur für die Summe des Servers: Füge `server_gesamt:True` hinzu oder verwende `zeitraum:Tag`.
quota-clear-month-server-only = Nur die Summe des Servers hat ein Monatsbudget: Füge `server_gesamt:True` hinzu.
quota-clear-period-images = `zeitraum` gilt für Budgets; lass es weg, um das Bildlimit zurückzusetzen.
quota-one-target = Wähle nur eines von `mitglied`, `rolle` oder `server_gesamt`, nicht mehrere.
quota-done-limit = { $limit } pro Tag
quota-done-budget = ein Budget von { $budget } pro { $period ->
        [month] Monat
       *[day] Tag
    }
quota-set-done = Erledigt: Für { $target } gilt jetzt { $what }.
quota-cleared-limit = Bildlimit
quota-cleared-budget = { $period ->
        [day] Tagesbudget
        [month] Monatsbudget
       *[any] Budget
    }
quota-cleared = Zurückgesetzt: { $what } für { $target }.
quota-nothing-to-clear = Für { $target } war { $asked ->
        [images] kein Limit
        [budget] kein Budget
       *[all] weder Limit noch Budget
    } festgelegt.
target-member = { $member }
target-role = die Rolle { $role }
target-server-total = die Summe dieses Servers
target-member-default = den Standard jedes Mitglieds auf diesem Server
stats-title = Bildnutzung auf diesem Server
stats-today = Heute
stats-today-value = { $images ->
        [one] { $images } Bild
       *[other] { $images } Bilder
    }, { $jobs ->
        [one] { $jobs } Auftrag
       *[other] { $jobs } Aufträge
    }, { $tokens } Tokens
stats-last-7-days = Letzte 7 Tage
stats-period-value = { $images ->
        [one] { $images } Bild
       *[other] { $images } Bilder
    }, { $tokens } Tokens
stats-day-line = `{ $day }` { $images ->
        [one] { $images } Bild
       *[other] { $images } Bilder
    }, { $tokens } Tokens
stats-per-day = Pro Tag
stats-member-line = <@{ $user }>: { $images ->
        [one] { $images } Bild
       *[other] { $images } Bilder
    }, { $tokens } Tokens
stats-top-members = Aktivste Mitglieder (7 Tage)
stats-server-total = Serversumme
stats-member-default = Mitgliederstandard
stats-limit-line = { $who }: { $limit }
stats-budget-line = { $who }: Budget { $budget } pro { $period ->
        [month] Monat
       *[day] Tag
    }
stats-no-limits = keine (es gelten die Standards des Bots)
stats-limits-set = Hier festgelegte Limits

## /jobs (cogs/jobs.py)

job-state = { $state ->
        [queued] wartet
        [running] läuft
        [submitted] wird bearbeitet
        [delivering] wird gepostet
        [done] fertig
        [failed] fehlgeschlagen
        [interrupted] unterbrochen
       *[cancelled] abgebrochen
    }
jobs-cancel-button = { $job } abbrechen
jobs-unknown = Diesen Auftrag kenne ich nicht mehr.
jobs-cancelled = Auftrag `{ $job }` abgebrochen; es wurde nichts berechnet.
jobs-cancelled-for = Auftrag `{ $job }` abgebrochen; es wurde nichts berechnet. <@{ $user }> wurde mitgeteilt, wer ihn abgebrochen hat.
jobs-server-only = `server:True` funktioniert nur auf einem Server.
jobs-server-not-allowed = Nur Server-Admins (Server verwalten) können die Aufträge des ganzen Servers sehen.
jobs-server-title = Wartende und laufende Aufträge auf diesem Server: { $count }
jobs-server-empty = Nichts wartet oder läuft.
jobs-member-title = Deine Bildaufträge hier: { $count } in Arbeit
jobs-member-empty = Du hast hier noch keine Aufträge: Probier `/generieren` aus.

## /settings (cogs/settings.py)

settings-not-allowed = Nur Server-Admins (Server verwalten) können die Einstellungen dieses Servers sehen oder ändern.
settings-allowed-empty = `erlaubt` ist leer: Liste Modelle durch Kommas getrennt auf oder schreib `all`.
settings-unknown-models = Ich kenne { $count ->
        [one] das Modell
       *[other] die Modelle
    } { $models } nicht; es wurde nichts geändert. Bekannte Modelle: { $known }.
settings-source-environment = *Umgebungsstandard `{ $variable }`*
settings-source-server = *Servereinstellung*
settings-all-models = alle Modelle
settings-every-model = jedes Modell
settings-default-model = Standardmodell für /generieren
settings-default-edit-model = Standardmodell für /bearbeiten
settings-default-edit-model-value = `{ $model }` *Umgebungsstandard `DEFAULT_EDIT_MODEL`*{ $restricted ->
        [true] {" "}(erstes erlaubtes Bearbeitungsmodell)
       *[false] {""}
    }
settings-allowed-models = Erlaubte Modelle
settings-allowed-models-value = { $models } { $everything ->
        [true] *Umgebungsstandard (jedes Modell)*
       *[false] *Servereinstellung*
    }
settings-moderation = Moderation
settings-moderation-low-note = ; `low` wird nur in altersbeschränkten Kanälen gesendet, an { $models }
settings-previews = Live-Vorschau
settings-previews-off = aus
settings-previews-on = an, { $count } pro Bild (jede kostet 100 Ausgabe-Tokens)
settings-audit-log = Audit-Log
settings-audit-log-off = aus *(festlegen mit `/einstellungen protokoll`)*
settings-audit-log-on = <#{ $channel }> *Servereinstellung*
    { $health }
settings-log-works = Posten funktioniert
settings-log-failed = Ich konnte dort nicht posten: { $error }
settings-blocked-terms = Gesperrte Begriffe
settings-blocked-terms-value = { $count } (siehe `/sperrliste liste`)
settings-title = Einstellungen des Bildbots auf diesem Server
settings-daily-limits = Tageslimits
settings-daily-limits-value = { $member } Bilder pro Mitglied, { $server } pro Server, { $jobs } gleichzeitige Aufträge pro Mitglied *Umgebungsstandards; `/kontingent` für Ausnahmen*
settings-footer = Wer welchen Befehl nutzen darf: Servereinstellungen › Integrationen.
settings-models-nothing = Gib `standard`, `erlaubt` oder beides an; es wurde nichts geändert.
settings-default-not-generate = `{ $model }` ist kein Modell für /generieren; wähle eines von: { $models }. Es wurde nichts geändert.
settings-default-not-allowed = Das Standardmodell `{ $model }` wäre nicht erlaubt; füge es zu `erlaubt` hinzu oder gib einen `standard` aus der Liste an. Es wurde nichts geändert.
settings-models-done = Erledigt. Standardmodell: `{ $model }`. Erlaubt: { $allowed }.
settings-models-done-no-edit = Erledigt. Standardmodell: `{ $model }`. Erlaubt: { $allowed }. Kein Bearbeitungsmodell ist erlaubt, daher sind /bearbeiten und die Bearbeiten-Buttons hier abgeschaltet.
settings-log-both = Gib entweder `kanal` oder `aus` an, nicht beides; es wurde nichts geändert.
settings-log-off-done = Das Audit-Log ist aus.
settings-log-neither = Gib einen `kanal` für das Audit-Log an oder `aus:True`; es wurde nichts geändert.
settings-log-done = Erledigt: Jeder abgeschlossene Bildauftrag wird in <#{ $channel }> protokolliert.
settings-log-unseen = Ich kann <#{ $channel }> nicht sehen und dort also nicht protokollieren; es wurde nichts geändert.
settings-log-no-view = Ich kann <#{ $channel }> nicht sehen (mir fehlt dort „Kanal ansehen“); es wurde nichts geändert.
settings-log-missing-permissions = Ich kann in <#{ $channel }> nicht protokollieren: Mir { $count ->
        [one] fehlt dort die Berechtigung
       *[other] fehlen dort die Berechtigungen
    } { $permissions }. Es wurde nichts geändert.
settings-log-first-line = Die Bildaufträge dieses Servers werden hier protokolliert (festgelegt von <@{ $user }>).
settings-log-post-failed = Ich konnte nicht in <#{ $channel }> posten ({ $error }); es wurde nichts geändert.
settings-moderation-low-done = Erledigt: Die Moderation ist in altersbeschränkten Kanälen `low` (für { $models }) und überall sonst `auto`.
settings-moderation-auto-done = Erledigt: Die Moderation ist überall `auto`.
settings-previews-on-done = Erledigt: Die Live-Vorschau ist an ({ $count } pro Bild, jede kostet 100 Ausgabe-Tokens).
settings-previews-off-done = Erledigt: Die Live-Vorschau ist auf diesem Server aus.

## /blocklist (cogs/blocklist.py)

blocklist-added = Gesperrt: Prompts mit `{ $term }` (auch mit Leerzeichen, Satzzeichen oder in anderen Zeichenbreiten geschrieben) werden abgelehnt, bevor etwas ausgegeben wird. { $count } von höchstens { $max } Begriffen hier.
blocklist-already = `{ $term }` war hier schon gesperrt (oder ein Begriff mit denselben Buchstaben). Nichts geändert.
blocklist-removed = `{ $term }` ist nicht mehr gesperrt.
blocklist-not-blocked = `{ $term }` war hier nicht gesperrt. Nichts geändert.
blocklist-title = Gesperrte Begriffe auf diesem Server: { $count } von höchstens { $max }
blocklist-empty = Noch keine: Füge einen mit `/sperrliste hinzufügen` hinzu.

## /usage and its chart (cogs/usage.py, bot/charts.py)

usage-not-allowed = Nur Server-Admins (Server verwalten) können die Ausgaben des Servers sehen.
usage-title-member = Ausgaben von { $name }
usage-title-server = Ausgaben auf dem Server { $name }
usage-title-this-server = Ausgaben auf diesem Server
usage-summary = **{ $total }** in den letzten { $days ->
        [one] { $days } Tag
       *[other] { $days } Tagen
    } (UTC), für { $images ->
        [one] { $images } geliefertes Bild
       *[other] { $images } gelieferte Bilder
    } in { $jobs ->
        [one] { $jobs } Auftrag
       *[other] { $jobs } Aufträgen
    }.
usage-today = Heute
usage-refunded = Erstattet
usage-refunded-value = { $jobs ->
        [one] { $jobs } Auftrag
       *[other] { $jobs } Aufträge
    } ({ $amount } nicht berechnet)
usage-per-model = Pro Modell
usage-member-line = <@{ $user }>: { $amount }, { $images ->
        [one] { $images } Bild
       *[other] { $images } Bilder
    }
usage-top-members = Mitglieder mit den höchsten Ausgaben
usage-note = Kosten zu den Preisen des Bots (PRICES_FILE oder die eingebauten Listenpreise).
usage-note-estimated = Kosten zu den Preisen des Bots (PRICES_FILE oder die eingebauten Listenpreise). { $estimated } davon sind geschätzt (Bearbeitungen melden keinen Token-Verbrauch).
chart-other-models = { $count ->
        [one] { $count } weiteres Modell
       *[other] { $count } weitere Modelle
    }
chart-subtitle = { $total } in { $days ->
        [one] { $days } Tag
       *[other] { $days } Tagen
    } (UTC), { $images ->
        [one] { $images } Bild
       *[other] { $images } Bilder
    } geliefert
chart-nothing-spent = In diesem Zeitraum wurde nichts ausgegeben

## The slash commands

cmd-generate = generieren
cmd-generate-desc = Erstelle ein Bild aus einer Beschreibung.
opt-generate-prompt = prompt
opt-generate-prompt-desc = Was das Bild zeigen soll, so ausführlich, wie du möchtest.
opt-generate-model = modell
opt-generate-model-desc = Welches Modell es zeichnet (ohne Angabe der Standard des Servers).
opt-generate-size = größe
opt-generate-size-desc = Pixelgröße oder Seitenverhältnis; die Auswahl hängt vom Modell ab.
opt-generate-quality = qualität
opt-generate-quality-desc = Höhere Qualität dauert länger.
choice-quality-auto = automatisch
choice-quality-low = niedrig
choice-quality-medium = mittel
choice-quality-high = hoch
opt-generate-n = anzahl
opt-generate-n-desc = Wie viele Bilder erstellt werden (jedes zählt für dein Tageskontingent).
opt-generate-background = hintergrund
opt-generate-background-desc = Transparente Hintergründe brauchen PNG oder WebP als Dateiformat.
choice-background-auto = automatisch
choice-background-opaque = deckend
choice-background-transparent = transparent
opt-generate-output_format = dateiformat
opt-generate-output_format-desc = Der Dateityp des Ergebnisses.
choice-format-auto = automatisch
choice-format-png = png
choice-format-jpeg = jpeg
choice-format-webp = webp
cmd-edit = bearbeiten
cmd-edit-desc = Verändere ein Bild mit einer Beschreibung dessen, was passieren soll.
opt-edit-prompt = prompt
opt-edit-prompt-desc = Was sich ändern soll, zum Beispiel „lass es schneien“.
opt-edit-image = bild
opt-edit-image-desc = Das zu bearbeitende Bild (PNG, JPEG oder WebP, unter 50 MB).
opt-edit-image2 = bild2
opt-edit-image2-desc = Ein weiteres Referenzbild.
opt-edit-image3 = bild3
opt-edit-image3-desc = Ein weiteres Referenzbild.
opt-edit-mask = maske
opt-edit-mask-desc = Ein PNG in der Größe des ersten Bildes; seine transparenten Pixel markieren, wo bearbeitet wird.
opt-edit-model = modell
opt-edit-model-desc = Welches Bearbeitungsmodell verwendet wird.
opt-edit-size = größe
opt-edit-size-desc = Größe des Ergebnisses.
opt-edit-quality = qualität
opt-edit-quality-desc = Höhere Qualität dauert länger.
cmd-quota = kontingent
cmd-quota-desc = Tägliche Bildlimits ansehen und verwalten
cmd-quota-show = anzeigen
cmd-quota-show-desc = Sieh, wie viele Bilder du heute erstellt und was du ausgegeben hast und was noch übrig ist.
opt-quota-show-member = mitglied
opt-quota-show-member-desc = (Admins) Die Nutzung eines anderen Mitglieds statt deiner eigenen ansehen.
cmd-quota-set = festlegen
cmd-quota-set-desc = (Admins) Tageslimit für Bilder oder Ausgabenbudget für ein Mitglied, eine Rolle oder den Server
opt-quota-set-limit = limit
opt-quota-set-limit-desc = Bilder pro Tag: eine Zahl, 0 zum Sperren oder „unlimited“.
opt-quota-set-budget_usd = budget_usd
opt-quota-set-budget_usd-desc = Geld pro Tag in US-Dollar (0 sperrt), berechnet zu den Preisen des Bots.
opt-quota-set-period = zeitraum
opt-quota-set-period-desc = Zeitraum des Budgets: Tag (Standard) oder Monat, nur für die Summe des Servers.
choice-day = Tag
choice-month = Monat
opt-quota-set-member = mitglied
opt-quota-set-member-desc = Das eigene Limit dieses Mitglieds festlegen (geht Rollen- und Serverlimits vor).
opt-quota-set-role = rolle
opt-quota-set-role-desc = Das Limit der Mitglieder mit dieser Rolle festlegen (die großzügigste Rolle gilt).
opt-quota-set-server_total = server_gesamt
opt-quota-set-server_total-desc = Die Summe des ganzen Servers statt des Standards pro Mitglied festlegen.
cmd-quota-clear = zurücksetzen
cmd-quota-clear-desc = (Admins) Ein festgelegtes Limit oder Budget entfernen, damit wieder das nächstallgemeinere gilt.
opt-quota-clear-member = mitglied
opt-quota-clear-member-desc = Das eigene Limit dieses Mitglieds zurücksetzen.
opt-quota-clear-role = rolle
opt-quota-clear-role-desc = Das Limit dieser Rolle zurücksetzen.
opt-quota-clear-server_total = server_gesamt
opt-quota-clear-server_total-desc = Die Summe des Servers statt des Standards pro Mitglied zurücksetzen.
opt-quota-clear-what = was
opt-quota-clear-what-desc = Das Bildlimit, das Budget oder beides (Standard) zurücksetzen.
choice-all = alles
choice-images = Bilder
choice-budget = Budget
opt-quota-clear-period = zeitraum
opt-quota-clear-period-desc = Für die Summe des Servers: nur das Tages- oder Monatsbudget zurücksetzen (Standard: beide).
cmd-quota-stats = statistik
cmd-quota-stats-desc = (Admins) Bilder und Tokens dieses Servers heute und in den letzten 7 Tagen, und die Limits.
cmd-usage = ausgaben
cmd-usage-desc = (Admins) Ausgaben dieses Servers für Bilder: Diagramm pro Tag und Modell, Summen, Top-Mitglieder.
opt-usage-days = tage
opt-usage-days-desc = Wie viele Tage zurück, heute eingeschlossen (1 bis 90; Standard 30).
opt-usage-member = mitglied
opt-usage-member-desc = Nur die Ausgaben dieses Mitglieds zeigen.
cmd-settings = einstellungen
cmd-settings-desc = (Admins) Die Einstellungen des Bildbots auf diesem Server
cmd-settings-show = anzeigen
cmd-settings-show-desc = (Admins) Alles, was auf diesem Server gilt, und woher jeder Wert kommt.
cmd-settings-models = modelle
cmd-settings-models-desc = (Admins) Das Standardmodell für /generieren wählen und welche Modelle Mitglieder nutzen dürfen.
opt-settings-models-default = standard
opt-settings-models-default-desc = Das Modell, das /generieren nutzt, wenn ein Mitglied keines wählt.
opt-settings-models-allowed = erlaubt
opt-settings-models-allowed-desc = Modelle, die Mitglieder nutzen dürfen, durch Kommas getrennt, oder „all“.
cmd-settings-log = protokoll
cmd-settings-log-desc = (Admins) Kanal wählen, in dem jeder fertige Bildauftrag protokolliert wird, oder Log abschalten.
opt-settings-log-channel = kanal
opt-settings-log-channel-desc = Ein Textkanal, den der Bot sehen und in dem er posten kann.
opt-settings-log-off = aus
opt-settings-log-off-desc = True, um das Protokollieren zu beenden.
cmd-settings-moderation = moderation
cmd-settings-moderation-desc = (Admins) Die Moderationsstufe des Anbieters: low gilt nur in altersbeschränkten Kanälen.
opt-settings-moderation-level = stufe
opt-settings-moderation-level-desc = auto überall, oder low in altersbeschränkten (NSFW-)Kanälen und sonst auto.
choice-moderation-auto = auto (Standard des Anbieters)
choice-moderation-low = low (nur in altersbeschränkten Kanälen)
cmd-settings-previews = vorschau
cmd-settings-previews-desc = (Admins) Die Live-Vorschau für diesen Server an- oder abschalten.
opt-settings-previews-on = an
opt-settings-previews-on-desc = True zeigt Teilbilder, während ein Bild entsteht (jedes kostet zusätzliche Tokens).
cmd-blocklist = sperrliste
cmd-blocklist-desc = (Admins) Wörter und Wendungen, die in Prompts abgelehnt werden
cmd-blocklist-add = hinzufügen
cmd-blocklist-add-desc = (Admins) Prompts mit einem Wort oder einer Wendung ablehnen, wie auch immer geschrieben.
opt-blocklist-add-term = begriff
opt-blocklist-add-term-desc = Ein Wort oder eine kurze Wendung (nur ganze Wörter: „Rad“ sperrt nicht „Fahrrad“).
cmd-blocklist-remove = entfernen
cmd-blocklist-remove-desc = (Admins) Ein gesperrtes Wort oder eine Wendung wieder erlauben.
opt-blocklist-remove-term = begriff
opt-blocklist-remove-term-desc = Der gesperrte Begriff, wie `/sperrliste liste` ihn zeigt.
cmd-blocklist-list = liste
cmd-blocklist-list-desc = (Admins) Die Wörter und Wendungen, die hier in Prompts abgelehnt werden.
cmd-jobs = aufträge
cmd-jobs-desc = Deine laufenden und wartenden Bildaufträge und die letzten zehn fertigen sehen und abbrechen.
opt-jobs-server = server
opt-jobs-server-desc = (Admins) Die Warteschlange des ganzen Servers, mit einem Abbrechen-Button an jedem Auftrag.
cmd-edit-image = Bild bearbeiten
