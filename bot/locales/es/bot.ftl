# Español (es-ES, y también es-419). Traducido de locales/en/bot.ftl: mismos identificadores de
# mensaje, mismas variables. Tuteo, como la interfaz de Discord; sus términos (canal, rol,
# «Gestionar servidor»). Neutro en lo posible, para que sirva también a Latinoamérica.

## Lists

list-sep = {", "}
list-and = { $first } y { $last }
list-or = { $first } o { $last }

## Errors a member reads (bot/errors.py)

quota-off = La generación de imágenes está desactivada por { $scope ->
        [member] tu límite diario en este servidor
        [server] el límite diario de este servidor
        [personal] tu límite diario personal
       *[other] el límite diario
    } (límite 0). Se restablece <t:{ $stamp }:R> (<t:{ $stamp }:t>).
quota-exceeded = Eso superaría { $scope ->
        [member] tu límite diario en este servidor
        [server] el límite diario de este servidor
        [personal] tu límite diario personal
       *[other] el límite diario
    }: imágenes usadas hoy: { $used } de { $limit }, te quedan { $left } y pediste { $requested }. Se restablece <t:{ $stamp }:R> (<t:{ $stamp }:t>).
too-many-jobs = Ya tienes { $running ->
        [one] { $running } trabajo
       *[other] { $running } trabajos
    } en cola o en curso (el límite es { $limit }). Espera a que termine uno y vuelve a intentarlo.
budget-off = La generación de imágenes está desactivada por { $scope ->
        [member] tu presupuesto diario en este servidor
        [server] el presupuesto diario de este servidor
        [server_month] el presupuesto mensual de este servidor
        [personal] tu presupuesto diario personal
       *[other] un presupuesto
    } ($0). Se restablece <t:{ $stamp }:R> (<t:{ $stamp }:f>).
budget-exceeded-member = Eso superaría { $scope ->
        [personal] tu presupuesto diario personal
       *[member] tu presupuesto diario en este servidor
    }: hoy gastaste { $spent } de { $budget }, y esta solicitud puede costar hasta { $cost }. Se restablece <t:{ $stamp }:R> (<t:{ $stamp }:f>).
budget-exceeded-server = Eso superaría { $scope ->
        [server_month] el presupuesto mensual de este servidor: el servidor gastó { $spent } de { $budget } este mes
       *[server] el presupuesto diario de este servidor: el servidor gastó { $spent } de { $budget } hoy
    } (tú: { $user_spent } hoy), y esta solicitud puede costar hasta { $cost }. Se restablece <t:{ $stamp }:R> (<t:{ $stamp }:f>).
price-unknown = No sé cuánto cuesta `{ $model }` y aquí se aplica un presupuesto de gasto, así que no puedo mantenerlo dentro del presupuesto. Elige otro modelo o pide a un admin que añada su precio al PRICES_FILE del bot.
shutting-down = Me estoy reiniciando por una actualización; vuelve a intentarlo en un minuto.

## Errors of the image API (bot/gptproto/errors.py)

api-account-problem = La cuenta del bot en el servicio de imágenes tiene un problema, así que ahora no puedo crear imágenes; ya se avisó a un admin. No se te ha cobrado nada.
api-rate-limited = El servicio de imágenes está saturado en este momento; vuelve a intentarlo en un minuto. No se te ha cobrado nada.
api-rate-limited-wait = El servicio de imágenes está saturado en este momento; vuelve a intentarlo en unos { $seconds ->
        [one] { $seconds } segundo
       *[other] { $seconds } segundos
    }. No se te ha cobrado nada.
api-content-policy = El sistema de seguridad del proveedor bloqueó tu prompt; no se te ha cobrado nada. Prueba a describirlo de otra manera.
api-bad-request = El servicio de imágenes rechazó la solicitud: { $reason } No se te ha cobrado nada.
api-input-unavailable = El servicio de imágenes no pudo descargar la imagen que quieres editar: los enlaces de Discord a los archivos adjuntos caducan al cabo de un tiempo. Vuelve a adjuntar la imagen con /editar. No se te ha cobrado nada.
api-provider-error = El servicio de imágenes tuvo un error interno (HTTP { $status }); vuelve a intentarlo en un minuto. No se te ha cobrado nada.
api-timeout = El servicio de imágenes no respondió en { $seconds ->
        [one] { $seconds } segundo
       *[other] { $seconds } segundos
    }; vuelve a intentarlo más tarde. No se te ha cobrado nada.
api-connection = No pude conectar con el servicio de imágenes; vuelve a intentarlo en un minuto. No se te ha cobrado nada.
api-malformed = El servicio de imágenes devolvió algo que no es una imagen utilizable. No se te ha cobrado nada.
api-prediction-failed = El servicio de imágenes no pudo terminar esta edición: { $reason }. No se te ha cobrado nada.
api-prediction-failed-no-reason = El servicio de imágenes no pudo terminar esta edición y no indicó el motivo. No se te ha cobrado nada.
api-prediction-timeout = El servicio de imágenes no terminó en { $seconds ->
        [one] { $seconds } segundo
       *[other] { $seconds } segundos
    }, así que dejé de esperar. No se te ha cobrado nada.
api-stream-broken = La conexión con el servicio de imágenes se cortó antes de terminar la imagen. No lo reintenté por mi cuenta, porque una nueva solicitud podría cobrarse otra vez; vuelve a ejecutar el comando si quieres. No se te ha cobrado nada.
api-not-found = El servicio de imágenes ya no reconoce este trabajo. No se te ha cobrado nada.

## The error path (bot/tree.py)

generic-failure = Algo salió mal por mi parte; el registro del admin tiene los detalles. No se te ha cobrado nada.
no-permission = No tienes permiso para hacer eso aquí.
cooldown = Ve un poco más despacio: vuelve a intentarlo en { $seconds } segundos.
server-only = Ese comando solo funciona en un servidor.
# A sentence that came without a message id, shown as it is.
plain-text = { $text }

## Attachments (bot/images.py)

attachment-unnamed = el archivo adjunto
attachment-empty = { $name } está vacío.
attachment-too-big = { $name } ocupa { $size }; { $what ->
        [masks] las máscaras
       *[images] las imágenes
    } deben ocupar menos de { $limit }.
attachment-just-too-big = { $name } supera por poco { $limit }; { $what ->
        [masks] las máscaras
       *[images] las imágenes
    } deben ocupar menos de { $limit }.
attachment-wrong-type = { $name } no es una imagen (Discord dice que es `{ $mime }`); adjunta una imagen PNG, JPEG o WebP.
attachment-not-image = { $name } no es una imagen (su contenido no es PNG, JPEG ni WebP).
attachment-unsupported-format = { $name } no es una imagen PNG, JPEG ni WebP ({ $detail }); solo se aceptan esos tres formatos.
attachment-too-many-pixels = { $name } es demasiado grande para abrirlo con seguridad ({ $detail }).
attachment-damaged = { $name } está incompleto o dañado.
attachment-unreadable = No se pudo leer `{ $name }`.
attachment-download-failed = No se pudo descargar `{ $name }` de Discord ({ $status }); vuelve a adjuntarlo.
attachment-download-slow = No se pudo descargar `{ $name }` de Discord a tiempo; vuelve a intentarlo en un momento.
mask-not-image = { $name } no es una imagen; una máscara debe ser un PNG cuyos píxeles transparentes marquen dónde editar.
mask-not-png = { $name } es un { $format }; una máscara debe ser un PNG cuyos píxeles transparentes marquen dónde editar.
mask-wrong-size = { $name } mide { $size }, pero la imagen mide { $image_size }; una máscara debe tener exactamente el mismo tamaño que la imagen.
mask-no-alpha = { $name } no tiene canal alfa (es { $mode }); una máscara debe ser un PNG con transparencia, cuyos píxeles transparentes marquen dónde editar.
mask-opaque = { $name } no tiene píxeles transparentes, así que no marca nada que editar; haz transparente la zona que quieres cambiar.
note-fit-lossless = guardada de nuevo como WebP sin pérdida para caber en el límite de subida de { $limit }
note-fit-quality = guardada de nuevo como { $format } (calidad { $quality }) para caber en el límite de subida de { $limit }
note-fit-scaled = reducida a { $size } y guardada como { $format } para caber en el límite de subida de { $limit }

## Checking a request (bot/gptproto/registry.py)

model-unknown = `{ $model }` no es un modelo que pueda usar aquí; elige uno de estos: { $models }.
prompt-empty = Tu prompt está vacío: describe la imagen que quieres.
prompt-too-long = Tu prompt tiene { $length } caracteres; el límite es { $limit }.
prompt-null = Tu prompt contiene un carácter nulo; quítalo y vuelve a intentarlo.
option-not-taken = { $model } no admite { $option ->
        [quality] la calidad
        [background] el fondo
       *[output_format] el formato
    } `{ $value }`; elige { $allowed }.
size-aspect-only = { $model } usa una relación de aspecto, no `{ $size }`; elige { $allowed }.
size-needs-explicit = { $model } necesita un tamaño concreto; elige { $allowed }.
size-invalid = `{ $size }` no es un tamaño; escríbelo como ANCHOxALTO, por ejemplo 1024x1024.
size-not-offered = { $model } no puede crear { $size }; elige { $allowed }.
size-not-positive = Los tamaños de { $model } deben ser positivos; { $size } no lo es.
size-not-multiple = Los tamaños de { $model } deben ser múltiplos de { $multiple } px; { $size } no lo es.
size-edge-too-long = Los tamaños de { $model } admiten como máximo { $max } px en el lado más largo; { $size } tiene { $edge } px.
size-ratio = Los tamaños de { $model } admiten como máximo una proporción de 3:1 (o 1:3); { $size } es más alargado.
size-too-few-pixels = Los tamaños de { $model } necesitan al menos { $min } píxeles (por ejemplo 1024x640); { $size } tiene { $pixels }.
size-too-many-pixels = Los tamaños de { $model } admiten como máximo { $max } píxeles (3840x2160); { $size } tiene { $pixels }.
n-one-only = { $model } crea una imagen por solicitud; omite `cantidad` o ponla en 1.
n-out-of-range = { $model } crea de 1 a { $max } imágenes por solicitud, no { $n }.
transparent-needs-png = Un fondo transparente necesita salida PNG o WebP; JPEG no admite transparencia.
edit-no-image = Adjunta al menos una imagen para editar.
edit-too-many-images = Una edición admite como máximo { $max } imágenes, no { $count }.
note-experimental-size = los tamaños por encima de 2560x1440 son experimentales en este modelo
size-auto-label = auto (decide el modelo)
size-experimental-label = { $size } (experimental)
size-custom-label = { $size } (personalizado)

## A server's rules (bot/policy.py, bot/blocklist.py)

prompt-blocked = Tu prompt contiene una palabra o frase que los admins de este servidor bloquearon, así que no lo envié. Reformúlalo, por favor; no se te ha cobrado nada.
no-model-allowed = Los admins de este servidor no permiten ningún modelo para { $kind ->
        [edit] editar imágenes
       *[generate] generar imágenes
    }, así que aquí está desactivado.
model-not-allowed = `{ $model }` no está permitido en este servidor; elige uno de estos: { $models }.
model-default-label = { $model } (predeterminado aquí)
term-empty = El término está vacío: escribe la palabra o frase que quieres bloquear.
term-too-long = Ese término tiene { $length } caracteres; un término bloqueado puede tener como máximo { $max } (bloquea palabras sueltas o frases cortas).
term-no-letters = Ese término no tiene letras ni dígitos, así que nunca coincidiría con un prompt.
terms-full = Este servidor ya bloquea { $count } términos, el máximo que guardo ({ $limit }); quita algunos primero con `/bloqueos quitar`.

## The audit log, in the server's language (bot/audit.py)

audit-title = { $outcome ->
        [delivered] Entregado
        [failed] Fallido
        [refused] Rechazado
        [cancelled] Cancelado
       *[interrupted] Interrumpido por un reinicio
    }: /{ $command }
audit-member = Miembro
audit-channel = Canal
audit-images = Imágenes
audit-images-value = { $delivered } de { $requested }
audit-why = Motivo
audit-note = Nota
audit-result = Resultado
audit-open-result = [Abrir el resultado]({ $link })
audit-blocked-term = término bloqueado
audit-model-not-allowed = modelo no permitido
audit-cancelled-by = cancelado por <@{ $by }>
audit-interrupted = interrumpido por un reinicio

## Progress, results and failures of a job (bot/render.py, bot/jobs/)

summary-images = { $n } imágenes
progress-queued = Esperando en la cola: posición { $position }
progress-elapsed = { $seconds } s hasta ahora
seconds-short = { $seconds } s
phase-queued = En cola
phase-generating = Generando…
phase-generating-preview = Generando… vista previa { $index } de { $count }
phase-sending-edit = Enviando tu imagen al editor…
phase-editing-queued = Editando… en cola en el proveedor
phase-editing = Editando… en curso
field-request = Solicitud
field-model = Modelo
field-size = Tamaño
field-quality = Calidad
field-time = Tiempo
field-cost = Coste
field-requested-by = Solicitado por
field-your-quota = Tu cuota
field-prompt = Prompt
failure-title = Esta vez no hay imagen
quota-left-unlimited = ilimitada
quota-left = te quedan hoy { $left } de { $limit } imágenes
button-reroll = Repetir
button-edit = Editar
button-delete = Eliminar
button-cancel = Cancelar
result-ready = <@{ $user }>, tu imagen está lista.
cancelled-notice = Cancelado; no se te ha cobrado nada.
cancelled-by-admin-notice = Cancelado por <@{ $by }> (admin del servidor); no se te ha cobrado nada.
interrupted-notice = El bot se reinició mientras se creaba esta imagen, y puede que la solicitud llegara o no al servicio de imágenes, así que no la volví a enviar. No se te ha cobrado nada; vuelve a ejecutar el comando si quieres.
request-lost-notice = Tu solicitud del <t:{ $stamp }:f> se perdió al reiniciarse el bot y no se te ha cobrado nada; vuelve a ejecutar el comando si quieres.
channel-missing-permissions = No puedo publicar imágenes en este canal: aquí necesito { $count ->
        [one] el permiso
       *[other] los permisos
    } { $permissions }. Pídeselo a un admin del servidor o prueba en otro canal.
post-forbidden = No puedo publicar en este canal: aquí necesito los permisos «Ver canal», «Enviar mensajes», «Adjuntar archivos» e «Insertar enlaces». No se te ha cobrado nada.
perm-view-channel = «Ver canal»
perm-send-messages = «Enviar mensajes»
perm-send-messages-in-threads = «Enviar mensajes en hilos»
perm-attach-files = «Adjuntar archivos»
perm-embed-links = «Insertar enlaces»
perm-read-message-history = «Leer el historial de mensajes»

## Buttons and forms (cogs/results.py, cogs/edit.py)

form-prompt-label = ¿Qué quieres cambiar?
form-edit-result-title = Editar esta imagen
form-edit-result-placeholder = hazlo de noche, añade un paraguas rojo…
form-edit-menu-title = Editar imagen
form-edit-menu-placeholder = pon el cielo morado, añade un faro…
button-job-unknown = Ya no reconozco el trabajo de esa imagen, así que no puedo hacerlo.
delete-not-allowed = Solo el miembro que pidió esta imagen, o un admin del servidor, puede eliminarla.
cancel-not-allowed = Solo el miembro que pidió esta imagen, o un admin del servidor, puede cancelarla.
cancel-too-late = Ese trabajo ya terminó (o se está publicando), así que no se puede cancelar.
edit-no-images-left = Ese mensaje ya no tiene imágenes que editar.
menu-no-images = Ese mensaje no tiene imágenes que editar; elige un mensaje con una imagen adjunta.
menu-message-gone = Ya no puedo leer ese mensaje (puede que se haya eliminado); vuelve a abrir el menú sobre él.

## /quota (cogs/quota.py)

unlimited = ilimitado
nothing-yet = nada todavía
nobody-yet = nadie todavía
and-more = …y { $count } más
amount-of = { $part } de { $whole }
images-count = { $count ->
        [one] { $count } imagen
       *[other] { $count } imágenes
    }
limit-invalid = `{ $value }` no es un límite: usa un número entero de imágenes por día, 0 para bloquear o `unlimited`.
budget-invalid = `{ $value }` no es un presupuesto: usa una cantidad en dólares estadounidenses de 0 (bloquea) a { $max }.
quota-spent-today = Gastado hoy
quota-budget-left-today = Presupuesto restante hoy
quota-server-budget-left = Presupuesto restante del servidor
quota-server-budget-today = hoy { $left }
quota-server-budget-month = este mes { $left } (se restablece <t:{ $stamp }:R>)
limit-source-role = por el rol <@&{ $role }>
limit-source-member = establecido para ti por un admin
limit-source-server = el predeterminado de este servidor
limit-source-bot = el predeterminado del bot
quota-title = Cuota de imágenes de { $name }
quota-used-today = Usadas hoy
quota-left-today = Restantes hoy
quota-daily-limit = Límite diario
quota-limit-with-source = { $limit } ({ $source })
quota-server-left-today = Restante del servidor hoy
quota-jobs-running = Trabajos en curso
quota-resets = Se restablece
quota-show-not-allowed = Solo los admins del servidor (Gestionar servidor) pueden ver la cuota de otro miembro.
quota-set-not-allowed = Solo los admins del servidor (Gestionar servidor) pueden cambiar los límites.
quota-stats-not-allowed = Solo los admins del servidor (Gestionar servidor) pueden ver las estadísticas del servidor.
quota-set-nothing = Indica un `límite` (imágenes por día), un `presupuesto_usd` (dólares) o ambos.
quota-period-without-budget = `periodo` va con `presupuesto_usd`; indica también el presupuesto.
quota-month-server-only = Un presupuesto mensual solo es para el total del servidor: añade `total_servidor:True` o usa `periodo:día`.
quota-clear-month-server-only = Solo el total del servidor tiene presupuesto mensual: añade `total_servidor:True`.
quota-clear-period-images = `periodo` es para presupuestos; omítelo para borrar el límite de imágenes.
quota-one-target = Elige solo uno de `miembro`, `rol` o `total_servidor`, no varios.
quota-done-limit = { $limit } por día
quota-done-budget = un presupuesto de { $budget } por { $period ->
        [month] mes
       *[day] día
    }
quota-set-done = Hecho: ahora { $target } tiene { $what }.
quota-cleared-limit = el límite de imágenes
quota-cleared-budget = { $period ->
        [day] el presupuesto diario
        [month] el presupuesto mensual
       *[any] el presupuesto
    }
quota-cleared = Borrado: { $what } para { $target }.
quota-nothing-to-clear = { $asked ->
        [images] No había ningún límite establecido para { $target }.
        [budget] No había ningún presupuesto establecido para { $target }.
       *[all] No había ningún límite ni presupuesto establecido para { $target }.
    }
target-member = { $member }
target-role = el rol { $role }
target-server-total = el total de este servidor
target-member-default = el predeterminado de cada miembro en este servidor
stats-title = Uso de imágenes en este servidor
stats-today = Hoy
stats-today-value = { $images ->
        [one] { $images } imagen
       *[other] { $images } imágenes
    }, { $jobs ->
        [one] { $jobs } trabajo
       *[other] { $jobs } trabajos
    }, { $tokens } tokens
stats-last-7-days = Últimos 7 días
stats-period-value = { $images ->
        [one] { $images } imagen
       *[other] { $images } imágenes
    }, { $tokens } tokens
stats-day-line = `{ $day }` { $images ->
        [one] { $images } imagen
       *[other] { $images } imágenes
    }, { $tokens } tokens
stats-per-day = Por día
stats-member-line = <@{ $user }>: { $images ->
        [one] { $images } imagen
       *[other] { $images } imágenes
    }, { $tokens } tokens
stats-top-members = Miembros más activos (7 días)
stats-server-total = total del servidor
stats-member-default = predeterminado de los miembros
stats-limit-line = { $who }: { $limit }
stats-budget-line = { $who }: presupuesto de { $budget } por { $period ->
        [month] mes
       *[day] día
    }
stats-no-limits = ninguno (se aplican los predeterminados del bot)
stats-limits-set = Límites establecidos aquí

## /jobs (cogs/jobs.py)

job-state = { $state ->
        [queued] en cola
        [running] en curso
        [submitted] editando
        [delivering] publicando
        [done] terminado
        [failed] fallido
        [interrupted] interrumpido
       *[cancelled] cancelado
    }
jobs-cancel-button = Cancelar { $job }
jobs-unknown = Ya no reconozco ese trabajo.
jobs-cancelled = Trabajo `{ $job }` cancelado; no se ha cobrado nada.
jobs-cancelled-for = Trabajo `{ $job }` cancelado; no se ha cobrado nada. Se le dijo a <@{ $user }> quién lo canceló.
jobs-server-only = `servidor:True` solo funciona en un servidor.
jobs-server-not-allowed = Solo los admins del servidor (Gestionar servidor) pueden ver los trabajos de todo el servidor.
jobs-server-title = Trabajos en cola y en curso en este servidor: { $count }
jobs-server-empty = No hay nada en cola ni en curso.
jobs-member-title = Tus trabajos de imágenes aquí: { $count } en marcha
jobs-member-empty = Aún no tienes trabajos aquí: prueba `/generar`.

## /settings (cogs/settings.py)

settings-not-allowed = Solo los admins del servidor (Gestionar servidor) pueden ver o cambiar los ajustes de este servidor.
settings-allowed-empty = `permitidos` está vacío: enumera modelos separados por comas o escribe `all`.
settings-unknown-models = No conozco { $count ->
        [one] el modelo
       *[other] los modelos
    } { $models }; no se cambió nada. Modelos conocidos: { $known }.
settings-source-environment = *predeterminado del entorno `{ $variable }`*
settings-source-server = *ajuste del servidor*
settings-all-models = todos los modelos
settings-every-model = todos los modelos
settings-default-model = Modelo predeterminado de /generar
settings-default-edit-model = Modelo predeterminado de /editar
settings-default-edit-model-value = `{ $model }` *predeterminado del entorno `DEFAULT_EDIT_MODEL`*{ $restricted ->
        [true] {" "}(primer modelo de edición permitido)
       *[false] {""}
    }
settings-allowed-models = Modelos permitidos
settings-allowed-models-value = { $models } { $everything ->
        [true] *predeterminado del entorno (todos los modelos)*
       *[false] *ajuste del servidor*
    }
settings-moderation = Moderación
settings-moderation-low-note = ; `low` solo se envía en canales con restricción de edad, a { $models }
settings-previews = Vistas previas en directo
settings-previews-off = desactivadas
settings-previews-on = activadas, { $count } por imagen (cada una cuesta 100 tokens de salida)
settings-audit-log = Registro de auditoría
settings-audit-log-off = desactivado *(configúralo con `/ajustes registro`)*
settings-audit-log-on = <#{ $channel }> *ajuste del servidor*
    { $health }
settings-log-works = la publicación funciona
settings-log-failed = No pude publicar allí: { $error }
settings-blocked-terms = Términos bloqueados
settings-blocked-terms-value = { $count } (consulta `/bloqueos lista`)
settings-title = Ajustes del bot de imágenes en este servidor
settings-daily-limits = Límites diarios
settings-daily-limits-value = { $member } imágenes por miembro, { $server } por servidor, { $jobs } trabajos a la vez por miembro *predeterminados del entorno; `/cuota` para excepciones*
settings-footer = Quién puede usar cada comando: Ajustes del servidor › Integraciones.
settings-models-nothing = Indica `predeterminado`, `permitidos` o ambos; no se cambió nada.
settings-default-not-generate = `{ $model }` no es un modelo de /generar; elige uno de estos: { $models }. No se cambió nada.
settings-default-not-allowed = El modelo predeterminado `{ $model }` dejaría de estar permitido; añádelo a `permitidos` o indica un `predeterminado` de la lista. No se cambió nada.
settings-models-done = Hecho. Modelo predeterminado: `{ $model }`. Permitidos: { $allowed }.
settings-models-done-no-edit = Hecho. Modelo predeterminado: `{ $model }`. Permitidos: { $allowed }. No hay ningún modelo de edición permitido, así que /editar y los botones Editar están desactivados aquí.
settings-log-both = Indica `canal` o `desactivar`, no ambos; no se cambió nada.
settings-log-off-done = El registro de auditoría está desactivado.
settings-log-neither = Indica un `canal` para el registro de auditoría, o `desactivar:True`; no se cambió nada.
settings-log-done = Hecho: cada trabajo de imagen terminado se registrará en <#{ $channel }>.
settings-log-unseen = No puedo ver <#{ $channel }>, así que no puedo registrar allí; no se cambió nada.
settings-log-no-view = No puedo ver <#{ $channel }> (me falta «Ver canal» allí); no se cambió nada.
settings-log-missing-permissions = No puedo registrar en <#{ $channel }>: allí necesito { $count ->
        [one] el permiso
       *[other] los permisos
    } { $permissions }. No se cambió nada.
settings-log-first-line = Los trabajos de imágenes de este servidor se registrarán aquí (configurado por <@{ $user }>).
settings-log-post-failed = No pude publicar en <#{ $channel }> ({ $error }); no se cambió nada.
settings-moderation-low-done = Hecho: la moderación es `low` en los canales con restricción de edad (para { $models }) y `auto` en todos los demás.
settings-moderation-auto-done = Hecho: la moderación es `auto` en todas partes.
settings-previews-on-done = Hecho: las vistas previas en directo están activadas ({ $count } por imagen, cada una cuesta 100 tokens de salida).
settings-previews-off-done = Hecho: las vistas previas en directo están desactivadas en este servidor.

## /blocklist (cogs/blocklist.py)

blocklist-added = Bloqueado: los prompts que contengan `{ $term }` (también con espacios, signos de puntuación o en otros anchos de carácter) se rechazan antes de gastar nada. { $count } de { $max } términos como máximo aquí.
blocklist-already = `{ $term }` ya estaba bloqueado aquí (o un término con las mismas letras). No cambió nada.
blocklist-removed = `{ $term }` ya no está bloqueado.
blocklist-not-blocked = `{ $term }` no estaba bloqueado aquí. No cambió nada.
blocklist-title = Términos bloqueados en este servidor: { $count } de { $max } como máximo
blocklist-empty = Ninguno todavía: añade uno con `/bloqueos añadir`.

## /usage and its chart (cogs/usage.py, bot/charts.py)

usage-not-allowed = Solo los admins del servidor (Gestionar servidor) pueden ver los gastos del servidor.
usage-title-member = Gastos de { $name }
usage-title-server = Gastos en { $name }
usage-title-this-server = Gastos en este servidor
usage-summary = **{ $total }** en { $days ->
        [one] el último día
       *[other] los últimos { $days } días
    } (UTC), por { $images ->
        [one] { $images } imagen entregada
       *[other] { $images } imágenes entregadas
    } en { $jobs ->
        [one] { $jobs } trabajo
       *[other] { $jobs } trabajos
    }.
usage-today = Hoy
usage-refunded = Reembolsado
usage-refunded-value = { $jobs ->
        [one] { $jobs } trabajo
       *[other] { $jobs } trabajos
    } ({ $amount } sin cobrar)
usage-per-model = Por modelo
usage-member-line = <@{ $user }>: { $amount }, { $images ->
        [one] { $images } imagen
       *[other] { $images } imágenes
    }
usage-top-members = Miembros que más gastan
usage-note = Costes según los precios del bot (PRICES_FILE o los precios de lista incorporados).
usage-note-estimated = Costes según los precios del bot (PRICES_FILE o los precios de lista incorporados). { $estimated } es una estimación (las ediciones no informan del uso de tokens).
chart-other-models = { $count ->
        [one] { $count } modelo más
       *[other] { $count } modelos más
    }
chart-subtitle = { $total } en { $days ->
        [one] { $days } día
       *[other] { $days } días
    } (UTC), { $images ->
        [one] { $images } imagen entregada
       *[other] { $images } imágenes entregadas
    }
chart-nothing-spent = No se gastó nada en este periodo

## The slash commands

cmd-generate = generar
cmd-generate-desc = Crea una imagen a partir de una descripción.
opt-generate-prompt = prompt
opt-generate-prompt-desc = Lo que debe mostrar la imagen, con todo el detalle que quieras.
opt-generate-model = modelo
opt-generate-model-desc = El modelo que la dibuja (el predeterminado del servidor si no eliges ninguno).
opt-generate-size = tamaño
opt-generate-size-desc = Tamaño en píxeles o relación de aspecto; las opciones dependen del modelo.
opt-generate-quality = calidad
opt-generate-quality-desc = Una calidad más alta tarda más.
choice-quality-auto = automática
choice-quality-low = baja
choice-quality-medium = media
choice-quality-high = alta
opt-generate-n = cantidad
opt-generate-n-desc = Cuántas imágenes crear (cada una cuenta para tu cuota diaria).
opt-generate-background = fondo
opt-generate-background-desc = Los fondos transparentes necesitan salida PNG o WebP.
choice-background-auto = automático
choice-background-opaque = opaco
choice-background-transparent = transparente
opt-generate-output_format = formato
opt-generate-output_format-desc = El tipo de archivo del resultado.
choice-format-auto = automático
choice-format-png = png
choice-format-jpeg = jpeg
choice-format-webp = webp
cmd-edit = editar
cmd-edit-desc = Cambia una imagen describiendo lo que quieres hacer.
opt-edit-prompt = prompt
opt-edit-prompt-desc = Qué cambiar, por ejemplo «haz que nieve».
opt-edit-image = imagen
opt-edit-image-desc = La imagen que quieres editar (PNG, JPEG o WebP, menos de 50 MB).
opt-edit-image2 = imagen2
opt-edit-image2-desc = Otra imagen de referencia.
opt-edit-image3 = imagen3
opt-edit-image3-desc = Otra imagen de referencia.
opt-edit-mask = máscara
opt-edit-mask-desc = Un PNG del tamaño de la primera imagen; sus píxeles transparentes marcan dónde editar.
opt-edit-model = modelo
opt-edit-model-desc = Qué modelo de edición usar.
opt-edit-size = tamaño
opt-edit-size-desc = Tamaño del resultado.
opt-edit-quality = calidad
opt-edit-quality-desc = Una calidad más alta tarda más.
cmd-quota = cuota
cmd-quota-desc = Ver y gestionar los límites diarios de imágenes
cmd-quota-show = ver
cmd-quota-show-desc = Mira cuántas imágenes has creado hoy, cuánto has gastado y cuánto te queda.
opt-quota-show-member = miembro
opt-quota-show-member-desc = (Admins) Ver el uso de otro miembro en lugar del tuyo.
cmd-quota-set = establecer
cmd-quota-set-desc = (Admins) Fijar un límite diario de imágenes o un presupuesto a un miembro, un rol o el servidor.
opt-quota-set-limit = límite
opt-quota-set-limit-desc = Imágenes por día: un número, 0 para bloquear o «unlimited».
opt-quota-set-budget_usd = presupuesto_usd
opt-quota-set-budget_usd-desc = Dinero por día en dólares estadounidenses (0 bloquea), según los precios del bot.
opt-quota-set-period = periodo
opt-quota-set-period-desc = Periodo del presupuesto: día (predeterminado) o mes, solo para el total del servidor.
choice-day = día
choice-month = mes
opt-quota-set-member = miembro
opt-quota-set-member-desc = Establecer el límite propio de este miembro (prevalece sobre los de rol y servidor).
opt-quota-set-role = rol
opt-quota-set-role-desc = Establecer el límite de los miembros con este rol (gana el rol más generoso).
opt-quota-set-server_total = total_servidor
opt-quota-set-server_total-desc = Establecer el total de todo el servidor en lugar del predeterminado por miembro.
cmd-quota-clear = borrar
cmd-quota-clear-desc = (Admins) Quitar un límite o presupuesto establecido para que vuelva a aplicarse el siguiente nivel.
opt-quota-clear-member = miembro
opt-quota-clear-member-desc = Borrar el límite propio de este miembro.
opt-quota-clear-role = rol
opt-quota-clear-role-desc = Borrar el límite de este rol.
opt-quota-clear-server_total = total_servidor
opt-quota-clear-server_total-desc = Borrar el total del servidor en lugar del predeterminado por miembro.
opt-quota-clear-what = qué
opt-quota-clear-what-desc = Borrar el límite de imágenes, el presupuesto o ambos (predeterminado).
choice-all = todo
choice-images = imágenes
choice-budget = presupuesto
opt-quota-clear-period = periodo
opt-quota-clear-period-desc = Para el total del servidor: borrar solo el presupuesto diario o mensual (por defecto, ambos).
cmd-quota-stats = estadísticas
cmd-quota-stats-desc = (Admins) Imágenes y tokens de este servidor hoy y en los últimos 7 días, y los límites fijados.
cmd-usage = gastos
cmd-usage-desc = (Admins) Lo que este servidor gastó en imágenes: gráfico por día y modelo, totales y top miembros.
opt-usage-days = días
opt-usage-days-desc = Cuántos días atrás mostrar, hoy incluido (de 1 a 90; 30 por defecto).
opt-usage-member = miembro
opt-usage-member-desc = Mostrar solo los gastos de este miembro.
cmd-settings = ajustes
cmd-settings-desc = (Admins) Los ajustes del bot de imágenes en este servidor
cmd-settings-show = ver
cmd-settings-show-desc = (Admins) Todo lo que rige en este servidor y de dónde viene cada valor.
cmd-settings-models = modelos
cmd-settings-models-desc = (Admins) Elegir el modelo predeterminado de /generar y qué modelos pueden usar los miembros.
opt-settings-models-default = predeterminado
opt-settings-models-default-desc = El modelo que usa /generar cuando un miembro no elige ninguno.
opt-settings-models-allowed = permitidos
opt-settings-models-allowed-desc = Modelos que pueden usar los miembros, separados por comas, o «all».
cmd-settings-log = registro
cmd-settings-log-desc = (Admins) Elegir el canal donde se registra cada trabajo de imagen terminado, o desactivarlo.
opt-settings-log-channel = canal
opt-settings-log-channel-desc = Un canal de texto que el bot pueda ver y en el que pueda publicar.
opt-settings-log-off = desactivar
opt-settings-log-off-desc = True para dejar de registrar.
cmd-settings-moderation = moderación
cmd-settings-moderation-desc = (Admins) Moderación del proveedor: low solo se aplica en canales con restricción de edad.
opt-settings-moderation-level = nivel
opt-settings-moderation-level-desc = auto en todas partes, o low en canales con restricción de edad (NSFW) y auto en el resto.
choice-moderation-auto = auto (predeterminado del proveedor)
choice-moderation-low = low (solo en canales con restricción de edad)
cmd-settings-previews = vistas-previas
cmd-settings-previews-desc = (Admins) Activar o desactivar las vistas previas en directo en este servidor.
opt-settings-previews-on = activar
opt-settings-previews-on-desc = True muestra imágenes parciales mientras se dibuja (cada una cuesta tokens extra).
cmd-blocklist = bloqueos
cmd-blocklist-desc = (Admins) Palabras y frases rechazadas en los prompts
cmd-blocklist-add = añadir
cmd-blocklist-add-desc = (Admins) Rechazar prompts que contengan una palabra o frase, se escriba como se escriba.
opt-blocklist-add-term = término
opt-blocklist-add-term-desc = Una palabra o frase corta (solo palabras completas: bloquear «mar» no bloquea «amar»).
cmd-blocklist-remove = quitar
cmd-blocklist-remove-desc = (Admins) Volver a permitir una palabra o frase bloqueada.
opt-blocklist-remove-term = término
opt-blocklist-remove-term-desc = El término bloqueado, tal como lo muestra `/bloqueos lista`.
cmd-blocklist-list = lista
cmd-blocklist-list-desc = (Admins) Las palabras y frases que se rechazan aquí en los prompts.
cmd-jobs = trabajos
cmd-jobs-desc = Mira tus trabajos de imágenes en curso y en cola y los diez últimos terminados, y cancélalos.
opt-jobs-server = servidor
opt-jobs-server-desc = (Admins) La cola de todo el servidor, con un botón Cancelar en cada trabajo.
cmd-edit-image = Editar imagen
