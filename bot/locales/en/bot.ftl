# English: the source catalogue. Every other catalogue has exactly these message ids, with the
# same variables ($name); tests/unit/bot/test_i18n.py checks it. Keep sentences whole: a
# variant belongs in a selector ({ $n -> ... }), never in a fragment glued on in code.
# Discord's markup stays as it is: `code`, **bold**, <t:...:R> timestamps, <@id> mentions.

## Lists

list-sep = {", "}
list-and = { $first } and { $last }
list-or = { $first } or { $last }

## Errors a member reads (bot/errors.py)

quota-off = Image generation is switched off by { $scope ->
        [member] your daily limit in this server
        [server] this server's daily limit
        [personal] your personal daily limit
       *[other] the daily limit
    } (limit 0). It resets <t:{ $stamp }:R> (<t:{ $stamp }:t>).
quota-exceeded = That would go over { $scope ->
        [member] your daily limit in this server
        [server] this server's daily limit
        [personal] your personal daily limit
       *[other] the daily limit
    }: { $used } of { $limit } images used today, { $left } left, and you asked for { $requested ->
        [one] { $requested } image
       *[other] { $requested } images
    }. It resets <t:{ $stamp }:R> (<t:{ $stamp }:t>).
too-many-jobs = You already have { $running ->
        [one] { $running } job
       *[other] { $running } jobs
    } queued or running (the limit is { $limit }). Wait for one to finish, then try again.
budget-off = Image generation is switched off by { $scope ->
        [member] your daily budget in this server
        [server] this server's daily budget
        [server_month] this server's monthly budget
        [personal] your personal daily budget
       *[other] a budget
    } ($0). It resets <t:{ $stamp }:R> (<t:{ $stamp }:f>).
budget-exceeded-member = That would go over { $scope ->
        [personal] your personal daily budget
       *[member] your daily budget in this server
    }: you spent { $spent } of { $budget } today, and this request may cost up to { $cost }. It resets <t:{ $stamp }:R> (<t:{ $stamp }:f>).
budget-exceeded-server = That would go over { $scope ->
        [server_month] this server's monthly budget: the server spent { $spent } of { $budget } this month
       *[server] this server's daily budget: the server spent { $spent } of { $budget } today
    } (you: { $user_spent } today), and this request may cost up to { $cost }. It resets <t:{ $stamp }:R> (<t:{ $stamp }:f>).
price-unknown = I don't know what `{ $model }` costs, and a spending budget applies here, so I can't keep it within the budget; choose another model, or ask an admin to add its price to the bot's PRICES_FILE.
shutting-down = I'm restarting for an update; try again in a minute.

## Errors of the image API (bot/gptproto/errors.py)

api-account-problem = The bot's image API account has a problem, so I can't make images right now; an admin has been told. You were not charged.
api-rate-limited = The image service is busy right now; please try again in a minute. You were not charged.
api-rate-limited-wait = The image service is busy right now; please try again in about { $seconds ->
        [one] { $seconds } second
       *[other] { $seconds } seconds
    }. You were not charged.
api-content-policy = Your prompt was blocked by the provider's safety system; you were not charged. Try describing it differently.
api-bad-request = The image service refused the request: { $reason } You were not charged.
api-input-unavailable = The image service could not download the image to edit: Discord's links to attachments expire after a while. Attach the image again with /edit. You were not charged.
api-provider-error = The image service had an internal error (HTTP { $status }); please try again in a minute. You were not charged.
api-timeout = The image service did not answer within { $seconds ->
        [one] { $seconds } second
       *[other] { $seconds } seconds
    }; please try again later. You were not charged.
api-connection = I couldn't reach the image service; please try again in a minute. You were not charged.
api-malformed = The image service sent back something that isn't a usable image. You were not charged.
api-prediction-failed = The image service could not finish this edit: { $reason }. You were not charged.
api-prediction-failed-no-reason = The image service could not finish this edit: no reason was given. You were not charged.
api-prediction-timeout = The image service did not finish within { $seconds ->
        [one] { $seconds } second
       *[other] { $seconds } seconds
    }, so I gave up waiting. You were not charged.
api-stream-broken = The connection to the image service broke before the image was finished. I did not retry on my own, since asking again may be charged again; run the command again if you like. You were not charged.
api-not-found = The image service no longer knows this job. You were not charged.

## The error path (bot/tree.py)

generic-failure = Something went wrong on my side; the admin's log has the details. You were not charged.
no-permission = You don't have permission to do that here.
cooldown = Slow down a little: try again in { $seconds } seconds.
server-only = That command only works in a server.
# A sentence that came without a message id, shown as it is.
plain-text = { $text }

## Attachments (bot/images.py)

attachment-unnamed = the attachment
attachment-empty = { $name } is empty.
attachment-too-big = { $name } is { $size }; { $what ->
        [masks] masks
       *[images] images
    } must be under { $limit }.
attachment-just-too-big = { $name } is just over { $limit }; { $what ->
        [masks] masks
       *[images] images
    } must be under { $limit }.
attachment-wrong-type = { $name } is not an image (Discord says it is `{ $mime }`); attach a PNG, JPEG or WebP image.
attachment-not-image = { $name } is not an image (its bytes are not PNG, JPEG or WebP).
attachment-unsupported-format = { $name } is not a PNG, JPEG or WebP image ({ $detail }); only those three are accepted.
attachment-too-many-pixels = { $name } is too large to open safely ({ $detail }).
attachment-damaged = { $name } is truncated or damaged.
attachment-unreadable = `{ $name }` could not be read.
attachment-download-failed = `{ $name }` could not be downloaded from Discord ({ $status }); attach it again.
attachment-download-slow = `{ $name }` could not be downloaded from Discord in time; try again in a moment.
mask-not-image = { $name } is not an image; a mask must be a PNG whose transparent pixels mark where to edit.
mask-not-png = { $name } is a { $format }; a mask must be a PNG whose transparent pixels mark where to edit.
mask-wrong-size = { $name } is { $size } but the image is { $image_size }; a mask must be exactly the same size as the image.
mask-no-alpha = { $name } has no alpha channel (it is { $mode }); a mask must be a PNG with transparency, whose transparent pixels mark where to edit.
mask-opaque = { $name } has no transparent pixels, so it marks nothing to edit; make the area to change transparent.
note-fit-lossless = re-encoded as lossless WebP to fit the { $limit } upload limit
note-fit-quality = re-encoded as { $format } (quality { $quality }) to fit the { $limit } upload limit
note-fit-scaled = scaled to { $size } and saved as { $format } to fit the { $limit } upload limit

## Checking a request (bot/gptproto/registry.py)

model-unknown = `{ $model }` is not a model I can use here; choose one of: { $models }.
prompt-empty = Your prompt is empty: describe the image you want.
prompt-too-long = Your prompt is { $length } characters long; the limit is { $limit }.
prompt-null = Your prompt contains a null character; remove it and try again.
option-not-taken = { $model } does not take { $option ->
        [quality] quality
        [background] background
       *[output_format] output format
    } `{ $value }`; choose { $allowed }.
size-aspect-only = { $model } takes an aspect ratio, not `{ $size }`; choose { $allowed }.
size-needs-explicit = { $model } needs an explicit size; choose { $allowed }.
size-invalid = `{ $size }` is not a size; write it as WIDTHxHEIGHT, such as 1024x1024.
size-not-offered = { $model } cannot make { $size }; choose { $allowed }.
size-not-positive = { $model } sizes must be positive; { $size } is not.
size-not-multiple = { $model } sizes must be multiples of { $multiple } px; { $size } is not.
size-edge-too-long = { $model } sizes may be at most { $max } px on the longest edge; { $size } is { $edge } px.
size-ratio = { $model } sizes may be at most 3:1 (or 1:3); { $size } is wider than that.
size-too-few-pixels = { $model } sizes need at least { $min } pixels (such as 1024x640); { $size } has { $pixels }.
size-too-many-pixels = { $model } sizes may have at most { $max } pixels (3840x2160); { $size } has { $pixels }.
n-one-only = { $model } makes one image per request; leave `n` out or set it to 1.
n-out-of-range = { $model } makes 1 to { $max } images per request, not { $n }.
transparent-needs-png = A transparent background needs PNG or WebP output; JPEG has no transparency.
edit-no-image = Attach at least one image to edit.
edit-too-many-images = An edit takes at most { $max } images, not { $count }.
note-experimental-size = sizes above 2560x1440 are experimental for this model
size-auto-label = auto (the model decides)
size-experimental-label = { $size } (experimental)
size-custom-label = { $size } (custom)

## A server's rules (bot/policy.py, bot/blocklist.py)

prompt-blocked = Your prompt contains a word or phrase this server's admins have blocked, so I did not send it. Please rephrase it; you were not charged.
no-model-allowed = This server's admins allow no model for { $kind ->
        [edit] image editing
       *[generate] image generation
    }, so it is off here.
model-not-allowed = `{ $model }` is not allowed in this server; choose one of: { $models }.
model-default-label = { $model } (default here)
term-empty = The term is empty: type the word or phrase to block.
term-too-long = That term is { $length } characters long; a blocked term may have at most { $max } (block single words or short phrases).
term-no-letters = That term has no letters or digits, so it could never match a prompt.
terms-full = This server already blocks { $count } terms, the most I keep ({ $limit }); remove some with `/blocklist remove` first.

## The audit log, in the server's language (bot/audit.py)

audit-title = { $outcome ->
        [delivered] Delivered
        [failed] Failed
        [refused] Refused
        [cancelled] Cancelled
       *[interrupted] Interrupted by a restart
    }: /{ $command }
audit-member = Member
audit-channel = Channel
audit-images = Images
audit-images-value = { $delivered } of { $requested }
audit-why = Why
audit-note = Note
audit-result = Result
audit-open-result = [Open the result]({ $link })
audit-blocked-term = blocked term
audit-model-not-allowed = model not allowed
audit-cancelled-by = cancelled by <@{ $by }>
audit-interrupted = interrupted by a restart

## Progress, results and failures of a job (bot/render.py, bot/jobs/)

summary-images = { $n } images
progress-queued = Waiting in the queue: position { $position }
progress-elapsed = { $seconds } s so far
seconds-short = { $seconds } s
phase-queued = Queued
phase-generating = Generating…
phase-generating-preview = Generating… preview { $index } of { $count }
phase-sending-edit = Sending your image to the editor…
phase-editing-queued = Editing… queued at the provider
phase-editing = Editing… in progress
field-request = Request
field-model = Model
field-size = Size
field-quality = Quality
field-time = Time
field-cost = Cost
field-requested-by = Requested by
field-your-quota = Your quota
field-prompt = Prompt
failure-title = No image this time
quota-left-unlimited = unlimited
quota-left = { $left } of { $limit } images left today
button-reroll = Reroll
button-edit = Edit
button-delete = Delete
button-cancel = Cancel
result-ready = <@{ $user }>, your image is ready.
cancelled-notice = Cancelled; nothing was charged.
cancelled-by-admin-notice = Cancelled by <@{ $by }> (a server admin); nothing was charged.
interrupted-notice = The bot restarted while this image was being made, and the request may or may not have reached the image service, so I did not send it again. You were not charged; run the command again if you like.
request-lost-notice = Your request from <t:{ $stamp }:f> was lost when the bot restarted, and nothing was charged; run the command again if you like.
channel-missing-permissions = I can't post images in this channel: I need the { $permissions } { $count ->
        [one] permission
       *[other] permissions
    } here. Ask a server admin, or try another channel.
post-forbidden = I can't post in this channel: I need the View Channel, Send Messages, Attach Files and Embed Links permissions here. You were not charged.
perm-view-channel = View Channel
perm-send-messages = Send Messages
perm-send-messages-in-threads = Send Messages in Threads
perm-attach-files = Attach Files
perm-embed-links = Embed Links
perm-read-message-history = Read Message History

## Buttons and forms (cogs/results.py, cogs/edit.py)

form-prompt-label = What should change?
form-edit-result-title = Edit this image
form-edit-result-placeholder = make it night time, add a red umbrella…
form-edit-menu-title = Edit image
form-edit-menu-placeholder = turn the sky purple, add a lighthouse…
button-job-unknown = I no longer know that image's job, so I can't do that.
delete-not-allowed = Only the member who asked for this image, or a server admin, can delete it.
cancel-not-allowed = Only the member who asked for this image, or a server admin, can cancel it.
cancel-too-late = That job has already finished (or is being posted), so it can't be cancelled.
edit-no-images-left = That message has no images left to edit.
menu-no-images = That message has no images to edit; pick a message with an image attached.
menu-message-gone = I can't read that message any more (it may have been deleted); try the menu on it again.

## /quota (cogs/quota.py)

unlimited = unlimited
nothing-yet = nothing yet
nobody-yet = nobody yet
and-more = …and { $count } more
amount-of = { $part } of { $whole }
images-count = { $count ->
        [one] { $count } image
       *[other] { $count } images
    }
limit-invalid = `{ $value }` is not a limit: use a whole number of images per day, 0 to block, or `unlimited`.
budget-invalid = `{ $value }` is not a budget: use an amount of US dollars from 0 (blocks) to { $max }.
quota-spent-today = Spent today
quota-budget-left-today = Budget left today
quota-server-budget-left = Server budget left
quota-server-budget-today = today { $left }
quota-server-budget-month = this month { $left } (resets <t:{ $stamp }:R>)
limit-source-role = from the <@&{ $role }> role
limit-source-member = set for you by an admin
limit-source-server = this server's default
limit-source-bot = the bot's default
quota-title = Image quota of { $name }
quota-used-today = Used today
quota-left-today = Left today
quota-daily-limit = Daily limit
quota-limit-with-source = { $limit } ({ $source })
quota-server-left-today = Server left today
quota-jobs-running = Jobs running
quota-resets = Resets
quota-show-not-allowed = Only server admins (Manage Server) can see another member's quota.
quota-set-not-allowed = Only server admins (Manage Server) can change limits.
quota-stats-not-allowed = Only server admins (Manage Server) can see the server's statistics.
quota-set-nothing = Give a `limit` (images per day), a `budget_usd` (dollars), or both.
quota-period-without-budget = `period` goes with `budget_usd`; give the budget too.
quota-month-server-only = A monthly budget is only for the server's total: add `server_total:True`, or use `period:day`.
quota-clear-month-server-only = Only the server's total has a monthly budget: add `server_total:True`.
quota-clear-period-images = `period` is for budgets; leave it out to clear the image limit.
quota-one-target = Choose one of `member`, `role` or `server_total`, not several.
quota-done-limit = { $limit } per day
quota-done-budget = a budget of { $budget } per { $period ->
        [month] month
       *[day] day
    }
quota-set-done = Done: { $target } is now { $what }.
quota-cleared-limit = image limit
quota-cleared-budget = { $period ->
        [day] daily budget
        [month] monthly budget
       *[any] budget
    }
quota-cleared = Cleared the { $what } of { $target }.
quota-nothing-to-clear = There was no { $asked ->
        [images] limit
        [budget] budget
       *[all] limit or budget
    } set for { $target }.
target-member = { $member }
target-role = the { $role } role
target-server-total = this server's total
target-member-default = every member's default in this server
stats-title = Image use in this server
stats-today = Today
stats-today-value = { $images ->
        [one] { $images } image
       *[other] { $images } images
    }, { $jobs ->
        [one] { $jobs } job
       *[other] { $jobs } jobs
    }, { $tokens } tokens
stats-last-7-days = Last 7 days
stats-period-value = { $images ->
        [one] { $images } image
       *[other] { $images } images
    }, { $tokens } tokens
stats-day-line = `{ $day }` { $images ->
        [one] { $images } image
       *[other] { $images } images
    }, { $tokens } tokens
stats-per-day = Per day
stats-member-line = <@{ $user }>: { $images ->
        [one] { $images } image
       *[other] { $images } images
    }, { $tokens } tokens
stats-top-members = Top members (7 days)
stats-server-total = server total
stats-member-default = member default
stats-limit-line = { $who }: { $limit }
stats-budget-line = { $who }: budget { $budget } per { $period ->
        [month] month
       *[day] day
    }
stats-no-limits = none (the bot's defaults apply)
stats-limits-set = Limits set here

## /jobs (cogs/jobs.py)

job-state = { $state ->
        [queued] queued
        [running] running
        [submitted] editing
        [delivering] posting
        [done] done
        [failed] failed
        [interrupted] interrupted
       *[cancelled] cancelled
    }
jobs-cancel-button = Cancel { $job }
jobs-unknown = I no longer know that job.
jobs-cancelled = Cancelled job `{ $job }`; nothing was charged.
jobs-cancelled-for = Cancelled job `{ $job }`; nothing was charged. <@{ $user }> was told who cancelled it.
jobs-server-only = `server:True` only works in a server.
jobs-server-not-allowed = Only server admins (Manage Server) can see the whole server's jobs.
jobs-server-title = Jobs queued and running in this server: { $count }
jobs-server-empty = Nothing is queued or running.
jobs-member-title = Your image jobs here: { $count } under way
jobs-member-empty = You have no jobs here yet: try `/generate`.

## /settings (cogs/settings.py)

settings-not-allowed = Only server admins (Manage Server) can change or see this server's settings.
settings-allowed-empty = `allowed` is empty: list models separated by commas, or write `all`.
settings-unknown-models = I don't know the { $count ->
        [one] model
       *[other] models
    } { $models }; nothing was changed. Known models: { $known }.
settings-source-environment = *environment default `{ $variable }`*
settings-source-server = *server setting*
settings-all-models = all models
settings-every-model = every model
settings-default-model = Default /generate model
settings-default-edit-model = Default /edit model
settings-default-edit-model-value = `{ $model }` *environment default `DEFAULT_EDIT_MODEL`*{ $restricted ->
        [true] {" "}(first allowed edit model)
       *[false] {""}
    }
settings-allowed-models = Allowed models
settings-allowed-models-value = { $models } { $everything ->
        [true] *environment default (every model)*
       *[false] *server setting*
    }
settings-moderation = Moderation
settings-moderation-low-note = ; `low` is sent only in age-restricted channels, to { $models }
settings-previews = Live previews
settings-previews-off = off
settings-previews-on = on, { $count } per image (each costs 100 output tokens)
settings-audit-log = Audit log
settings-audit-log-off = off *(set one with `/settings log`)*
settings-audit-log-on = <#{ $channel }> *server setting*
    { $health }
settings-log-works = posting works
settings-log-failed = I could not post there: { $error }
settings-blocked-terms = Blocked terms
settings-blocked-terms-value = { $count } (see `/blocklist list`)
settings-title = Image bot settings in this server
settings-daily-limits = Daily limits
settings-daily-limits-value = { $member } images per member, { $server } per server, { $jobs } jobs at once per member *environment defaults; `/quota` for overrides*
settings-footer = Who may use which command: Server Settings › Integrations.
settings-models-nothing = Give `default`, `allowed`, or both; nothing was changed.
settings-default-not-generate = `{ $model }` is not a /generate model; choose one of: { $models }. Nothing was changed.
settings-default-not-allowed = The default model `{ $model }` would not be allowed; add it to `allowed` or give a `default` from the list. Nothing was changed.
settings-models-done = Done. Default model: `{ $model }`. Allowed: { $allowed }.
settings-models-done-no-edit = Done. Default model: `{ $model }`. Allowed: { $allowed }. No edit model is allowed, so /edit and the Edit buttons are off here.
settings-log-both = Give either `channel` or `off`, not both; nothing was changed.
settings-log-off-done = The audit log is off.
settings-log-neither = Give a `channel` for the audit log, or `off:True`; nothing was changed.
settings-log-done = Done: every finished image job will be logged in <#{ $channel }>.
settings-log-unseen = I can't see <#{ $channel }>, so I can't log there; nothing was changed.
settings-log-no-view = I can't see <#{ $channel }> (I lack View Channel there); nothing was changed.
settings-log-missing-permissions = I can't log in <#{ $channel }>: I need the { $permissions } { $count ->
        [one] permission
       *[other] permissions
    } there. Nothing was changed.
settings-log-first-line = Image jobs of this server will be logged here (set by <@{ $user }>).
settings-log-post-failed = I could not post in <#{ $channel }> ({ $error }); nothing was changed.
settings-moderation-low-done = Done: moderation is `low` in age-restricted channels (for { $models }) and `auto` everywhere else.
settings-moderation-auto-done = Done: moderation is `auto` everywhere.
settings-previews-on-done = Done: live previews are on ({ $count } per image, each costs 100 output tokens).
settings-previews-off-done = Done: live previews are off in this server.

## /blocklist (cogs/blocklist.py)

blocklist-added = Blocked: prompts containing `{ $term }` (also spaced out, punctuated or in other widths) are refused before anything is spent. { $count } of at most { $max } terms here.
blocklist-already = `{ $term }` was already blocked here (or a term with the same letters). Nothing changed.
blocklist-removed = `{ $term }` is no longer blocked.
blocklist-not-blocked = `{ $term }` was not blocked here. Nothing changed.
blocklist-title = Blocked terms in this server: { $count } of at most { $max }
blocklist-empty = None yet: add one with `/blocklist add`.

## /usage and its chart (cogs/usage.py, bot/charts.py)

usage-not-allowed = Only server admins (Manage Server) can see the server's spending.
usage-title-member = Spending of { $name }
usage-title-server = Spending in { $name }
usage-title-this-server = Spending in this server
usage-summary = **{ $total }** over the last { $days ->
        [one] { $days } day
       *[other] { $days } days
    } (UTC), for { $images ->
        [one] { $images } image
       *[other] { $images } images
    } delivered in { $jobs ->
        [one] { $jobs } job
       *[other] { $jobs } jobs
    }.
usage-today = Today
usage-refunded = Refunded
usage-refunded-value = { $jobs ->
        [one] { $jobs } job
       *[other] { $jobs } jobs
    } ({ $amount } not charged)
usage-per-model = Per model
usage-member-line = <@{ $user }>: { $amount }, { $images ->
        [one] { $images } image
       *[other] { $images } images
    }
usage-top-members = Top members by spend
usage-note = Costs at the bot's prices (PRICES_FILE or the built-in list prices).
usage-note-estimated = Costs at the bot's prices (PRICES_FILE or the built-in list prices). { $estimated } of it is estimated (edits report no token usage).
chart-other-models = { $count ->
        [one] { $count } other model
       *[other] { $count } other models
    }
chart-subtitle = { $total } in { $days ->
        [one] { $days } day
       *[other] { $days } days
    } (UTC), { $images ->
        [one] { $images } image
       *[other] { $images } images
    } delivered
chart-nothing-spent = Nothing spent in this period

## The slash commands: names, descriptions, options and choices (bot/translator.py says how the ids
## are made). Names stay lowercase, without spaces, at most 32 characters; descriptions and choices
## at most 100. English is what the code says; tests/unit/bot/test_i18n.py keeps the two equal.

cmd-generate = generate
cmd-generate-desc = Make an image from a description.
opt-generate-prompt = prompt
opt-generate-prompt-desc = What the image should show, in as much detail as you like.
opt-generate-model = model
opt-generate-model-desc = Which model draws it (the server's default if you leave it out).
opt-generate-size = size
opt-generate-size-desc = Pixel size or aspect ratio; the choices depend on the model.
opt-generate-quality = quality
opt-generate-quality-desc = Higher quality takes longer.
choice-quality-auto = auto
choice-quality-low = low
choice-quality-medium = medium
choice-quality-high = high
opt-generate-n = n
opt-generate-n-desc = How many images to make (each counts against your daily quota).
opt-generate-background = background
opt-generate-background-desc = Transparent backgrounds need PNG or WebP output.
choice-background-auto = auto
choice-background-opaque = opaque
choice-background-transparent = transparent
opt-generate-output_format = output_format
opt-generate-output_format-desc = The file type of the result.
choice-format-auto = auto
choice-format-png = png
choice-format-jpeg = jpeg
choice-format-webp = webp
cmd-edit = edit
cmd-edit-desc = Change an image with a description of what to do.
opt-edit-prompt = prompt
opt-edit-prompt-desc = What to change, for example "make it snow".
opt-edit-image = image
opt-edit-image-desc = The image to edit (PNG, JPEG or WebP, under 50 MB).
opt-edit-image2 = image2
opt-edit-image2-desc = Another reference image.
opt-edit-image3 = image3
opt-edit-image3-desc = Another reference image.
opt-edit-mask = mask
opt-edit-mask-desc = A PNG the size of the first image; its transparent pixels mark where to edit.
opt-edit-model = model
opt-edit-model-desc = Which editing model to use.
opt-edit-size = size
opt-edit-size-desc = Size of the result.
opt-edit-quality = quality
opt-edit-quality-desc = Higher quality takes longer.
cmd-quota = quota
cmd-quota-desc = See and manage daily image limits
cmd-quota-show = show
cmd-quota-show-desc = See how many images you have made today, what you spent, and what is left.
opt-quota-show-member = member
opt-quota-show-member-desc = (Admins) see another member's use instead of your own.
cmd-quota-set = set
cmd-quota-set-desc = (Admins) Set a daily image limit or a spending budget for a member, a role, or the server.
opt-quota-set-limit = limit
opt-quota-set-limit-desc = Images per day: a number, 0 to block, or "unlimited".
opt-quota-set-budget_usd = budget_usd
opt-quota-set-budget_usd-desc = Money per day in US dollars (0 blocks), counted at the bot's prices.
opt-quota-set-period = period
opt-quota-set-period-desc = The budget's period: day (default), or month for the server's total only.
choice-day = day
choice-month = month
opt-quota-set-member = member
opt-quota-set-member-desc = Set this member's own limit (wins over role and server limits).
opt-quota-set-role = role
opt-quota-set-role-desc = Set the limit of members with this role (the most generous role wins).
opt-quota-set-server_total = server_total
opt-quota-set-server_total-desc = Set the whole server's total instead of the per-member default.
cmd-quota-clear = clear
cmd-quota-clear-desc = (Admins) Remove a limit or budget you set, so the next one down applies again.
opt-quota-clear-member = member
opt-quota-clear-member-desc = Clear this member's own limit.
opt-quota-clear-role = role
opt-quota-clear-role-desc = Clear this role's limit.
opt-quota-clear-server_total = server_total
opt-quota-clear-server_total-desc = Clear the server's total instead of the per-member default.
opt-quota-clear-what = what
opt-quota-clear-what-desc = Clear the image limit, the budget, or both (default).
choice-all = all
choice-images = images
choice-budget = budget
opt-quota-clear-period = period
opt-quota-clear-period-desc = For the server's total: clear only its daily or monthly budget (default both).
cmd-quota-stats = stats
cmd-quota-stats-desc = (Admins) This server's images and tokens today and over the last 7 days, and the limits set.
cmd-usage = usage
cmd-usage-desc = (Admins) What this server spent on images: a chart per day and model, totals and top members.
opt-usage-days = days
opt-usage-days-desc = How many days back to show, today included (1 to 90; default 30).
opt-usage-member = member
opt-usage-member-desc = Show only this member's spending.
cmd-settings = settings
cmd-settings-desc = (Admins) This server's image bot settings
cmd-settings-show = show
cmd-settings-show-desc = (Admins) Everything in force for this server, and where each value comes from.
cmd-settings-models = models
cmd-settings-models-desc = (Admins) Choose the default /generate model and which models members may use.
opt-settings-models-default = default
opt-settings-models-default-desc = The model /generate uses when a member picks none.
opt-settings-models-allowed = allowed
opt-settings-models-allowed-desc = Models members may use, separated by commas, or "all".
cmd-settings-log = log
cmd-settings-log-desc = (Admins) Choose the channel where every finished image job is logged, or turn the log off.
opt-settings-log-channel = channel
opt-settings-log-channel-desc = A text channel the bot can see and post in.
opt-settings-log-off = off
opt-settings-log-off-desc = True to stop logging.
cmd-settings-moderation = moderation
cmd-settings-moderation-desc = (Admins) The provider's moderation level: low applies only in age-restricted channels.
opt-settings-moderation-level = level
opt-settings-moderation-level-desc = auto everywhere, or low in age-restricted (NSFW) channels and auto elsewhere.
choice-moderation-auto = auto (the provider's default)
choice-moderation-low = low (only in age-restricted channels)
cmd-settings-previews = previews
cmd-settings-previews-desc = (Admins) Turn live previews on or off for this server.
opt-settings-previews-on = on
opt-settings-previews-on-desc = True shows partial images while a picture is drawn (each costs extra tokens).
cmd-blocklist = blocklist
cmd-blocklist-desc = (Admins) Words and phrases refused in prompts
cmd-blocklist-add = add
cmd-blocklist-add-desc = (Admins) Refuse prompts that contain a word or phrase, however it is spaced or spelled.
opt-blocklist-add-term = term
opt-blocklist-add-term-desc = A word or short phrase (whole words only: blocking "ass" does not block "class").
cmd-blocklist-remove = remove
cmd-blocklist-remove-desc = (Admins) Allow a blocked word or phrase again.
opt-blocklist-remove-term = term
opt-blocklist-remove-term-desc = The blocked term, as `/blocklist list` shows it.
cmd-blocklist-list = list
cmd-blocklist-list-desc = (Admins) The words and phrases refused in prompts here.
cmd-jobs = jobs
cmd-jobs-desc = See your running and queued image jobs and your last ten finished ones, and cancel them.
opt-jobs-server = server
opt-jobs-server-desc = (Admins) The whole server's queue, with a Cancel button on every job.
cmd-edit-image = Edit image
