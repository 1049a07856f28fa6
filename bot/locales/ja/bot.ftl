# 日本語。locales/en/bot.ftl からの翻訳：メッセージ ID と変数は英語版と同じです。
# です・ます調。用語は Discord の日本語表示（サーバー、チャンネル、ロール、権限名）に合わせています。
# 日本語には複数形がないため、英語の [one]/[other] の選択は使わず数だけを示します。

## Lists

list-sep = 、
list-and = { $first }と{ $last }
list-or = { $first }または{ $last }

## Errors a member reads (bot/errors.py)

quota-off = { $scope ->
        [member] このサーバーでのあなたの1日の上限
        [server] このサーバーの1日の上限
        [personal] あなた個人の1日の上限
       *[other] 1日の上限
    }により、画像の生成は停止されています（上限 0）。<t:{ $stamp }:R>（<t:{ $stamp }:t>）にリセットされます。
quota-exceeded = { $scope ->
        [member] このサーバーでのあなたの1日の上限
        [server] このサーバーの1日の上限
        [personal] あなた個人の1日の上限
       *[other] 1日の上限
    }を超えてしまいます：本日 { $limit } 枚中 { $used } 枚を使用済み（残り { $left } 枚）で、今回 { $requested } 枚をリクエストしました。<t:{ $stamp }:R>（<t:{ $stamp }:t>）にリセットされます。
too-many-jobs = すでに { $running } 件のジョブが待機中または実行中です（上限は { $limit } 件）。どれかが終わってから、もう一度お試しください。
budget-off = { $scope ->
        [member] このサーバーでのあなたの1日の予算
        [server] このサーバーの1日の予算
        [server_month] このサーバーの月間予算
        [personal] あなた個人の1日の予算
       *[other] 予算
    }により、画像の生成は停止されています（$0）。<t:{ $stamp }:R>（<t:{ $stamp }:f>）にリセットされます。
budget-exceeded-member = { $scope ->
        [personal] あなた個人の1日の予算
       *[member] このサーバーでのあなたの1日の予算
    }を超えてしまいます：本日 { $budget } のうち { $spent } を使用済みで、このリクエストは最大 { $cost } かかる可能性があります。<t:{ $stamp }:R>（<t:{ $stamp }:f>）にリセットされます。
budget-exceeded-server = { $scope ->
        [server_month] このサーバーの月間予算を超えてしまいます：今月サーバーは { $budget } のうち { $spent } を使用済み
       *[server] このサーバーの1日の予算を超えてしまいます：本日サーバーは { $budget } のうち { $spent } を使用済み
    }（あなたは本日 { $user_spent }）で、このリクエストは最大 { $cost } かかる可能性があります。<t:{ $stamp }:R>（<t:{ $stamp }:f>）にリセットされます。
price-unknown = `{ $model }` の料金がわからず、ここでは支出の予算が設定されているため、予算内に収められません。別のモデルを選ぶか、管理者にボットの PRICES_FILE への料金の追加を依頼してください。
shutting-down = アップデートのため再起動中です。1分ほどしてからもう一度お試しください。

## Errors of the image API (bot/gptproto/errors.py)

api-account-problem = ボットの画像 API アカウントに問題があるため、現在画像を作成できません。管理者には通知済みです。料金は発生していません。
api-rate-limited = 画像サービスが混み合っています。1分ほどしてからもう一度お試しください。料金は発生していません。
api-rate-limited-wait = 画像サービスが混み合っています。約 { $seconds } 秒後にもう一度お試しください。料金は発生していません。
api-content-policy = プロンプトが提供元の安全システムによってブロックされました。料金は発生していません。別の表現でお試しください。
api-bad-request = 画像サービスがリクエストを拒否しました：{ $reason } 料金は発生していません。
api-input-unavailable = 画像サービスが編集する画像をダウンロードできませんでした。Discord の添付ファイルのリンクは一定時間で期限切れになります。/編集 で画像をもう一度添付してください。料金は発生していません。
api-provider-error = 画像サービスで内部エラーが発生しました（HTTP { $status }）。1分ほどしてからもう一度お試しください。料金は発生していません。
api-timeout = 画像サービスから { $seconds } 秒以内に応答がありませんでした。しばらくしてからもう一度お試しください。料金は発生していません。
api-connection = 画像サービスに接続できませんでした。1分ほどしてからもう一度お試しください。料金は発生していません。
api-malformed = 画像サービスから、使える画像ではないものが返ってきました。料金は発生していません。
api-prediction-failed = 画像サービスはこの編集を完了できませんでした：{ $reason }。料金は発生していません。
api-prediction-failed-no-reason = 画像サービスはこの編集を完了できませんでした（理由は示されていません）。料金は発生していません。
api-prediction-timeout = 画像サービスが { $seconds } 秒以内に完了しなかったため、待つのをやめました。料金は発生していません。
api-stream-broken = 画像が完成する前に画像サービスとの接続が切れました。再度のリクエストには再び料金がかかる可能性があるため、自動では再試行していません。必要であればコマンドをもう一度実行してください。料金は発生していません。
api-not-found = 画像サービスはこのジョブをもう認識していません。料金は発生していません。

## The error path (bot/tree.py)

generic-failure = こちら側で問題が発生しました。詳細は管理者のログに記録されています。料金は発生していません。
no-permission = ここでそれを行う権限がありません。
cooldown = 少し間を空けてください：{ $seconds } 秒後にもう一度お試しください。
server-only = このコマンドはサーバー内でのみ使えます。
# A sentence that came without a message id, shown as it is.
plain-text = { $text }

## Attachments (bot/images.py)

attachment-unnamed = 添付ファイル
attachment-empty = { $name } は空です。
attachment-too-big = { $name } は { $size } です。{ $what ->
        [masks] マスク
       *[images] 画像
    }は { $limit } 未満である必要があります。
attachment-just-too-big = { $name } は { $limit } をわずかに超えています。{ $what ->
        [masks] マスク
       *[images] 画像
    }は { $limit } 未満である必要があります。
attachment-wrong-type = { $name } は画像ではありません（Discord によると `{ $mime }` です）。PNG、JPEG、WebP のいずれかの画像を添付してください。
attachment-not-image = { $name } は画像ではありません（中身が PNG、JPEG、WebP のいずれでもありません）。
attachment-unsupported-format = { $name } は PNG、JPEG、WebP の画像ではありません（{ $detail }）。受け付けるのはこの3形式のみです。
attachment-too-many-pixels = { $name } は大きすぎて安全に開けません（{ $detail }）。
attachment-damaged = { $name } は途中で切れているか、破損しています。
attachment-unreadable = `{ $name }` を読み込めませんでした。
attachment-download-failed = `{ $name }` を Discord からダウンロードできませんでした（{ $status }）。もう一度添付してください。
attachment-download-slow = `{ $name }` を時間内に Discord からダウンロードできませんでした。少し待ってからもう一度お試しください。
mask-not-image = { $name } は画像ではありません。マスクは、透明なピクセルで編集する場所を示す PNG である必要があります。
mask-not-png = { $name } は { $format } です。マスクは、透明なピクセルで編集する場所を示す PNG である必要があります。
mask-wrong-size = { $name } は { $size } ですが、画像は { $image_size } です。マスクは画像とまったく同じサイズである必要があります。
mask-no-alpha = { $name } にはアルファチャンネルがありません（{ $mode } です）。マスクは透明度を持つ PNG で、透明なピクセルで編集する場所を示す必要があります。
mask-opaque = { $name } には透明なピクセルがないため、編集する場所が示されていません。変更したい部分を透明にしてください。
note-fit-lossless = アップロード上限 { $limit } に収めるため、ロスレス WebP で再保存しました
note-fit-quality = アップロード上限 { $limit } に収めるため、{ $format }（品質 { $quality }）で再保存しました
note-fit-scaled = アップロード上限 { $limit } に収めるため、{ $size } に縮小して { $format } で保存しました

## Checking a request (bot/gptproto/registry.py)

model-unknown = `{ $model }` はここで使えるモデルではありません。次から選んでください：{ $models }。
prompt-empty = プロンプトが空です。作りたい画像を説明してください。
prompt-too-long = プロンプトが { $length } 文字あります。上限は { $limit } 文字です。
prompt-null = プロンプトに NULL 文字が含まれています。取り除いてからもう一度お試しください。
option-not-taken = { $model } は{ $option ->
        [quality] 品質
        [background] 背景
       *[output_format] 出力形式
    } `{ $value }` に対応していません。{ $allowed } から選んでください。
size-aspect-only = { $model } が受け付けるのはアスペクト比で、`{ $size }` ではありません。{ $allowed } から選んでください。
size-needs-explicit = { $model } ではサイズを明示する必要があります。{ $allowed } から選んでください。
size-invalid = `{ $size }` はサイズではありません。1024x1024 のように 幅x高さ の形で書いてください。
size-not-offered = { $model } は { $size } を作成できません。{ $allowed } から選んでください。
size-not-positive = { $model } のサイズは正の数である必要があります。{ $size } は違います。
size-not-multiple = { $model } のサイズは { $multiple } px の倍数である必要があります。{ $size } は違います。
size-edge-too-long = { $model } のサイズは長辺が最大 { $max } px です。{ $size } は { $edge } px です。
size-ratio = { $model } のサイズは最大で 3:1（または 1:3）です。{ $size } はそれより横長です。
size-too-few-pixels = { $model } のサイズには最低 { $min } ピクセル（1024x640 など）が必要です。{ $size } は { $pixels } ピクセルです。
size-too-many-pixels = { $model } のサイズは最大 { $max } ピクセル（3840x2160）です。{ $size } は { $pixels } ピクセルです。
n-one-only = { $model } は1回のリクエストで1枚の画像を作成します。`枚数` を省略するか 1 にしてください。
n-out-of-range = { $model } が1回のリクエストで作成できるのは 1～{ $max } 枚で、{ $n } 枚ではありません。
transparent-needs-png = 透明な背景には PNG か WebP での出力が必要です。JPEG は透明度を扱えません。
edit-no-image = 編集する画像を1枚以上添付してください。
edit-too-many-images = 編集に使える画像は最大 { $max } 枚で、{ $count } 枚ではありません。
note-experimental-size = このモデルでは 2560x1440 を超えるサイズは試験的です
size-auto-label = 自動（モデルが決定）
size-experimental-label = { $size }（試験的）
size-custom-label = { $size }（カスタム）

## A server's rules (bot/policy.py, bot/blocklist.py)

prompt-blocked = プロンプトに、このサーバーの管理者がブロックした語句が含まれているため、送信しませんでした。言い換えてお試しください。料金は発生していません。
no-model-allowed = このサーバーの管理者が{ $kind ->
        [edit] 画像の編集
       *[generate] 画像の生成
    }に使えるモデルを許可していないため、ここでは利用できません。
model-not-allowed = `{ $model }` はこのサーバーでは許可されていません。次から選んでください：{ $models }。
model-default-label = { $model }（このサーバーのデフォルト）
term-empty = 語句が空です。ブロックする単語やフレーズを入力してください。
term-too-long = その語句は { $length } 文字あります。ブロックする語句は最大 { $max } 文字です（単語や短いフレーズをブロックしてください）。
term-no-letters = その語句には文字も数字も含まれていないため、どのプロンプトにも一致しません。
terms-full = このサーバーはすでに { $count } 件の語句をブロックしており、保存できる上限（{ $limit } 件）に達しています。先に `/ブロックリスト 削除` でいくつか削除してください。

## The audit log, in the server's language (bot/audit.py)

audit-title = { $outcome ->
        [delivered] 完了
        [failed] 失敗
        [refused] 拒否
        [cancelled] キャンセル
       *[interrupted] 再起動により中断
    }：/{ $command }
audit-member = メンバー
audit-channel = チャンネル
audit-images = 画像
audit-images-value = { $requested } 枚中 { $delivered } 枚
audit-why = 理由
audit-note = 備考
audit-result = 結果
audit-open-result = [結果を開く]({ $link })
audit-blocked-term = ブロックされた語句
audit-model-not-allowed = 許可されていないモデル
audit-cancelled-by = <@{ $by }> がキャンセル
audit-interrupted = 再起動により中断

## Progress, results and failures of a job (bot/render.py, bot/jobs/)

summary-images = { $n } 枚
progress-queued = 順番待ち：{ $position } 番目
progress-elapsed = 経過 { $seconds } 秒
seconds-short = { $seconds } 秒
phase-queued = 順番待ち
phase-generating = 生成中…
phase-generating-preview = 生成中… プレビュー { $index }/{ $count }
phase-sending-edit = 画像をエディターに送信中…
phase-editing-queued = 編集中… 提供元で順番待ち
phase-editing = 編集中… 処理中
field-request = リクエスト
field-model = モデル
field-size = サイズ
field-quality = 品質
field-time = 所要時間
field-cost = 費用
field-requested-by = リクエストした人
field-your-quota = あなたの枠
field-prompt = プロンプト
failure-title = 今回は画像を作成できませんでした
quota-left-unlimited = 無制限
quota-left = 本日の残り { $left } / { $limit } 枚
button-reroll = もう一度生成
button-edit = 編集
button-delete = 削除
button-cancel = キャンセル
result-ready = <@{ $user }> さん、画像ができました。
cancelled-notice = キャンセルしました。料金は発生していません。
cancelled-by-admin-notice = <@{ $by }>（サーバー管理者）がキャンセルしました。料金は発生していません。
interrupted-notice = この画像の作成中にボットが再起動しました。リクエストが画像サービスに届いたかどうかわからないため、再送信はしていません。料金は発生していません。必要であればコマンドをもう一度実行してください。
request-lost-notice = <t:{ $stamp }:f> のリクエストはボットの再起動で失われましたが、料金は発生していないので、必要であればコマンドをもう一度実行してください。
channel-missing-permissions = このチャンネルには画像を投稿できません：ここで { $permissions } の権限が必要です（不足している権限：{ $count } 件）。サーバーの管理者に相談するか、別のチャンネルでお試しください。
post-forbidden = このチャンネルには投稿できません：ここで「チャンネルを見る」「メッセージを送信」「ファイルを添付」「埋め込みリンク」の権限が必要です。料金は発生していません。
perm-view-channel = 「チャンネルを見る」
perm-send-messages = 「メッセージを送信」
perm-send-messages-in-threads = 「スレッドでメッセージを送信」
perm-attach-files = 「ファイルを添付」
perm-embed-links = 「埋め込みリンク」
perm-read-message-history = 「メッセージ履歴を読む」

## Buttons and forms (cogs/results.py, cogs/edit.py)

form-prompt-label = どのように変更しますか？
form-edit-result-title = この画像を編集
form-edit-result-placeholder = 夜の場面にして、赤い傘を加えて…
form-edit-menu-title = 画像を編集
form-edit-menu-placeholder = 空を紫にして、灯台を加えて…
button-job-unknown = この画像のジョブがもう見つからないため、その操作はできません。
delete-not-allowed = この画像を削除できるのは、リクエストしたメンバーかサーバーの管理者だけです。
cancel-not-allowed = この画像をキャンセルできるのは、リクエストしたメンバーかサーバーの管理者だけです。
cancel-too-late = そのジョブはすでに終了している（または投稿中の）ため、キャンセルできません。
edit-no-images-left = そのメッセージには編集できる画像が残っていません。
menu-no-images = そのメッセージには編集できる画像がありません。画像が添付されたメッセージを選んでください。
menu-message-gone = そのメッセージを読み込めなくなりました（削除された可能性があります）。もう一度メッセージからメニューを開いてください。

## /quota (cogs/quota.py)

unlimited = 無制限
nothing-yet = まだありません
nobody-yet = まだいません
and-more = …ほか { $count } 件
amount-of = { $part } / { $whole }
images-count = { $count } 枚
limit-invalid = `{ $value }` は上限として使えません。1日あたりの画像の枚数（整数）、ブロックするなら 0、または `unlimited` を指定してください。
budget-invalid = `{ $value }` は予算として使えません。0（ブロック）から { $max } までの米ドルの金額を指定してください。
quota-spent-today = 本日の支出
quota-budget-left-today = 本日の残り予算
quota-server-budget-left = サーバーの残り予算
quota-server-budget-today = 本日 { $left }
quota-server-budget-month = 今月 { $left }（<t:{ $stamp }:R>にリセット）
limit-source-role = <@&{ $role }> ロールによる
limit-source-member = 管理者があなたに設定
limit-source-server = このサーバーのデフォルト
limit-source-bot = ボットのデフォルト
quota-title = { $name } さんの画像の利用枠
quota-used-today = 本日の使用数
quota-left-today = 本日の残り
quota-daily-limit = 1日の上限
quota-limit-with-source = { $limit }（{ $source }）
quota-server-left-today = サーバーの本日の残り
quota-jobs-running = 実行中のジョブ
quota-resets = リセット
quota-show-not-allowed = 他のメンバーの利用枠を見られるのは、サーバーの管理者（サーバー管理）だけです。
quota-set-not-allowed = 上限を変更できるのは、サーバーの管理者（サーバー管理）だけです。
quota-stats-not-allowed = サーバーの統計を見られるのは、サーバーの管理者（サーバー管理）だけです。
quota-set-nothing = `上限`（1日あたりの枚数）か `予算_usd`（ドル）、またはその両方を指定してください。
quota-period-without-budget = `期間` は `予算_usd` と一緒に使います。予算も指定してください。
quota-month-server-only = 月間予算はサーバー合計にのみ設定できます。`サーバー合計:True` を追加するか、`期間:日` を使ってください。
quota-clear-month-server-only = 月間予算があるのはサーバー合計だけです。`サーバー合計:True` を追加してください。
quota-clear-period-images = `期間` は予算用です。画像の上限を解除するときは省略してください。
quota-one-target = `メンバー`、`ロール`、`サーバー合計` のうち、どれか1つだけを選んでください。
quota-done-limit = 1日 { $limit }
quota-done-budget = { $period ->
        [month] 1か月
       *[day] 1日
    } { $budget } の予算
quota-set-done = 完了：{ $target }は今後 { $what } です。
quota-cleared-limit = 画像の上限
quota-cleared-budget = { $period ->
        [day] 1日の予算
        [month] 月間予算
       *[any] 予算
    }
quota-cleared = { $target }の{ $what }を解除しました。
quota-nothing-to-clear = { $target }には{ $asked ->
        [images] 上限
        [budget] 予算
       *[all] 上限も予算も
    }設定されていませんでした。
target-member = { $member } さん
target-role = { $role } ロール
target-server-total = このサーバーの合計
target-member-default = このサーバーの全メンバーのデフォルト
stats-title = このサーバーの画像の利用状況
stats-today = 本日
stats-today-value = 画像 { $images } 枚、ジョブ { $jobs } 件、{ $tokens } トークン
stats-last-7-days = 過去7日間
stats-period-value = 画像 { $images } 枚、{ $tokens } トークン
stats-day-line = `{ $day }` 画像 { $images } 枚、{ $tokens } トークン
stats-per-day = 日別
stats-member-line = <@{ $user }>：画像 { $images } 枚、{ $tokens } トークン
stats-top-members = 上位メンバー（7日間）
stats-server-total = サーバー合計
stats-member-default = メンバーのデフォルト
stats-limit-line = { $who }：{ $limit }
stats-budget-line = { $who }：予算 { $budget }/{ $period ->
        [month] 月
       *[day] 日
    }
stats-no-limits = なし（ボットのデフォルトが適用されます）
stats-limits-set = このサーバーで設定された上限

## /jobs (cogs/jobs.py)

job-state = { $state ->
        [queued] 待機中
        [running] 実行中
        [submitted] 編集中
        [delivering] 投稿中
        [done] 完了
        [failed] 失敗
        [interrupted] 中断
       *[cancelled] キャンセル済み
    }
jobs-cancel-button = { $job } をキャンセル
jobs-unknown = そのジョブはもう見つかりません。
jobs-cancelled = ジョブ `{ $job }` をキャンセルしました。料金は発生していません。
jobs-cancelled-for = ジョブ `{ $job }` をキャンセルしました。料金は発生していません。<@{ $user }> さんには、誰がキャンセルしたかを伝えました。
jobs-server-only = `サーバー:True` はサーバー内でのみ使えます。
jobs-server-not-allowed = サーバー全体のジョブを見られるのは、サーバーの管理者（サーバー管理）だけです。
jobs-server-title = このサーバーの待機中・実行中のジョブ：{ $count } 件
jobs-server-empty = 待機中・実行中のジョブはありません。
jobs-member-title = ここでのあなたの画像ジョブ：進行中 { $count } 件
jobs-member-empty = ここではまだジョブがありません。`/生成` を試してみてください。

## /settings (cogs/settings.py)

settings-not-allowed = このサーバーの設定を確認・変更できるのは、サーバーの管理者（サーバー管理）だけです。
settings-allowed-empty = `許可` が空です。モデルをカンマ区切りで並べるか、`all` と書いてください。
settings-unknown-models = モデル { $models } は不明です（{ $count } 件）。何も変更していません。利用できるモデル：{ $known }。
settings-source-environment = *環境のデフォルト `{ $variable }`*
settings-source-server = *サーバーの設定*
settings-all-models = すべてのモデル
settings-every-model = すべてのモデル
settings-default-model = /生成 のデフォルトモデル
settings-default-edit-model = /編集 のデフォルトモデル
settings-default-edit-model-value = `{ $model }` *環境のデフォルト `DEFAULT_EDIT_MODEL`*{ $restricted ->
        [true] （許可された最初の編集モデル）
       *[false] {""}
    }
settings-allowed-models = 許可されたモデル
settings-allowed-models-value = { $models } { $everything ->
        [true] *環境のデフォルト（すべてのモデル）*
       *[false] *サーバーの設定*
    }
settings-moderation = モデレーション
settings-moderation-low-note = 。`low` は年齢制限チャンネルでのみ、{ $models } に送られます
settings-previews = ライブプレビュー
settings-previews-off = オフ
settings-previews-on = オン、画像1枚につき { $count } 回（1回ごとに出力トークン 100 がかかります）
settings-audit-log = 監査ログ
settings-audit-log-off = オフ *（`/ボット設定 ログ` で設定できます）*
settings-audit-log-on = <#{ $channel }> *サーバーの設定*
    { $health }
settings-log-works = 投稿できています
settings-log-failed = そこに投稿できませんでした：{ $error }
settings-blocked-terms = ブロックされた語句
settings-blocked-terms-value = { $count } 件（`/ブロックリスト 一覧` を参照）
settings-title = このサーバーでの画像ボットの設定
settings-daily-limits = 1日の上限
settings-daily-limits-value = メンバーごとに { $member } 枚、サーバーで { $server } 枚、メンバーごとの同時ジョブ { $jobs } 件 *環境のデフォルト。個別の設定は `/利用枠` で*
settings-footer = どのコマンドを誰が使えるか：サーバー設定 › 連携サービス。
settings-models-nothing = `デフォルト` か `許可`、またはその両方を指定してください。何も変更していません。
settings-default-not-generate = `{ $model }` は /生成 のモデルではありません。次から選んでください：{ $models }。何も変更していません。
settings-default-not-allowed = デフォルトモデル `{ $model }` が許可されなくなってしまいます。`許可` に加えるか、一覧から `デフォルト` を指定してください。何も変更していません。
settings-models-done = 完了。デフォルトモデル：`{ $model }`。許可：{ $allowed }。
settings-models-done-no-edit = 完了。デフォルトモデル：`{ $model }`。許可：{ $allowed }。編集モデルが1つも許可されていないため、ここでは /編集 と編集ボタンは使えません。
settings-log-both = `チャンネル` か `オフ` のどちらか一方だけを指定してください。何も変更していません。
settings-log-off-done = 監査ログをオフにしました。
settings-log-neither = 監査ログ用の `チャンネル` を指定するか、`オフ:True` にしてください。何も変更していません。
settings-log-done = 完了：完了したすべての画像ジョブを <#{ $channel }> に記録します。
settings-log-unseen = <#{ $channel }> が見えないため、そこには記録できません。何も変更していません。
settings-log-no-view = <#{ $channel }> が見えません（そこで「チャンネルを見る」権限がありません）。何も変更していません。
settings-log-missing-permissions = <#{ $channel }> には記録できません：そこで { $permissions } の権限が必要です（不足している権限：{ $count } 件）。何も変更していません。
settings-log-first-line = このサーバーの画像ジョブをここに記録します（<@{ $user }> が設定）。
settings-log-post-failed = <#{ $channel }> に投稿できませんでした（{ $error }）。何も変更していません。
settings-moderation-low-done = 完了：モデレーションは年齢制限チャンネルでは `low`（{ $models } が対象）、それ以外では `auto` です。
settings-moderation-auto-done = 完了：モデレーションはすべての場所で `auto` です。
settings-previews-on-done = 完了：ライブプレビューをオンにしました（画像1枚につき { $count } 回、1回ごとに出力トークン 100 がかかります）。
settings-previews-off-done = 完了：このサーバーのライブプレビューをオフにしました。

## /blocklist (cogs/blocklist.py)

blocklist-added = ブロックしました：`{ $term }` を含むプロンプト（間隔を空けたり、記号を挟んだり、全角・半角を変えたものも含む）は、費用が発生する前に拒否されます。このサーバーの語句：{ $max } 件中 { $count } 件。
blocklist-already = `{ $term }` はすでにブロックされています（または同じ文字の語句があります）。何も変更していません。
blocklist-removed = `{ $term }` のブロックを解除しました。
blocklist-not-blocked = `{ $term }` はブロックされていませんでした。何も変更していません。
blocklist-title = このサーバーのブロックされた語句：{ $max } 件中 { $count } 件
blocklist-empty = まだありません。`/ブロックリスト 追加` で追加できます。

## /usage and its chart (cogs/usage.py, bot/charts.py)

usage-not-allowed = サーバーの支出を見られるのは、サーバーの管理者（サーバー管理）だけです。
usage-title-member = { $name } さんの支出
usage-title-server = { $name } の支出
usage-title-this-server = このサーバーの支出
usage-summary = 過去 { $days } 日間（UTC）で **{ $total }**、ジョブ { $jobs } 件で画像 { $images } 枚を納品しました。
usage-today = 本日
usage-refunded = 返金
usage-refunded-value = ジョブ { $jobs } 件（{ $amount } は請求されていません）
usage-per-model = モデル別
usage-member-line = <@{ $user }>：{ $amount }、画像 { $images } 枚
usage-top-members = 支出の多いメンバー
usage-note = 費用はボットの料金（PRICES_FILE または組み込みの定価）で計算しています。
usage-note-estimated = 費用はボットの料金（PRICES_FILE または組み込みの定価）で計算しています。うち { $estimated } は推定です（編集ではトークン使用量が報告されません）。
chart-other-models = その他 { $count } モデル
chart-subtitle = { $days } 日間（UTC）で { $total }、画像 { $images } 枚を納品
chart-nothing-spent = この期間の支出はありません

## The slash commands

cmd-generate = 生成
cmd-generate-desc = 説明文から画像を作成します。
opt-generate-prompt = プロンプト
opt-generate-prompt-desc = 画像に描きたい内容。詳しく書くほど伝わります。
opt-generate-model = モデル
opt-generate-model-desc = 描画に使うモデル（省略するとサーバーのデフォルト）。
opt-generate-size = サイズ
opt-generate-size-desc = ピクセルサイズまたはアスペクト比。選択肢はモデルによって異なります。
opt-generate-quality = 品質
opt-generate-quality-desc = 品質が高いほど時間がかかります。
choice-quality-auto = 自動
choice-quality-low = 低
choice-quality-medium = 中
choice-quality-high = 高
opt-generate-n = 枚数
opt-generate-n-desc = 作成する画像の枚数（1枚ごとに1日の利用枠を消費します）。
opt-generate-background = 背景
opt-generate-background-desc = 透明な背景には PNG か WebP での出力が必要です。
choice-background-auto = 自動
choice-background-opaque = 不透明
choice-background-transparent = 透明
opt-generate-output_format = 出力形式
opt-generate-output_format-desc = 結果のファイル形式。
choice-format-auto = 自動
choice-format-png = png
choice-format-jpeg = jpeg
choice-format-webp = webp
cmd-edit = 編集
cmd-edit-desc = どう変えたいかを説明して、画像を編集します。
opt-edit-prompt = プロンプト
opt-edit-prompt-desc = 変更したい内容（例：「雪を降らせて」）。
opt-edit-image = 画像
opt-edit-image-desc = 編集する画像（PNG、JPEG、WebP、50 MB 未満）。
opt-edit-image2 = 画像2
opt-edit-image2-desc = 参考にする画像（追加）。
opt-edit-image3 = 画像3
opt-edit-image3-desc = 参考にする画像（追加）。
opt-edit-mask = マスク
opt-edit-mask-desc = 1枚目の画像と同じサイズの PNG。透明なピクセルが編集する場所を示します。
opt-edit-model = モデル
opt-edit-model-desc = 使用する編集モデル。
opt-edit-size = サイズ
opt-edit-size-desc = 結果のサイズ。
opt-edit-quality = 品質
opt-edit-quality-desc = 品質が高いほど時間がかかります。
cmd-quota = 利用枠
cmd-quota-desc = 1日の画像の上限を確認・管理します
cmd-quota-show = 表示
cmd-quota-show-desc = 今日作った画像の枚数、支出、残りを確認します。
opt-quota-show-member = メンバー
opt-quota-show-member-desc = （管理者）自分の代わりに他のメンバーの利用状況を表示します。
cmd-quota-set = 設定
cmd-quota-set-desc = （管理者）メンバー、ロール、サーバーに1日の画像の上限や支出の予算を設定します。
opt-quota-set-limit = 上限
opt-quota-set-limit-desc = 1日あたりの画像の枚数：数値、ブロックなら 0、または「unlimited」。
opt-quota-set-budget_usd = 予算_usd
opt-quota-set-budget_usd-desc = 1日あたりの金額（米ドル、0 でブロック）。ボットの料金で計算します。
opt-quota-set-period = 期間
opt-quota-set-period-desc = 予算の期間：日（デフォルト）、またはサーバー合計のみ月。
choice-day = 日
choice-month = 月
opt-quota-set-member = メンバー
opt-quota-set-member-desc = このメンバー個人の上限を設定します（ロールやサーバーの上限より優先）。
opt-quota-set-role = ロール
opt-quota-set-role-desc = このロールを持つメンバーの上限を設定します（最も多いロールの上限が適用）。
opt-quota-set-server_total = サーバー合計
opt-quota-set-server_total-desc = メンバーごとのデフォルトではなく、サーバー全体の合計を設定します。
cmd-quota-clear = 解除
cmd-quota-clear-desc = （管理者）設定した上限や予算を取り除き、次の段階の設定を再び適用します。
opt-quota-clear-member = メンバー
opt-quota-clear-member-desc = このメンバー個人の上限を解除します。
opt-quota-clear-role = ロール
opt-quota-clear-role-desc = このロールの上限を解除します。
opt-quota-clear-server_total = サーバー合計
opt-quota-clear-server_total-desc = メンバーごとのデフォルトではなく、サーバーの合計を解除します。
opt-quota-clear-what = 対象
opt-quota-clear-what-desc = 画像の上限、予算、またはその両方（デフォルト）を解除します。
choice-all = すべて
choice-images = 画像
choice-budget = 予算
opt-quota-clear-period = 期間
opt-quota-clear-period-desc = サーバー合計の場合：1日か月間の予算のどちらかだけを解除します（デフォルトは両方）。
cmd-quota-stats = 統計
cmd-quota-stats-desc = （管理者）このサーバーの今日と過去7日間の画像とトークン、設定された上限。
cmd-usage = 支出
cmd-usage-desc = （管理者）このサーバーの画像への支出：日別・モデル別のグラフ、合計、上位メンバー。
opt-usage-days = 日数
opt-usage-days-desc = 何日前まで表示するか（今日を含む、1～90、デフォルト 30）。
opt-usage-member = メンバー
opt-usage-member-desc = このメンバーの支出だけを表示します。
cmd-settings = ボット設定
cmd-settings-desc = （管理者）このサーバーでの画像ボットの設定
cmd-settings-show = 表示
cmd-settings-show-desc = （管理者）このサーバーで有効なすべての設定と、それぞれの値の出どころ。
cmd-settings-models = モデル
cmd-settings-models-desc = （管理者）/生成 のデフォルトモデルと、メンバーが使えるモデルを選びます。
opt-settings-models-default = デフォルト
opt-settings-models-default-desc = メンバーがモデルを選ばなかったときに /生成 が使うモデル。
opt-settings-models-allowed = 許可
opt-settings-models-allowed-desc = メンバーが使えるモデル（カンマ区切り）、または「all」。
cmd-settings-log = ログ
cmd-settings-log-desc = （管理者）完了した画像ジョブを記録するチャンネルを選ぶか、ログをオフにします。
opt-settings-log-channel = チャンネル
opt-settings-log-channel-desc = ボットが閲覧・投稿できるテキストチャンネル。
opt-settings-log-off = オフ
opt-settings-log-off-desc = True にすると記録を停止します。
cmd-settings-moderation = モデレーション
cmd-settings-moderation-desc = （管理者）提供元のモデレーションレベル：low は年齢制限チャンネルでのみ適用されます。
opt-settings-moderation-level = レベル
opt-settings-moderation-level-desc = どこでも auto、または年齢制限（NSFW）チャンネルでは low、それ以外では auto。
choice-moderation-auto = auto（提供元のデフォルト）
choice-moderation-low = low（年齢制限チャンネルのみ）
cmd-settings-previews = プレビュー
cmd-settings-previews-desc = （管理者）このサーバーのライブプレビューをオン・オフします。
opt-settings-previews-on = オン
opt-settings-previews-on-desc = True にすると描画中に途中経過の画像を表示します（追加でトークンがかかります）。
cmd-blocklist = ブロックリスト
cmd-blocklist-desc = （管理者）プロンプトで拒否する単語やフレーズ
cmd-blocklist-add = 追加
cmd-blocklist-add-desc = （管理者）単語やフレーズを含むプロンプトを、間隔や表記が変わっていても拒否します。
opt-blocklist-add-term = 語句
opt-blocklist-add-term-desc = 単語や短いフレーズ（単語単位：「ass」をブロックしても「class」はブロックされません）。
cmd-blocklist-remove = 削除
cmd-blocklist-remove-desc = （管理者）ブロックした単語やフレーズを再び許可します。
opt-blocklist-remove-term = 語句
opt-blocklist-remove-term-desc = `/ブロックリスト 一覧` に表示されるとおりのブロックされた語句。
cmd-blocklist-list = 一覧
cmd-blocklist-list-desc = （管理者）このサーバーでプロンプトに使えない単語やフレーズ。
cmd-jobs = ジョブ
cmd-jobs-desc = 実行中・待機中の画像ジョブと最近完了した10件を確認し、キャンセルできます。
opt-jobs-server = サーバー
opt-jobs-server-desc = （管理者）サーバー全体の順番待ち。各ジョブにキャンセルボタンが付きます。
cmd-edit-image = 画像を編集
