# Français. Traduit de locales/en/bot.ftl : mêmes identifiants de message, mêmes variables.
# Vouvoiement ; termes de l'interface française de Discord (salon, rôle, « Gérer le serveur »).
# Espace fine insécable avant : ; ? ! comme le veut la typographie française.

## Lists

list-sep = {", "}
list-and = { $first } et { $last }
list-or = { $first } ou { $last }

## Errors a member reads (bot/errors.py)

quota-off = La génération d'images est désactivée par { $scope ->
        [member] votre limite quotidienne sur ce serveur
        [server] la limite quotidienne de ce serveur
        [personal] votre limite quotidienne personnelle
       *[other] la limite quotidienne
    } (limite 0). Elle sera réinitialisée <t:{ $stamp }:R> (<t:{ $stamp }:t>).
quota-exceeded = Cela dépasserait { $scope ->
        [member] votre limite quotidienne sur ce serveur
        [server] la limite quotidienne de ce serveur
        [personal] votre limite quotidienne personnelle
       *[other] la limite quotidienne
    } : images utilisées aujourd'hui : { $used } sur { $limit }, il en reste { $left }, et vous en demandez { $requested }. Elle sera réinitialisée <t:{ $stamp }:R> (<t:{ $stamp }:t>).
too-many-jobs = Vous avez déjà { $running ->
        [one] { $running } tâche
       *[other] { $running } tâches
    } en attente ou en cours (la limite est de { $limit }). Attendez qu'une tâche se termine, puis réessayez.
budget-off = La génération d'images est désactivée par { $scope ->
        [member] votre budget quotidien sur ce serveur
        [server] le budget quotidien de ce serveur
        [server_month] le budget mensuel de ce serveur
        [personal] votre budget quotidien personnel
       *[other] un budget
    } (0 $). Il sera réinitialisé <t:{ $stamp }:R> (<t:{ $stamp }:f>).
budget-exceeded-member = Cela dépasserait { $scope ->
        [personal] votre budget quotidien personnel
       *[member] votre budget quotidien sur ce serveur
    } : vous avez dépensé { $spent } sur { $budget } aujourd'hui, et cette demande peut coûter jusqu'à { $cost }. Il sera réinitialisé <t:{ $stamp }:R> (<t:{ $stamp }:f>).
budget-exceeded-server = Cela dépasserait { $scope ->
        [server_month] le budget mensuel de ce serveur : le serveur a dépensé { $spent } sur { $budget } ce mois-ci
       *[server] le budget quotidien de ce serveur : le serveur a dépensé { $spent } sur { $budget } aujourd'hui
    } (vous : { $user_spent } aujourd'hui), et cette demande peut coûter jusqu'à { $cost }. Il sera réinitialisé <t:{ $stamp }:R> (<t:{ $stamp }:f>).
price-unknown = Je ne connais pas le prix de `{ $model }` et un budget de dépenses s'applique ici : je ne peux donc pas le respecter. Choisissez un autre modèle, ou demandez à un admin d'ajouter son prix dans le PRICES_FILE du bot.
shutting-down = Je redémarre pour une mise à jour ; réessayez dans une minute.

## Errors of the image API (bot/gptproto/errors.py)

api-account-problem = Le compte du bot auprès du service d'images a un problème, je ne peux donc pas créer d'images pour le moment ; un admin a été prévenu. Rien ne vous a été facturé.
api-rate-limited = Le service d'images est très sollicité ; veuillez réessayer dans une minute. Rien ne vous a été facturé.
api-rate-limited-wait = Le service d'images est très sollicité ; veuillez réessayer dans environ { $seconds ->
        [one] { $seconds } seconde
       *[other] { $seconds } secondes
    }. Rien ne vous a été facturé.
api-content-policy = Votre prompt a été bloqué par le système de sécurité du fournisseur ; rien ne vous a été facturé. Essayez de le décrire autrement.
api-bad-request = Le service d'images a refusé la demande : { $reason } Rien ne vous a été facturé.
api-input-unavailable = Le service d'images n'a pas pu télécharger l'image à modifier : les liens de Discord vers les pièces jointes expirent au bout d'un moment. Joignez de nouveau l'image avec /modifier. Rien ne vous a été facturé.
api-provider-error = Le service d'images a rencontré une erreur interne (HTTP { $status }) ; veuillez réessayer dans une minute. Rien ne vous a été facturé.
api-timeout = Le service d'images n'a pas répondu en { $seconds ->
        [one] { $seconds } seconde
       *[other] { $seconds } secondes
    } ; veuillez réessayer plus tard. Rien ne vous a été facturé.
api-connection = Je n'ai pas pu joindre le service d'images ; veuillez réessayer dans une minute. Rien ne vous a été facturé.
api-malformed = Le service d'images a renvoyé quelque chose qui n'est pas une image utilisable. Rien ne vous a été facturé.
api-prediction-failed = Le service d'images n'a pas pu terminer cette modification : { $reason }. Rien ne vous a été facturé.
api-prediction-failed-no-reason = Le service d'images n'a pas pu terminer cette modification, sans en donner la raison. Rien ne vous a été facturé.
api-prediction-timeout = Le service d'images n'avait pas terminé au bout de { $seconds ->
        [one] { $seconds } seconde
       *[other] { $seconds } secondes
    }, j'ai donc cessé d'attendre. Rien ne vous a été facturé.
api-stream-broken = La connexion au service d'images a été coupée avant que l'image soit terminée. Je n'ai pas réessayé de moi-même, car une nouvelle demande pourrait être facturée à nouveau ; relancez la commande si vous le souhaitez. Rien ne vous a été facturé.
api-not-found = Le service d'images ne connaît plus cette tâche. Rien ne vous a été facturé.

## The error path (bot/tree.py)

generic-failure = Un problème est survenu de mon côté ; le journal de l'admin contient les détails. Rien ne vous a été facturé.
no-permission = Vous n'avez pas la permission de faire cela ici.
cooldown = Doucement : réessayez dans { $seconds } secondes.
server-only = Cette commande ne fonctionne que sur un serveur.
# A sentence that came without a message id, shown as it is.
plain-text = { $text }

## Attachments (bot/images.py)

attachment-unnamed = la pièce jointe
attachment-empty = { $name } est vide.
attachment-too-big = { $name } pèse { $size } ; les { $what ->
        [masks] masques
       *[images] images
    } doivent peser moins de { $limit }.
attachment-just-too-big = { $name } dépasse tout juste { $limit } ; les { $what ->
        [masks] masques
       *[images] images
    } doivent peser moins de { $limit }.
attachment-wrong-type = { $name } n'est pas une image (Discord indique `{ $mime }`) ; joignez une image PNG, JPEG ou WebP.
attachment-not-image = { $name } n'est pas une image (son contenu n'est ni du PNG, ni du JPEG, ni du WebP).
attachment-unsupported-format = { $name } n'est pas une image PNG, JPEG ou WebP ({ $detail }) ; seuls ces trois formats sont acceptés.
attachment-too-many-pixels = { $name } est trop grande pour être ouverte sans risque ({ $detail }).
attachment-damaged = { $name } est tronquée ou endommagée.
attachment-unreadable = `{ $name }` n'a pas pu être lue.
attachment-download-failed = `{ $name }` n'a pas pu être téléchargée depuis Discord ({ $status }) ; joignez-la de nouveau.
attachment-download-slow = `{ $name }` n'a pas pu être téléchargée depuis Discord à temps ; réessayez dans un instant.
mask-not-image = { $name } n'est pas une image ; un masque doit être un PNG dont les pixels transparents indiquent où modifier.
mask-not-png = { $name } est un { $format } ; un masque doit être un PNG dont les pixels transparents indiquent où modifier.
mask-wrong-size = { $name } mesure { $size } mais l'image mesure { $image_size } ; un masque doit avoir exactement la même taille que l'image.
mask-no-alpha = { $name } n'a pas de canal alpha (il est en { $mode }) ; un masque doit être un PNG avec transparence, dont les pixels transparents indiquent où modifier.
mask-opaque = { $name } n'a aucun pixel transparent, il n'indique donc rien à modifier ; rendez transparente la zone à changer.
note-fit-lossless = réenregistrée en WebP sans perte pour respecter la limite d'envoi de { $limit }
note-fit-quality = réenregistrée en { $format } (qualité { $quality }) pour respecter la limite d'envoi de { $limit }
note-fit-scaled = réduite à { $size } et enregistrée en { $format } pour respecter la limite d'envoi de { $limit }

## Checking a request (bot/gptproto/registry.py)

model-unknown = `{ $model }` n'est pas un modèle que je peux utiliser ici ; choisissez parmi : { $models }.
prompt-empty = Votre prompt est vide : décrivez l'image que vous voulez.
prompt-too-long = Votre prompt fait { $length } caractères ; la limite est de { $limit }.
prompt-null = Votre prompt contient un caractère nul ; supprimez-le et réessayez.
option-not-taken = { $model } n'accepte pas { $option ->
        [quality] la qualité
        [background] l'arrière-plan
       *[output_format] le format
    } `{ $value }` ; choisissez { $allowed }.
size-aspect-only = { $model } attend un format d'image (rapport largeur/hauteur), pas `{ $size }` ; choisissez { $allowed }.
size-needs-explicit = { $model } a besoin d'une taille précise ; choisissez { $allowed }.
size-invalid = `{ $size }` n'est pas une taille ; écrivez-la sous la forme LARGEURxHAUTEUR, par exemple 1024x1024.
size-not-offered = { $model } ne peut pas créer de { $size } ; choisissez { $allowed }.
size-not-positive = Les tailles de { $model } doivent être positives ; { $size } ne l'est pas.
size-not-multiple = Les tailles de { $model } doivent être des multiples de { $multiple } px ; { $size } n'en est pas.
size-edge-too-long = Les tailles de { $model } ne dépassent pas { $max } px sur le plus grand côté ; { $size } en fait { $edge }.
size-ratio = Les tailles de { $model } ne dépassent pas un rapport de 3:1 (ou 1:3) ; { $size } est plus allongé.
size-too-few-pixels = Les tailles de { $model } demandent au moins { $min } pixels (par exemple 1024x640) ; { $size } en a { $pixels }.
size-too-many-pixels = Les tailles de { $model } ont au plus { $max } pixels (3840x2160) ; { $size } en a { $pixels }.
n-one-only = { $model } crée une image par demande ; omettez `nombre` ou mettez-le à 1.
n-out-of-range = { $model } crée de 1 à { $max } images par demande, pas { $n }.
transparent-needs-png = Un arrière-plan transparent demande une sortie PNG ou WebP ; le JPEG ne gère pas la transparence.
edit-no-image = Joignez au moins une image à modifier.
edit-too-many-images = Une modification accepte au plus { $max } images, pas { $count }.
note-experimental-size = les tailles au-delà de 2560x1440 sont expérimentales pour ce modèle
size-auto-label = auto (le modèle décide)
size-experimental-label = { $size } (expérimental)
size-custom-label = { $size } (personnalisée)

## A server's rules (bot/policy.py, bot/blocklist.py)

prompt-blocked = Votre prompt contient un mot ou une expression que les admins de ce serveur ont bloqué, je ne l'ai donc pas envoyé. Reformulez-le ; rien ne vous a été facturé.
no-model-allowed = Les admins de ce serveur n'autorisent aucun modèle pour { $kind ->
        [edit] la modification d'images
       *[generate] la génération d'images
    }, elle est donc désactivée ici.
model-not-allowed = `{ $model }` n'est pas autorisé sur ce serveur ; choisissez parmi : { $models }.
model-default-label = { $model } (par défaut ici)
term-empty = Le terme est vide : saisissez le mot ou l'expression à bloquer.
term-too-long = Ce terme fait { $length } caractères ; un terme bloqué en compte au plus { $max } (bloquez des mots isolés ou de courtes expressions).
term-no-letters = Ce terme ne contient ni lettre ni chiffre, il ne pourrait donc jamais correspondre à un prompt.
terms-full = Ce serveur bloque déjà { $count } termes, le maximum que je conserve ({ $limit }) ; retirez-en d'abord avec `/blocage retirer`.

## The audit log, in the server's language (bot/audit.py)

audit-title = { $outcome ->
        [delivered] Livrée
        [failed] Échouée
        [refused] Refusée
        [cancelled] Annulée
       *[interrupted] Interrompue par un redémarrage
    } : /{ $command }
audit-member = Membre
audit-channel = Salon
audit-images = Images
audit-images-value = { $delivered } sur { $requested }
audit-why = Raison
audit-note = Remarque
audit-result = Résultat
audit-open-result = [Ouvrir le résultat]({ $link })
audit-blocked-term = terme bloqué
audit-model-not-allowed = modèle non autorisé
audit-cancelled-by = annulée par <@{ $by }>
audit-interrupted = interrompue par un redémarrage

## Progress, results and failures of a job (bot/render.py, bot/jobs/)

summary-images = { $n } images
progress-queued = En file d'attente : position { $position }
progress-elapsed = { $seconds } s écoulées
seconds-short = { $seconds } s
phase-queued = En file d'attente
phase-generating = Génération…
phase-generating-preview = Génération… aperçu { $index } sur { $count }
phase-sending-edit = Envoi de votre image à l'éditeur…
phase-editing-queued = Modification… en file d'attente chez le fournisseur
phase-editing = Modification… en cours
field-request = Demande
field-model = Modèle
field-size = Taille
field-quality = Qualité
field-time = Durée
field-cost = Coût
field-requested-by = Demandé par
field-your-quota = Votre quota
field-prompt = Prompt
failure-title = Pas d'image cette fois
quota-left-unlimited = illimité
quota-left = reste aujourd'hui : { $left } sur { $limit } images
button-reroll = Relancer
button-edit = Modifier
button-delete = Supprimer
button-cancel = Annuler
result-ready = <@{ $user }>, votre image est prête.
cancelled-notice = Annulée ; rien ne vous a été facturé.
cancelled-by-admin-notice = Annulée par <@{ $by }> (un admin du serveur) ; rien ne vous a été facturé.
interrupted-notice = Le bot a redémarré pendant la création de cette image, et la demande a peut-être atteint le service d'images, peut-être pas : je ne l'ai donc pas renvoyée. Rien ne vous a été facturé ; relancez la commande si vous le souhaitez.
request-lost-notice = Votre demande du <t:{ $stamp }:f> a été perdue lors d'un redémarrage du bot, et rien ne vous a été facturé ; relancez la commande si vous le souhaitez.
channel-missing-permissions = Je ne peux pas publier d'images dans ce salon : il me faut ici { $count ->
        [one] la permission
       *[other] les permissions
    } { $permissions }. Demandez à un admin du serveur, ou essayez un autre salon.
post-forbidden = Je ne peux pas publier dans ce salon : il me faut ici les permissions « Voir le salon », « Envoyer des messages », « Joindre des fichiers » et « Intégrer des liens ». Rien ne vous a été facturé.
perm-view-channel = « Voir le salon »
perm-send-messages = « Envoyer des messages »
perm-send-messages-in-threads = « Envoyer des messages dans les fils »
perm-attach-files = « Joindre des fichiers »
perm-embed-links = « Intégrer des liens »
perm-read-message-history = « Voir les anciens messages »

## Buttons and forms (cogs/results.py, cogs/edit.py)

form-prompt-label = Que faut-il changer ?
form-edit-result-title = Modifier cette image
form-edit-result-placeholder = passez en scène de nuit, ajoutez un parapluie rouge…
form-edit-menu-title = Modifier l'image
form-edit-menu-placeholder = rendez le ciel violet, ajoutez un phare…
button-job-unknown = Je ne connais plus la tâche de cette image, je ne peux donc pas faire cela.
delete-not-allowed = Seul le membre qui a demandé cette image, ou un admin du serveur, peut la supprimer.
cancel-not-allowed = Seul le membre qui a demandé cette image, ou un admin du serveur, peut l'annuler.
cancel-too-late = Cette tâche est déjà terminée (ou en cours de publication), elle ne peut pas être annulée.
edit-no-images-left = Ce message n'a plus d'images à modifier.
menu-no-images = Ce message n'a pas d'images à modifier ; choisissez un message avec une image jointe.
menu-message-gone = Je ne peux plus lire ce message (il a peut-être été supprimé) ; ouvrez de nouveau le menu sur ce message.

## /quota (cogs/quota.py)

unlimited = illimité
nothing-yet = rien pour l'instant
nobody-yet = personne pour l'instant
and-more = …et { $count } de plus
amount-of = { $part } sur { $whole }
images-count = { $count ->
        [one] { $count } image
       *[other] { $count } images
    }
limit-invalid = `{ $value }` n'est pas une limite : indiquez un nombre entier d'images par jour, 0 pour bloquer, ou `unlimited`.
budget-invalid = `{ $value }` n'est pas un budget : indiquez un montant en dollars US de 0 (bloque) à { $max }.
quota-spent-today = Dépensé aujourd'hui
quota-budget-left-today = Budget restant aujourd'hui
quota-server-budget-left = Budget restant du serveur
quota-server-budget-today = aujourd'hui { $left }
quota-server-budget-month = ce mois-ci { $left } (réinitialisé <t:{ $stamp }:R>)
limit-source-role = par le rôle <@&{ $role }>
limit-source-member = défini pour vous par un admin
limit-source-server = valeur par défaut de ce serveur
limit-source-bot = valeur par défaut du bot
quota-title = Quota d'images de { $name }
quota-used-today = Utilisées aujourd'hui
quota-left-today = Restantes aujourd'hui
quota-daily-limit = Limite quotidienne
quota-limit-with-source = { $limit } ({ $source })
quota-server-left-today = Restant au serveur aujourd'hui
quota-jobs-running = Tâches en cours
quota-resets = Réinitialisation
quota-show-not-allowed = Seuls les admins du serveur (Gérer le serveur) peuvent voir le quota d'un autre membre.
quota-set-not-allowed = Seuls les admins du serveur (Gérer le serveur) peuvent modifier les limites.
quota-stats-not-allowed = Seuls les admins du serveur (Gérer le serveur) peuvent voir les statistiques du serveur.
quota-set-nothing = Indiquez une `limite` (images par jour), un `budget_usd` (dollars), ou les deux.
quota-period-without-budget = `période` va avec `budget_usd` ; indiquez aussi le budget.
quota-month-server-only = Un budget mensuel ne concerne que le total du serveur : ajoutez `total_serveur:True`, ou utilisez `période:jour`.
quota-clear-month-server-only = Seul le total du serveur a un budget mensuel : ajoutez `total_serveur:True`.
quota-clear-period-images = `période` concerne les budgets ; omettez-la pour effacer la limite d'images.
quota-one-target = Choisissez un seul élément parmi `membre`, `rôle` ou `total_serveur`.
quota-done-limit = { $limit } par jour
quota-done-budget = un budget de { $budget } par { $period ->
        [month] mois
       *[day] jour
    }
quota-set-done = C'est fait : pour { $target }, c'est désormais { $what }.
quota-cleared-limit = la limite d'images
quota-cleared-budget = { $period ->
        [day] le budget quotidien
        [month] le budget mensuel
       *[any] le budget
    }
quota-cleared = Effacé : { $what } pour { $target }.
quota-nothing-to-clear = { $asked ->
        [images] Aucune limite n'était définie pour { $target }.
        [budget] Aucun budget n'était défini pour { $target }.
       *[all] Ni limite ni budget n'étaient définis pour { $target }.
    }
target-member = { $member }
target-role = le rôle { $role }
target-server-total = le total de ce serveur
target-member-default = la valeur par défaut de chaque membre sur ce serveur
stats-title = Utilisation des images sur ce serveur
stats-today = Aujourd'hui
stats-today-value = { $images ->
        [one] { $images } image
       *[other] { $images } images
    }, { $jobs ->
        [one] { $jobs } tâche
       *[other] { $jobs } tâches
    }, { $tokens } jetons
stats-last-7-days = 7 derniers jours
stats-period-value = { $images ->
        [one] { $images } image
       *[other] { $images } images
    }, { $tokens } jetons
stats-day-line = `{ $day }` { $images ->
        [one] { $images } image
       *[other] { $images } images
    }, { $tokens } jetons
stats-per-day = Par jour
stats-member-line = <@{ $user }> : { $images ->
        [one] { $images } image
       *[other] { $images } images
    }, { $tokens } jetons
stats-top-members = Membres les plus actifs (7 jours)
stats-server-total = total du serveur
stats-member-default = défaut des membres
stats-limit-line = { $who } : { $limit }
stats-budget-line = { $who } : budget de { $budget } par { $period ->
        [month] mois
       *[day] jour
    }
stats-no-limits = aucune (les valeurs par défaut du bot s'appliquent)
stats-limits-set = Limites définies ici

## /jobs (cogs/jobs.py)

job-state = { $state ->
        [queued] en attente
        [running] en cours
        [submitted] modification
        [delivering] publication
        [done] terminée
        [failed] échouée
        [interrupted] interrompue
       *[cancelled] annulée
    }
jobs-cancel-button = Annuler { $job }
jobs-unknown = Je ne connais plus cette tâche.
jobs-cancelled = Tâche `{ $job }` annulée ; rien n'a été facturé.
jobs-cancelled-for = Tâche `{ $job }` annulée ; rien n'a été facturé. <@{ $user }> a été informé de qui l'a annulée.
jobs-server-only = `serveur:True` ne fonctionne que sur un serveur.
jobs-server-not-allowed = Seuls les admins du serveur (Gérer le serveur) peuvent voir les tâches de tout le serveur.
jobs-server-title = Tâches en attente et en cours sur ce serveur : { $count }
jobs-server-empty = Rien n'est en attente ni en cours.
jobs-member-title = Vos tâches d'images ici : { $count } en cours
jobs-member-empty = Vous n'avez encore aucune tâche ici : essayez `/générer`.

## /settings (cogs/settings.py)

settings-not-allowed = Seuls les admins du serveur (Gérer le serveur) peuvent voir ou modifier les paramètres de ce serveur.
settings-allowed-empty = `autorisés` est vide : listez des modèles séparés par des virgules, ou écrivez `all`.
settings-unknown-models = Je ne connais pas { $count ->
        [one] le modèle
       *[other] les modèles
    } { $models } ; rien n'a été modifié. Modèles connus : { $known }.
settings-source-environment = *valeur par défaut de l'environnement `{ $variable }`*
settings-source-server = *paramètre du serveur*
settings-all-models = tous les modèles
settings-every-model = tous les modèles
settings-default-model = Modèle par défaut de /générer
settings-default-edit-model = Modèle par défaut de /modifier
settings-default-edit-model-value = `{ $model }` *valeur par défaut de l'environnement `DEFAULT_EDIT_MODEL`*{ $restricted ->
        [true] {" "}(premier modèle de modification autorisé)
       *[false] {""}
    }
settings-allowed-models = Modèles autorisés
settings-allowed-models-value = { $models } { $everything ->
        [true] *valeur par défaut de l'environnement (tous les modèles)*
       *[false] *paramètre du serveur*
    }
settings-moderation = Modération
settings-moderation-low-note = ; `low` n'est envoyé que dans les salons soumis à une limite d'âge, à { $models }
settings-previews = Aperçus en direct
settings-previews-off = désactivés
settings-previews-on = activés, { $count } par image (chacun coûte 100 jetons de sortie)
settings-audit-log = Journal d'audit
settings-audit-log-off = désactivé *(à définir avec `/paramètres journal`)*
settings-audit-log-on = <#{ $channel }> *paramètre du serveur*
    { $health }
settings-log-works = la publication fonctionne
settings-log-failed = Je n'ai pas pu y publier : { $error }
settings-blocked-terms = Termes bloqués
settings-blocked-terms-value = { $count } (voir `/blocage liste`)
settings-title = Paramètres du bot d'images sur ce serveur
settings-daily-limits = Limites quotidiennes
settings-daily-limits-value = { $member } images par membre, { $server } par serveur, { $jobs } tâches simultanées par membre *valeurs par défaut de l'environnement ; `/quota` pour les exceptions*
settings-footer = Qui peut utiliser quelle commande : Paramètres du serveur › Intégrations.
settings-models-nothing = Indiquez `défaut`, `autorisés`, ou les deux ; rien n'a été modifié.
settings-default-not-generate = `{ $model }` n'est pas un modèle de /générer ; choisissez parmi : { $models }. Rien n'a été modifié.
settings-default-not-allowed = Le modèle par défaut `{ $model }` ne serait plus autorisé ; ajoutez-le à `autorisés` ou indiquez un `défaut` de la liste. Rien n'a été modifié.
settings-models-done = C'est fait. Modèle par défaut : `{ $model }`. Autorisés : { $allowed }.
settings-models-done-no-edit = C'est fait. Modèle par défaut : `{ $model }`. Autorisés : { $allowed }. Aucun modèle de modification n'est autorisé : /modifier et les boutons Modifier sont donc désactivés ici.
settings-log-both = Indiquez soit `salon`, soit `désactiver`, pas les deux ; rien n'a été modifié.
settings-log-off-done = Le journal d'audit est désactivé.
settings-log-neither = Indiquez un `salon` pour le journal d'audit, ou `désactiver:True` ; rien n'a été modifié.
settings-log-done = C'est fait : chaque tâche d'image terminée sera consignée dans <#{ $channel }>.
settings-log-unseen = Je ne vois pas <#{ $channel }>, je ne peux donc pas y consigner ; rien n'a été modifié.
settings-log-no-view = Je ne vois pas <#{ $channel }> (il me manque « Voir le salon ») ; rien n'a été modifié.
settings-log-missing-permissions = Je ne peux pas consigner dans <#{ $channel }> : il me faut { $count ->
        [one] la permission
       *[other] les permissions
    } { $permissions }. Rien n'a été modifié.
settings-log-first-line = Les tâches d'images de ce serveur seront consignées ici (défini par <@{ $user }>).
settings-log-post-failed = Je n'ai pas pu publier dans <#{ $channel }> ({ $error }) ; rien n'a été modifié.
settings-moderation-low-done = C'est fait : la modération est `low` dans les salons soumis à une limite d'âge (pour { $models }) et `auto` partout ailleurs.
settings-moderation-auto-done = C'est fait : la modération est `auto` partout.
settings-previews-on-done = C'est fait : les aperçus en direct sont activés ({ $count } par image, chacun coûte 100 jetons de sortie).
settings-previews-off-done = C'est fait : les aperçus en direct sont désactivés sur ce serveur.

## /blocklist (cogs/blocklist.py)

blocklist-added = Bloqué : les prompts contenant `{ $term }` (y compris espacé, ponctué ou en d'autres largeurs de caractères) sont refusés avant toute dépense. { $count } termes sur { $max } au maximum ici.
blocklist-already = `{ $term }` était déjà bloqué ici (ou un terme avec les mêmes lettres). Rien n'a changé.
blocklist-removed = `{ $term }` n'est plus bloqué.
blocklist-not-blocked = `{ $term }` n'était pas bloqué ici. Rien n'a changé.
blocklist-title = Termes bloqués sur ce serveur : { $count } sur { $max } au maximum
blocklist-empty = Aucun pour l'instant : ajoutez-en un avec `/blocage ajouter`.

## /usage and its chart (cogs/usage.py, bot/charts.py)

usage-not-allowed = Seuls les admins du serveur (Gérer le serveur) peuvent voir les dépenses du serveur.
usage-title-member = Dépenses de { $name }
usage-title-server = Dépenses sur { $name }
usage-title-this-server = Dépenses sur ce serveur
usage-summary = **{ $total }** sur { $days ->
        [one] le dernier jour
       *[other] les { $days } derniers jours
    } (UTC), pour { $images ->
        [one] { $images } image livrée
       *[other] { $images } images livrées
    } en { $jobs ->
        [one] { $jobs } tâche
       *[other] { $jobs } tâches
    }.
usage-today = Aujourd'hui
usage-refunded = Remboursé
usage-refunded-value = { $jobs ->
        [one] { $jobs } tâche
       *[other] { $jobs } tâches
    } ({ $amount } non facturés)
usage-per-model = Par modèle
usage-member-line = <@{ $user }> : { $amount }, { $images ->
        [one] { $images } image
       *[other] { $images } images
    }
usage-top-members = Membres qui dépensent le plus
usage-note = Coûts aux prix du bot (PRICES_FILE ou les prix catalogue intégrés).
usage-note-estimated = Coûts aux prix du bot (PRICES_FILE ou les prix catalogue intégrés). { $estimated } en sont estimés (les modifications ne déclarent pas leur consommation de jetons).
chart-other-models = { $count ->
        [one] { $count } autre modèle
       *[other] { $count } autres modèles
    }
chart-subtitle = { $total } en { $days ->
        [one] { $days } jour
       *[other] { $days } jours
    } (UTC), { $images ->
        [one] { $images } image livrée
       *[other] { $images } images livrées
    }
chart-nothing-spent = Aucune dépense sur cette période

## The slash commands

cmd-generate = générer
cmd-generate-desc = Créez une image à partir d'une description.
opt-generate-prompt = prompt
opt-generate-prompt-desc = Ce que l'image doit montrer, avec autant de détails que vous le souhaitez.
opt-generate-model = modèle
opt-generate-model-desc = Le modèle qui la dessine (celui par défaut du serveur si vous l'omettez).
opt-generate-size = taille
opt-generate-size-desc = Taille en pixels ou format d'image ; les choix dépendent du modèle.
opt-generate-quality = qualité
opt-generate-quality-desc = Une qualité plus élevée prend plus de temps.
choice-quality-auto = automatique
choice-quality-low = basse
choice-quality-medium = moyenne
choice-quality-high = haute
opt-generate-n = nombre
opt-generate-n-desc = Combien d'images créer (chacune compte dans votre quota quotidien).
opt-generate-background = arrière-plan
opt-generate-background-desc = Les arrière-plans transparents demandent une sortie PNG ou WebP.
choice-background-auto = automatique
choice-background-opaque = opaque
choice-background-transparent = transparent
opt-generate-output_format = format
opt-generate-output_format-desc = Le type de fichier du résultat.
choice-format-auto = automatique
choice-format-png = png
choice-format-jpeg = jpeg
choice-format-webp = webp
cmd-edit = modifier
cmd-edit-desc = Modifiez une image en décrivant ce qu'il faut faire.
opt-edit-prompt = prompt
opt-edit-prompt-desc = Ce qu'il faut changer, par exemple « fais neiger ».
opt-edit-image = image
opt-edit-image-desc = L'image à modifier (PNG, JPEG ou WebP, moins de 50 Mo).
opt-edit-image2 = image2
opt-edit-image2-desc = Une autre image de référence.
opt-edit-image3 = image3
opt-edit-image3-desc = Une autre image de référence.
opt-edit-mask = masque
opt-edit-mask-desc = Un PNG de la taille de la première image ; ses pixels transparents indiquent où modifier.
opt-edit-model = modèle
opt-edit-model-desc = Le modèle de modification à utiliser.
opt-edit-size = taille
opt-edit-size-desc = Taille du résultat.
opt-edit-quality = qualité
opt-edit-quality-desc = Une qualité plus élevée prend plus de temps.
cmd-quota = quota
cmd-quota-desc = Voir et gérer les limites quotidiennes d'images
cmd-quota-show = afficher
cmd-quota-show-desc = Voyez combien d'images vous avez créées aujourd'hui, ce que vous avez dépensé et ce qu'il reste.
opt-quota-show-member = membre
opt-quota-show-member-desc = (Admins) Voir l'utilisation d'un autre membre plutôt que la vôtre.
cmd-quota-set = définir
cmd-quota-set-desc = (Admins) Définir une limite d'images par jour ou un budget pour un membre, un rôle ou le serveur.
opt-quota-set-limit = limite
opt-quota-set-limit-desc = Images par jour : un nombre, 0 pour bloquer, ou « unlimited ».
opt-quota-set-budget_usd = budget_usd
opt-quota-set-budget_usd-desc = Montant par jour en dollars US (0 bloque), calculé aux prix du bot.
opt-quota-set-period = période
opt-quota-set-period-desc = Période du budget : jour (par défaut), ou mois pour le total du serveur uniquement.
choice-day = jour
choice-month = mois
opt-quota-set-member = membre
opt-quota-set-member-desc = Définir la limite propre à ce membre (prime sur les limites de rôle et de serveur).
opt-quota-set-role = rôle
opt-quota-set-role-desc = Définir la limite des membres ayant ce rôle (le rôle le plus généreux l'emporte).
opt-quota-set-server_total = total_serveur
opt-quota-set-server_total-desc = Définir le total de tout le serveur plutôt que la valeur par défaut par membre.
cmd-quota-clear = effacer
cmd-quota-clear-desc = (Admins) Retirer une limite ou un budget défini, pour que le niveau suivant s'applique de nouveau.
opt-quota-clear-member = membre
opt-quota-clear-member-desc = Effacer la limite propre à ce membre.
opt-quota-clear-role = rôle
opt-quota-clear-role-desc = Effacer la limite de ce rôle.
opt-quota-clear-server_total = total_serveur
opt-quota-clear-server_total-desc = Effacer le total du serveur plutôt que la valeur par défaut par membre.
opt-quota-clear-what = quoi
opt-quota-clear-what-desc = Effacer la limite d'images, le budget, ou les deux (par défaut).
choice-all = tout
choice-images = images
choice-budget = budget
opt-quota-clear-period = période
opt-quota-clear-period-desc = Pour le total du serveur : n'effacer que le budget quotidien ou mensuel (par défaut les deux).
cmd-quota-stats = stats
cmd-quota-stats-desc = (Admins) Images et jetons de ce serveur aujourd'hui et sur 7 jours, et les limites définies.
cmd-usage = dépenses
cmd-usage-desc = (Admins) Les dépenses d'images du serveur : graphique par jour et modèle, totaux, top membres.
opt-usage-days = jours
opt-usage-days-desc = Combien de jours afficher, aujourd'hui compris (1 à 90 ; 30 par défaut).
opt-usage-member = membre
opt-usage-member-desc = N'afficher que les dépenses de ce membre.
cmd-settings = paramètres
cmd-settings-desc = (Admins) Les paramètres du bot d'images sur ce serveur
cmd-settings-show = afficher
cmd-settings-show-desc = (Admins) Tout ce qui s'applique sur ce serveur, et d'où vient chaque valeur.
cmd-settings-models = modèles
cmd-settings-models-desc = (Admins) Choisir le modèle par défaut de /générer et les modèles autorisés aux membres.
opt-settings-models-default = défaut
opt-settings-models-default-desc = Le modèle que /générer utilise quand un membre n'en choisit aucun.
opt-settings-models-allowed = autorisés
opt-settings-models-allowed-desc = Modèles autorisés aux membres, séparés par des virgules, ou « all ».
cmd-settings-log = journal
cmd-settings-log-desc = (Admins) Choisir le salon où chaque tâche d'image terminée est consignée, ou couper le journal.
opt-settings-log-channel = salon
opt-settings-log-channel-desc = Un salon textuel que le bot peut voir et où il peut publier.
opt-settings-log-off = désactiver
opt-settings-log-off-desc = True pour arrêter la consignation.
cmd-settings-moderation = modération
cmd-settings-moderation-desc = (Admins) Le niveau de modération du fournisseur : low ne s'applique qu'aux salons à limite d'âge.
opt-settings-moderation-level = niveau
opt-settings-moderation-level-desc = auto partout, ou low dans les salons soumis à une limite d'âge (NSFW) et auto ailleurs.
choice-moderation-auto = auto (par défaut du fournisseur)
choice-moderation-low = low (seulement dans les salons soumis à une limite d'âge)
cmd-settings-previews = aperçus
cmd-settings-previews-desc = (Admins) Activer ou désactiver les aperçus en direct sur ce serveur.
opt-settings-previews-on = activer
opt-settings-previews-on-desc = True affiche des images partielles pendant le dessin (chacune coûte des jetons en plus).
cmd-blocklist = blocage
cmd-blocklist-desc = (Admins) Mots et expressions refusés dans les prompts
cmd-blocklist-add = ajouter
cmd-blocklist-add-desc = (Admins) Refuser les prompts contenant un mot ou une expression, quelle que soit l'écriture.
opt-blocklist-add-term = terme
opt-blocklist-add-term-desc = Un mot ou une courte expression (mots entiers : bloquer « ass » ne bloque pas « class »).
cmd-blocklist-remove = retirer
cmd-blocklist-remove-desc = (Admins) Autoriser de nouveau un mot ou une expression bloqués.
opt-blocklist-remove-term = terme
opt-blocklist-remove-term-desc = Le terme bloqué, tel que `/blocage liste` l'affiche.
cmd-blocklist-list = liste
cmd-blocklist-list-desc = (Admins) Les mots et expressions refusés dans les prompts ici.
cmd-jobs = tâches
cmd-jobs-desc = Voyez vos tâches d'images en cours et en attente et vos dix dernières terminées, et annulez-les.
opt-jobs-server = serveur
opt-jobs-server-desc = (Admins) La file d'attente de tout le serveur, avec un bouton Annuler sur chaque tâche.
cmd-edit-image = Modifier l'image
