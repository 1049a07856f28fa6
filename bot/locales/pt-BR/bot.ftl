# Português do Brasil. Traduzido de locales/en/bot.ftl: mesmos identificadores de mensagem,
# mesmas variáveis. Tratamento por "você"; termos da interface do Discord em português (canal,
# cargo, "Gerenciar servidor", "Anexar arquivos").

## Lists

list-sep = {", "}
list-and = { $first } e { $last }
list-or = { $first } ou { $last }

## Errors a member reads (bot/errors.py)

quota-off = A geração de imagens está desativada por { $scope ->
        [member] seu limite diário neste servidor
        [server] o limite diário deste servidor
        [personal] seu limite diário pessoal
       *[other] o limite diário
    } (limite 0). Ele será redefinido <t:{ $stamp }:R> (<t:{ $stamp }:t>).
quota-exceeded = Isso ultrapassaria { $scope ->
        [member] seu limite diário neste servidor
        [server] o limite diário deste servidor
        [personal] seu limite diário pessoal
       *[other] o limite diário
    }: imagens usadas hoje: { $used } de { $limit }, restam { $left }, e você pediu { $requested }. Ele será redefinido <t:{ $stamp }:R> (<t:{ $stamp }:t>).
too-many-jobs = Você já tem { $running ->
        [one] { $running } tarefa
       *[other] { $running } tarefas
    } na fila ou em andamento (o limite é { $limit }). Espere uma terminar e tente de novo.
budget-off = A geração de imagens está desativada por { $scope ->
        [member] seu orçamento diário neste servidor
        [server] o orçamento diário deste servidor
        [server_month] o orçamento mensal deste servidor
        [personal] seu orçamento diário pessoal
       *[other] um orçamento
    } ($0). Ele será redefinido <t:{ $stamp }:R> (<t:{ $stamp }:f>).
budget-exceeded-member = Isso ultrapassaria { $scope ->
        [personal] seu orçamento diário pessoal
       *[member] seu orçamento diário neste servidor
    }: você gastou { $spent } de { $budget } hoje, e este pedido pode custar até { $cost }. Ele será redefinido <t:{ $stamp }:R> (<t:{ $stamp }:f>).
budget-exceeded-server = Isso ultrapassaria { $scope ->
        [server_month] o orçamento mensal deste servidor: o servidor gastou { $spent } de { $budget } este mês
       *[server] o orçamento diário deste servidor: o servidor gastou { $spent } de { $budget } hoje
    } (você: { $user_spent } hoje), e este pedido pode custar até { $cost }. Ele será redefinido <t:{ $stamp }:R> (<t:{ $stamp }:f>).
price-unknown = Não sei quanto custa `{ $model }`, e aqui vale um orçamento de gastos, então não consigo mantê-lo dentro do orçamento. Escolha outro modelo ou peça a um admin para adicionar o preço dele ao PRICES_FILE do bot.
shutting-down = Estou reiniciando para uma atualização; tente de novo em um minuto.

## Errors of the image API (bot/gptproto/errors.py)

api-account-problem = A conta do bot no serviço de imagens está com um problema, então não consigo criar imagens agora; um admin já foi avisado. Nada foi cobrado de você.
api-rate-limited = O serviço de imagens está sobrecarregado agora; tente de novo em um minuto. Nada foi cobrado de você.
api-rate-limited-wait = O serviço de imagens está sobrecarregado agora; tente de novo em cerca de { $seconds ->
        [one] { $seconds } segundo
       *[other] { $seconds } segundos
    }. Nada foi cobrado de você.
api-content-policy = Seu prompt foi bloqueado pelo sistema de segurança do provedor; nada foi cobrado de você. Tente descrevê-lo de outro jeito.
api-bad-request = O serviço de imagens recusou o pedido: { $reason } Nada foi cobrado de você.
api-input-unavailable = O serviço de imagens não conseguiu baixar a imagem a ser editada: os links do Discord para anexos expiram depois de um tempo. Anexe a imagem de novo com /editar. Nada foi cobrado de você.
api-provider-error = O serviço de imagens teve um erro interno (HTTP { $status }); tente de novo em um minuto. Nada foi cobrado de você.
api-timeout = O serviço de imagens não respondeu em { $seconds ->
        [one] { $seconds } segundo
       *[other] { $seconds } segundos
    }; tente de novo mais tarde. Nada foi cobrado de você.
api-connection = Não consegui acessar o serviço de imagens; tente de novo em um minuto. Nada foi cobrado de você.
api-malformed = O serviço de imagens devolveu algo que não é uma imagem utilizável. Nada foi cobrado de você.
api-prediction-failed = O serviço de imagens não conseguiu concluir esta edição: { $reason }. Nada foi cobrado de você.
api-prediction-failed-no-reason = O serviço de imagens não conseguiu concluir esta edição e não informou o motivo. Nada foi cobrado de você.
api-prediction-timeout = O serviço de imagens não terminou em { $seconds ->
        [one] { $seconds } segundo
       *[other] { $seconds } segundos
    }, então parei de esperar. Nada foi cobrado de você.
api-stream-broken = A conexão com o serviço de imagens caiu antes de a imagem ficar pronta. Não tentei de novo sozinho, porque um novo pedido pode ser cobrado outra vez; execute o comando de novo, se quiser. Nada foi cobrado de você.
api-not-found = O serviço de imagens não reconhece mais esta tarefa. Nada foi cobrado de você.

## The error path (bot/tree.py)

generic-failure = Algo deu errado do meu lado; o registro do admin tem os detalhes. Nada foi cobrado de você.
no-permission = Você não tem permissão para fazer isso aqui.
cooldown = Vá com calma: tente de novo em { $seconds } segundos.
server-only = Esse comando só funciona em um servidor.
# A sentence that came without a message id, shown as it is.
plain-text = { $text }

## Attachments (bot/images.py)

attachment-unnamed = o anexo
attachment-empty = { $name } está vazio.
attachment-too-big = { $name } tem { $size }; { $what ->
        [masks] as máscaras
       *[images] as imagens
    } precisam ter menos de { $limit }.
attachment-just-too-big = { $name } passa um pouco de { $limit }; { $what ->
        [masks] as máscaras
       *[images] as imagens
    } precisam ter menos de { $limit }.
attachment-wrong-type = { $name } não é uma imagem (o Discord diz que é `{ $mime }`); anexe uma imagem PNG, JPEG ou WebP.
attachment-not-image = { $name } não é uma imagem (o conteúdo não é PNG, JPEG nem WebP).
attachment-unsupported-format = { $name } não é uma imagem PNG, JPEG ou WebP ({ $detail }); só esses três formatos são aceitos.
attachment-too-many-pixels = { $name } é grande demais para ser aberto com segurança ({ $detail }).
attachment-damaged = { $name } está incompleto ou corrompido.
attachment-unreadable = Não foi possível ler `{ $name }`.
attachment-download-failed = Não foi possível baixar `{ $name }` do Discord ({ $status }); anexe de novo.
attachment-download-slow = Não foi possível baixar `{ $name }` do Discord a tempo; tente de novo daqui a pouco.
mask-not-image = { $name } não é uma imagem; uma máscara precisa ser um PNG cujos pixels transparentes marcam onde editar.
mask-not-png = { $name } é um { $format }; uma máscara precisa ser um PNG cujos pixels transparentes marcam onde editar.
mask-wrong-size = { $name } tem { $size }, mas a imagem tem { $image_size }; uma máscara precisa ter exatamente o mesmo tamanho da imagem.
mask-no-alpha = { $name } não tem canal alfa (é { $mode }); uma máscara precisa ser um PNG com transparência, cujos pixels transparentes marcam onde editar.
mask-opaque = { $name } não tem pixels transparentes, então não marca nada para editar; deixe transparente a área que deve mudar.
note-fit-lossless = salva de novo como WebP sem perdas para caber no limite de envio de { $limit }
note-fit-quality = salva de novo como { $format } (qualidade { $quality }) para caber no limite de envio de { $limit }
note-fit-scaled = reduzida para { $size } e salva como { $format } para caber no limite de envio de { $limit }

## Checking a request (bot/gptproto/registry.py)

model-unknown = `{ $model }` não é um modelo que eu possa usar aqui; escolha um destes: { $models }.
prompt-empty = Seu prompt está vazio: descreva a imagem que você quer.
prompt-too-long = Seu prompt tem { $length } caracteres; o limite é { $limit }.
prompt-null = Seu prompt contém um caractere nulo; remova-o e tente de novo.
option-not-taken = { $model } não aceita { $option ->
        [quality] a qualidade
        [background] o fundo
       *[output_format] o formato
    } `{ $value }`; escolha { $allowed }.
size-aspect-only = { $model } usa uma proporção, não `{ $size }`; escolha { $allowed }.
size-needs-explicit = { $model } precisa de um tamanho definido; escolha { $allowed }.
size-invalid = `{ $size }` não é um tamanho; escreva como LARGURAxALTURA, por exemplo 1024x1024.
size-not-offered = { $model } não consegue criar { $size }; escolha { $allowed }.
size-not-positive = Os tamanhos do { $model } precisam ser positivos; { $size } não é.
size-not-multiple = Os tamanhos do { $model } precisam ser múltiplos de { $multiple } px; { $size } não é.
size-edge-too-long = Os tamanhos do { $model } podem ter no máximo { $max } px no lado maior; { $size } tem { $edge } px.
size-ratio = Os tamanhos do { $model } podem ter no máximo a proporção 3:1 (ou 1:3); { $size } é mais alongado.
size-too-few-pixels = Os tamanhos do { $model } precisam de pelo menos { $min } pixels (por exemplo 1024x640); { $size } tem { $pixels }.
size-too-many-pixels = Os tamanhos do { $model } podem ter no máximo { $max } pixels (3840x2160); { $size } tem { $pixels }.
n-one-only = { $model } cria uma imagem por pedido; deixe `quantidade` de fora ou use 1.
n-out-of-range = { $model } cria de 1 a { $max } imagens por pedido, não { $n }.
transparent-needs-png = Um fundo transparente precisa de saída PNG ou WebP; JPEG não tem transparência.
edit-no-image = Anexe pelo menos uma imagem para editar.
edit-too-many-images = Uma edição aceita no máximo { $max } imagens, não { $count }.
note-experimental-size = tamanhos acima de 2560x1440 são experimentais neste modelo
size-auto-label = automático (o modelo decide)
size-experimental-label = { $size } (experimental)
size-custom-label = { $size } (personalizado)

## A server's rules (bot/policy.py, bot/blocklist.py)

prompt-blocked = Seu prompt contém uma palavra ou expressão que os admins deste servidor bloquearam, então não o enviei. Reescreva-o, por favor; nada foi cobrado de você.
no-model-allowed = Os admins deste servidor não permitem nenhum modelo para { $kind ->
        [edit] edição de imagens
       *[generate] geração de imagens
    }, então ela está desativada aqui.
model-not-allowed = `{ $model }` não é permitido neste servidor; escolha um destes: { $models }.
model-default-label = { $model } (padrão aqui)
term-empty = O termo está vazio: digite a palavra ou expressão a bloquear.
term-too-long = Esse termo tem { $length } caracteres; um termo bloqueado pode ter no máximo { $max } (bloqueie palavras soltas ou expressões curtas).
term-no-letters = Esse termo não tem letras nem dígitos, então nunca corresponderia a um prompt.
terms-full = Este servidor já bloqueia { $count } termos, o máximo que eu guardo ({ $limit }); remova alguns primeiro com `/bloqueios remover`.

## The audit log, in the server's language (bot/audit.py)

audit-title = { $outcome ->
        [delivered] Entregue
        [failed] Falhou
        [refused] Recusado
        [cancelled] Cancelado
       *[interrupted] Interrompido por uma reinicialização
    }: /{ $command }
audit-member = Membro
audit-channel = Canal
audit-images = Imagens
audit-images-value = { $delivered } de { $requested }
audit-why = Motivo
audit-note = Observação
audit-result = Resultado
audit-open-result = [Abrir o resultado]({ $link })
audit-blocked-term = termo bloqueado
audit-model-not-allowed = modelo não permitido
audit-cancelled-by = cancelado por <@{ $by }>
audit-interrupted = interrompido por uma reinicialização

## Progress, results and failures of a job (bot/render.py, bot/jobs/)

summary-images = { $n } imagens
progress-queued = Aguardando na fila: posição { $position }
progress-elapsed = { $seconds } s até agora
seconds-short = { $seconds } s
phase-queued = Na fila
phase-generating = Gerando…
phase-generating-preview = Gerando… prévia { $index } de { $count }
phase-sending-edit = Enviando sua imagem para o editor…
phase-editing-queued = Editando… na fila do provedor
phase-editing = Editando… em andamento
field-request = Pedido
field-model = Modelo
field-size = Tamanho
field-quality = Qualidade
field-time = Tempo
field-cost = Custo
field-requested-by = Pedido por
field-your-quota = Sua cota
field-prompt = Prompt
failure-title = Sem imagem desta vez
quota-left-unlimited = ilimitada
quota-left = restam hoje { $left } de { $limit } imagens
button-reroll = Gerar de novo
button-edit = Editar
button-delete = Excluir
button-cancel = Cancelar
result-ready = <@{ $user }>, sua imagem está pronta.
cancelled-notice = Cancelado; nada foi cobrado de você.
cancelled-by-admin-notice = Cancelado por <@{ $by }> (admin do servidor); nada foi cobrado de você.
interrupted-notice = O bot reiniciou enquanto esta imagem era criada, e o pedido pode ou não ter chegado ao serviço de imagens, então não o enviei de novo. Nada foi cobrado de você; execute o comando de novo, se quiser.
request-lost-notice = Seu pedido de <t:{ $stamp }:f> se perdeu quando o bot reiniciou, e nada foi cobrado de você; execute o comando de novo, se quiser.
channel-missing-permissions = Não consigo postar imagens neste canal: preciso { $count ->
        [one] da permissão
       *[other] das permissões
    } { $permissions } aqui. Peça a um admin do servidor ou tente outro canal.
post-forbidden = Não consigo postar neste canal: preciso das permissões "Ver canal", "Enviar mensagens", "Anexar arquivos" e "Inserir links" aqui. Nada foi cobrado de você.
perm-view-channel = "Ver canal"
perm-send-messages = "Enviar mensagens"
perm-send-messages-in-threads = "Enviar mensagens em tópicos"
perm-attach-files = "Anexar arquivos"
perm-embed-links = "Inserir links"
perm-read-message-history = "Ler histórico de mensagens"

## Buttons and forms (cogs/results.py, cogs/edit.py)

form-prompt-label = O que deve mudar?
form-edit-result-title = Editar esta imagem
form-edit-result-placeholder = deixe de noite, adicione um guarda-chuva vermelho…
form-edit-menu-title = Editar imagem
form-edit-menu-placeholder = deixe o céu roxo, adicione um farol…
button-job-unknown = Não reconheço mais a tarefa dessa imagem, então não posso fazer isso.
delete-not-allowed = Só o membro que pediu esta imagem, ou um admin do servidor, pode excluí-la.
cancel-not-allowed = Só o membro que pediu esta imagem, ou um admin do servidor, pode cancelá-la.
cancel-too-late = Essa tarefa já terminou (ou está sendo postada), então não pode ser cancelada.
edit-no-images-left = Essa mensagem não tem mais imagens para editar.
menu-no-images = Essa mensagem não tem imagens para editar; escolha uma mensagem com uma imagem anexada.
menu-message-gone = Não consigo mais ler essa mensagem (talvez tenha sido excluída); abra o menu nela de novo.

## /quota (cogs/quota.py)

unlimited = ilimitado
nothing-yet = nada ainda
nobody-yet = ninguém ainda
and-more = …e mais { $count }
amount-of = { $part } de { $whole }
images-count = { $count ->
        [one] { $count } imagem
       *[other] { $count } imagens
    }
limit-invalid = `{ $value }` não é um limite: use um número inteiro de imagens por dia, 0 para bloquear ou `unlimited`.
budget-invalid = `{ $value }` não é um orçamento: use um valor em dólares americanos de 0 (bloqueia) a { $max }.
quota-spent-today = Gasto hoje
quota-budget-left-today = Orçamento restante hoje
quota-server-budget-left = Orçamento restante do servidor
quota-server-budget-today = hoje { $left }
quota-server-budget-month = este mês { $left } (redefine <t:{ $stamp }:R>)
limit-source-role = pelo cargo <@&{ $role }>
limit-source-member = definido para você por um admin
limit-source-server = padrão deste servidor
limit-source-bot = padrão do bot
quota-title = Cota de imagens de { $name }
quota-used-today = Usadas hoje
quota-left-today = Restantes hoje
quota-daily-limit = Limite diário
quota-limit-with-source = { $limit } ({ $source })
quota-server-left-today = Restante do servidor hoje
quota-jobs-running = Tarefas em andamento
quota-resets = Redefine
quota-show-not-allowed = Só admins do servidor (Gerenciar servidor) podem ver a cota de outro membro.
quota-set-not-allowed = Só admins do servidor (Gerenciar servidor) podem mudar limites.
quota-stats-not-allowed = Só admins do servidor (Gerenciar servidor) podem ver as estatísticas do servidor.
quota-set-nothing = Informe um `limite` (imagens por dia), um `orçamento_usd` (dólares) ou os dois.
quota-period-without-budget = `período` vai junto com `orçamento_usd`; informe o orçamento também.
quota-month-server-only = Um orçamento mensal é só para o total do servidor: adicione `total_servidor:True` ou use `período:dia`.
quota-clear-month-server-only = Só o total do servidor tem orçamento mensal: adicione `total_servidor:True`.
quota-clear-period-images = `período` é para orçamentos; deixe-o de fora para limpar o limite de imagens.
quota-one-target = Escolha só um entre `membro`, `cargo` ou `total_servidor`, não vários.
quota-done-limit = { $limit } por dia
quota-done-budget = um orçamento de { $budget } por { $period ->
        [month] mês
       *[day] dia
    }
quota-set-done = Pronto: agora { $target } tem { $what }.
quota-cleared-limit = o limite de imagens
quota-cleared-budget = { $period ->
        [day] o orçamento diário
        [month] o orçamento mensal
       *[any] o orçamento
    }
quota-cleared = Limpo: { $what } de { $target }.
quota-nothing-to-clear = { $asked ->
        [images] Não havia nenhum limite definido para { $target }.
        [budget] Não havia nenhum orçamento definido para { $target }.
       *[all] Não havia nenhum limite nem orçamento definido para { $target }.
    }
target-member = { $member }
target-role = o cargo { $role }
target-server-total = o total deste servidor
target-member-default = o padrão de cada membro neste servidor
stats-title = Uso de imagens neste servidor
stats-today = Hoje
stats-today-value = { $images ->
        [one] { $images } imagem
       *[other] { $images } imagens
    }, { $jobs ->
        [one] { $jobs } tarefa
       *[other] { $jobs } tarefas
    }, { $tokens } tokens
stats-last-7-days = Últimos 7 dias
stats-period-value = { $images ->
        [one] { $images } imagem
       *[other] { $images } imagens
    }, { $tokens } tokens
stats-day-line = `{ $day }` { $images ->
        [one] { $images } imagem
       *[other] { $images } imagens
    }, { $tokens } tokens
stats-per-day = Por dia
stats-member-line = <@{ $user }>: { $images ->
        [one] { $images } imagem
       *[other] { $images } imagens
    }, { $tokens } tokens
stats-top-members = Membros mais ativos (7 dias)
stats-server-total = total do servidor
stats-member-default = padrão dos membros
stats-limit-line = { $who }: { $limit }
stats-budget-line = { $who }: orçamento de { $budget } por { $period ->
        [month] mês
       *[day] dia
    }
stats-no-limits = nenhum (valem os padrões do bot)
stats-limits-set = Limites definidos aqui

## /jobs (cogs/jobs.py)

job-state = { $state ->
        [queued] na fila
        [running] em andamento
        [submitted] editando
        [delivering] postando
        [done] concluída
        [failed] falhou
        [interrupted] interrompida
       *[cancelled] cancelada
    }
jobs-cancel-button = Cancelar { $job }
jobs-unknown = Não reconheço mais essa tarefa.
jobs-cancelled = Tarefa `{ $job }` cancelada; nada foi cobrado.
jobs-cancelled-for = Tarefa `{ $job }` cancelada; nada foi cobrado. <@{ $user }> foi avisado de quem a cancelou.
jobs-server-only = `servidor:True` só funciona em um servidor.
jobs-server-not-allowed = Só admins do servidor (Gerenciar servidor) podem ver as tarefas do servidor inteiro.
jobs-server-title = Tarefas na fila e em andamento neste servidor: { $count }
jobs-server-empty = Nada na fila nem em andamento.
jobs-member-title = Suas tarefas de imagem aqui: { $count } em andamento
jobs-member-empty = Você ainda não tem tarefas aqui: experimente `/gerar`.

## /settings (cogs/settings.py)

settings-not-allowed = Só admins do servidor (Gerenciar servidor) podem ver ou mudar as configurações deste servidor.
settings-allowed-empty = `permitidos` está vazio: liste modelos separados por vírgulas ou escreva `all`.
settings-unknown-models = Não conheço { $count ->
        [one] o modelo
       *[other] os modelos
    } { $models }; nada foi alterado. Modelos conhecidos: { $known }.
settings-source-environment = *padrão do ambiente `{ $variable }`*
settings-source-server = *configuração do servidor*
settings-all-models = todos os modelos
settings-every-model = todos os modelos
settings-default-model = Modelo padrão do /gerar
settings-default-edit-model = Modelo padrão do /editar
settings-default-edit-model-value = `{ $model }` *padrão do ambiente `DEFAULT_EDIT_MODEL`*{ $restricted ->
        [true] {" "}(primeiro modelo de edição permitido)
       *[false] {""}
    }
settings-allowed-models = Modelos permitidos
settings-allowed-models-value = { $models } { $everything ->
        [true] *padrão do ambiente (todos os modelos)*
       *[false] *configuração do servidor*
    }
settings-moderation = Moderação
settings-moderation-low-note = ; `low` só é enviado em canais com restrição de idade, para { $models }
settings-previews = Prévias ao vivo
settings-previews-off = desativadas
settings-previews-on = ativadas, { $count } por imagem (cada uma custa 100 tokens de saída)
settings-audit-log = Registro de auditoria
settings-audit-log-off = desativado *(defina com `/configurações registro`)*
settings-audit-log-on = <#{ $channel }> *configuração do servidor*
    { $health }
settings-log-works = a postagem funciona
settings-log-failed = Não consegui postar lá: { $error }
settings-blocked-terms = Termos bloqueados
settings-blocked-terms-value = { $count } (veja `/bloqueios lista`)
settings-title = Configurações do bot de imagens neste servidor
settings-daily-limits = Limites diários
settings-daily-limits-value = { $member } imagens por membro, { $server } por servidor, { $jobs } tarefas simultâneas por membro *padrões do ambiente; `/cota` para exceções*
settings-footer = Quem pode usar cada comando: Configurações do servidor › Integrações.
settings-models-nothing = Informe `padrão`, `permitidos` ou os dois; nada foi alterado.
settings-default-not-generate = `{ $model }` não é um modelo do /gerar; escolha um destes: { $models }. Nada foi alterado.
settings-default-not-allowed = O modelo padrão `{ $model }` deixaria de ser permitido; adicione-o a `permitidos` ou informe um `padrão` da lista. Nada foi alterado.
settings-models-done = Pronto. Modelo padrão: `{ $model }`. Permitidos: { $allowed }.
settings-models-done-no-edit = Pronto. Modelo padrão: `{ $model }`. Permitidos: { $allowed }. Nenhum modelo de edição é permitido, então o /editar e os botões Editar estão desativados aqui.
settings-log-both = Informe `canal` ou `desativar`, não os dois; nada foi alterado.
settings-log-off-done = O registro de auditoria está desativado.
settings-log-neither = Informe um `canal` para o registro de auditoria, ou `desativar:True`; nada foi alterado.
settings-log-done = Pronto: cada tarefa de imagem concluída será registrada em <#{ $channel }>.
settings-log-unseen = Não consigo ver <#{ $channel }>, então não posso registrar lá; nada foi alterado.
settings-log-no-view = Não consigo ver <#{ $channel }> (me falta "Ver canal" lá); nada foi alterado.
settings-log-missing-permissions = Não consigo registrar em <#{ $channel }>: preciso { $count ->
        [one] da permissão
       *[other] das permissões
    } { $permissions } lá. Nada foi alterado.
settings-log-first-line = As tarefas de imagem deste servidor serão registradas aqui (definido por <@{ $user }>).
settings-log-post-failed = Não consegui postar em <#{ $channel }> ({ $error }); nada foi alterado.
settings-moderation-low-done = Pronto: a moderação é `low` nos canais com restrição de idade (para { $models }) e `auto` em todos os outros.
settings-moderation-auto-done = Pronto: a moderação é `auto` em todo lugar.
settings-previews-on-done = Pronto: as prévias ao vivo estão ativadas ({ $count } por imagem, cada uma custa 100 tokens de saída).
settings-previews-off-done = Pronto: as prévias ao vivo estão desativadas neste servidor.

## /blocklist (cogs/blocklist.py)

blocklist-added = Bloqueado: prompts com `{ $term }` (também espaçado, com pontuação ou em outras larguras de caractere) são recusados antes de qualquer gasto. { $count } de no máximo { $max } termos aqui.
blocklist-already = `{ $term }` já estava bloqueado aqui (ou um termo com as mesmas letras). Nada mudou.
blocklist-removed = `{ $term }` não está mais bloqueado.
blocklist-not-blocked = `{ $term }` não estava bloqueado aqui. Nada mudou.
blocklist-title = Termos bloqueados neste servidor: { $count } de no máximo { $max }
blocklist-empty = Nenhum ainda: adicione um com `/bloqueios adicionar`.

## /usage and its chart (cogs/usage.py, bot/charts.py)

usage-not-allowed = Só admins do servidor (Gerenciar servidor) podem ver os gastos do servidor.
usage-title-member = Gastos de { $name }
usage-title-server = Gastos em { $name }
usage-title-this-server = Gastos neste servidor
usage-summary = **{ $total }** { $days ->
        [one] no último dia
       *[other] nos últimos { $days } dias
    } (UTC), por { $images ->
        [one] { $images } imagem entregue
       *[other] { $images } imagens entregues
    } em { $jobs ->
        [one] { $jobs } tarefa
       *[other] { $jobs } tarefas
    }.
usage-today = Hoje
usage-refunded = Reembolsado
usage-refunded-value = { $jobs ->
        [one] { $jobs } tarefa
       *[other] { $jobs } tarefas
    } ({ $amount } não cobrados)
usage-per-model = Por modelo
usage-member-line = <@{ $user }>: { $amount }, { $images ->
        [one] { $images } imagem
       *[other] { $images } imagens
    }
usage-top-members = Membros que mais gastam
usage-note = Custos pelos preços do bot (PRICES_FILE ou os preços de tabela embutidos).
usage-note-estimated = Custos pelos preços do bot (PRICES_FILE ou os preços de tabela embutidos). { $estimated } disso é estimativa (edições não informam o uso de tokens).
chart-other-models = { $count ->
        [one] mais { $count } modelo
       *[other] mais { $count } modelos
    }
chart-subtitle = { $total } em { $days ->
        [one] { $days } dia
       *[other] { $days } dias
    } (UTC), { $images ->
        [one] { $images } imagem entregue
       *[other] { $images } imagens entregues
    }
chart-nothing-spent = Nada foi gasto neste período

## The slash commands

cmd-generate = gerar
cmd-generate-desc = Crie uma imagem a partir de uma descrição.
opt-generate-prompt = prompt
opt-generate-prompt-desc = O que a imagem deve mostrar, com quantos detalhes você quiser.
opt-generate-model = modelo
opt-generate-model-desc = Qual modelo desenha (o padrão do servidor, se você não escolher).
opt-generate-size = tamanho
opt-generate-size-desc = Tamanho em pixels ou proporção; as opções dependem do modelo.
opt-generate-quality = qualidade
opt-generate-quality-desc = Qualidade mais alta demora mais.
choice-quality-auto = automática
choice-quality-low = baixa
choice-quality-medium = média
choice-quality-high = alta
opt-generate-n = quantidade
opt-generate-n-desc = Quantas imagens criar (cada uma conta na sua cota diária).
opt-generate-background = fundo
opt-generate-background-desc = Fundos transparentes precisam de saída PNG ou WebP.
choice-background-auto = automático
choice-background-opaque = opaco
choice-background-transparent = transparente
opt-generate-output_format = formato
opt-generate-output_format-desc = O tipo de arquivo do resultado.
choice-format-auto = automático
choice-format-png = png
choice-format-jpeg = jpeg
choice-format-webp = webp
cmd-edit = editar
cmd-edit-desc = Mude uma imagem descrevendo o que fazer.
opt-edit-prompt = prompt
opt-edit-prompt-desc = O que mudar, por exemplo "faça nevar".
opt-edit-image = imagem
opt-edit-image-desc = A imagem a editar (PNG, JPEG ou WebP, com menos de 50 MB).
opt-edit-image2 = imagem2
opt-edit-image2-desc = Outra imagem de referência.
opt-edit-image3 = imagem3
opt-edit-image3-desc = Outra imagem de referência.
opt-edit-mask = máscara
opt-edit-mask-desc = Um PNG do tamanho da primeira imagem; seus pixels transparentes marcam onde editar.
opt-edit-model = modelo
opt-edit-model-desc = Qual modelo de edição usar.
opt-edit-size = tamanho
opt-edit-size-desc = Tamanho do resultado.
opt-edit-quality = qualidade
opt-edit-quality-desc = Qualidade mais alta demora mais.
cmd-quota = cota
cmd-quota-desc = Ver e gerenciar os limites diários de imagens
cmd-quota-show = ver
cmd-quota-show-desc = Veja quantas imagens você criou hoje, quanto gastou e quanto ainda resta.
opt-quota-show-member = membro
opt-quota-show-member-desc = (Admins) Ver o uso de outro membro em vez do seu.
cmd-quota-set = definir
cmd-quota-set-desc = (Admins) Definir um limite diário de imagens ou um orçamento para um membro, um cargo ou o servidor.
opt-quota-set-limit = limite
opt-quota-set-limit-desc = Imagens por dia: um número, 0 para bloquear ou "unlimited".
opt-quota-set-budget_usd = orçamento_usd
opt-quota-set-budget_usd-desc = Dinheiro por dia em dólares americanos (0 bloqueia), pelos preços do bot.
opt-quota-set-period = período
opt-quota-set-period-desc = Período do orçamento: dia (padrão) ou mês, só para o total do servidor.
choice-day = dia
choice-month = mês
opt-quota-set-member = membro
opt-quota-set-member-desc = Definir o limite próprio deste membro (vale mais que os limites de cargo e servidor).
opt-quota-set-role = cargo
opt-quota-set-role-desc = Definir o limite dos membros com este cargo (vale o cargo mais generoso).
opt-quota-set-server_total = total_servidor
opt-quota-set-server_total-desc = Definir o total do servidor inteiro em vez do padrão por membro.
cmd-quota-clear = limpar
cmd-quota-clear-desc = (Admins) Remover um limite ou orçamento definido, para o próximo nível voltar a valer.
opt-quota-clear-member = membro
opt-quota-clear-member-desc = Limpar o limite próprio deste membro.
opt-quota-clear-role = cargo
opt-quota-clear-role-desc = Limpar o limite deste cargo.
opt-quota-clear-server_total = total_servidor
opt-quota-clear-server_total-desc = Limpar o total do servidor em vez do padrão por membro.
opt-quota-clear-what = o_que
opt-quota-clear-what-desc = Limpar o limite de imagens, o orçamento ou os dois (padrão).
choice-all = tudo
choice-images = imagens
choice-budget = orçamento
opt-quota-clear-period = período
opt-quota-clear-period-desc = Para o total do servidor: limpar só o orçamento diário ou o mensal (padrão: os dois).
cmd-quota-stats = estatísticas
cmd-quota-stats-desc = (Admins) Imagens e tokens deste servidor hoje e nos últimos 7 dias, e os limites definidos.
cmd-usage = gastos
cmd-usage-desc = (Admins) O que este servidor gastou com imagens: gráfico por dia e modelo, totais e top membros.
opt-usage-days = dias
opt-usage-days-desc = Quantos dias mostrar, incluindo hoje (1 a 90; padrão 30).
opt-usage-member = membro
opt-usage-member-desc = Mostrar só os gastos deste membro.
cmd-settings = configurações
cmd-settings-desc = (Admins) As configurações do bot de imagens neste servidor
cmd-settings-show = ver
cmd-settings-show-desc = (Admins) Tudo o que vale neste servidor e de onde vem cada valor.
cmd-settings-models = modelos
cmd-settings-models-desc = (Admins) Escolher o modelo padrão do /gerar e quais modelos os membros podem usar.
opt-settings-models-default = padrão
opt-settings-models-default-desc = O modelo que o /gerar usa quando um membro não escolhe nenhum.
opt-settings-models-allowed = permitidos
opt-settings-models-allowed-desc = Modelos que os membros podem usar, separados por vírgulas, ou "all".
cmd-settings-log = registro
cmd-settings-log-desc = (Admins) Escolher o canal onde cada tarefa de imagem concluída é registrada, ou desligar.
opt-settings-log-channel = canal
opt-settings-log-channel-desc = Um canal de texto que o bot possa ver e onde possa postar.
opt-settings-log-off = desativar
opt-settings-log-off-desc = True para parar de registrar.
cmd-settings-moderation = moderação
cmd-settings-moderation-desc = (Admins) Nível de moderação do provedor: low só vale em canais com restrição de idade.
opt-settings-moderation-level = nível
opt-settings-moderation-level-desc = auto em todo lugar, ou low em canais com restrição de idade (NSFW) e auto nos demais.
choice-moderation-auto = auto (padrão do provedor)
choice-moderation-low = low (só em canais com restrição de idade)
cmd-settings-previews = prévias
cmd-settings-previews-desc = (Admins) Ativar ou desativar as prévias ao vivo neste servidor.
opt-settings-previews-on = ativar
opt-settings-previews-on-desc = True mostra imagens parciais enquanto o desenho é feito (cada uma custa tokens extras).
cmd-blocklist = bloqueios
cmd-blocklist-desc = (Admins) Palavras e expressões recusadas nos prompts
cmd-blocklist-add = adicionar
cmd-blocklist-add-desc = (Admins) Recusar prompts com uma palavra ou expressão, não importa como seja escrita.
opt-blocklist-add-term = termo
opt-blocklist-add-term-desc = Uma palavra ou expressão curta (só palavras inteiras: bloquear "mar" não bloqueia "amar").
cmd-blocklist-remove = remover
cmd-blocklist-remove-desc = (Admins) Permitir de novo uma palavra ou expressão bloqueada.
opt-blocklist-remove-term = termo
opt-blocklist-remove-term-desc = O termo bloqueado, como `/bloqueios lista` o mostra.
cmd-blocklist-list = lista
cmd-blocklist-list-desc = (Admins) As palavras e expressões recusadas nos prompts aqui.
cmd-jobs = tarefas
cmd-jobs-desc = Veja suas tarefas de imagem em andamento e na fila e as dez últimas concluídas, e cancele-as.
opt-jobs-server = servidor
opt-jobs-server-desc = (Admins) A fila do servidor inteiro, com um botão Cancelar em cada tarefa.
cmd-edit-image = Editar imagem
