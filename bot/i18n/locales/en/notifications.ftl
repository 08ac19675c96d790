## Texts of push notifications and /settings.

notify-accrued =
    💰 <b>Reward accrued: { $reward } USD</b>
    { $account }
    Exchange #{ $exchange_id }: { $give } { $give_cur } → { $get } { $get_cur }

notify-new_exchange =
    🔄 <b>New referred exchange</b>
    { $account }
    Exchange #{ $exchange_id }: { $give } { $give_cur } → { $get } { $get_cur }
    Not completed yet: I will tell you when the reward is accrued.

notify-payout_status =
    💸 <b>Payout #{ $payout_id }: { $status }</b>
    { $account }
    { $amount } { $currency } · { $method }

notify-payout_available =
    ✅ <b>A payout is available</b>
    { $account }
    Your balance of { $balance } USD reached the minimum payout of { $min_payout } USD.

notify-payout_button = 💸 Request a payout

notify-key_rejected =
    🔑 <b>The site rejected your API key</b>
    { $account }
    It may have been changed in the affiliate dashboard, or API access was turned off. I paused this account (I will try the key again now and then): link the current key with /link.

settings-text =
    🔔 <b>Notifications in this chat</b>
    Tap a kind to turn it on or off. Linking an account never announces its past.
    Typed settings: <code>/settings sources utm_source, sub_id</code> (link parameters naming a traffic source), <code>/settings timezone Europe/Moscow</code> (charts, exports, quiet hours), <code>/settings quiet 23-8</code> (notifications held, then one summary), <code>/settings digest daily 9</code> (a daily or weekly digest), <code>/settings anomaly on</code> (alerts when clicks come without exchanges or the top source goes silent).

settings-on = ✅ { $name }

settings-off = 🔕 { $name }

settings-saved_on = On: { $name }

settings-saved_off = Off: { $name }

settings-kind-accrued = Reward accrued

settings-kind-payout_status = Payout status

settings-kind-new_exchange = New referred exchange

settings-kind-payout_available = Payout available

notify-key_works =
    ✅ <b>Your API key works again</b>
    { $account }
    The site accepts it again: I check this account and notify you as before.

notify-payout_overdue =
    ⏰ <b>Payout #{ $payout_id } is still pending</b>
    { $account }
    Requested { $date } UTC. If it takes much longer than usual (/payouts shows the site's typical time), contact the site's support.

notify-burst_title = 🔔 <b>{ $count } notifications at once</b>

notify-burst_accrued_total = 💰 { $count ->
        [one] { $count } reward accrued
       *[other] { $count } rewards accrued
    }: <b>+{ $total } USD</b>

notify-burst_accrued = • 💰 +{ $reward } USD · exchange #{ $exchange_id } · { $account }

notify-burst_new = • 🔄 new exchange #{ $exchange_id } · { $account }

notify-burst_payout = • 💸 payout #{ $payout_id }: { $status } · { $account }

notify-burst_overdue = • ⏰ payout #{ $payout_id } still pending · { $account }

notify-burst_more = …and { $count } more

notify-digest_title = 📰 <b>Your day</b> (last 24 hours)

notify-digest_title_weekly = 📰 <b>Your week</b> (last 7 days)

notify-digest_counts = Clicks: <b>{ $clicks }</b> · exchanges: <b>{ $exchanges }</b> ({ $completed } completed)

notify-digest_accrued = Rewards accrued: <b>{ $amount }</b> USD ({ $count })

notify-digest_balance = Balance: <b>{ $balance }</b> USD{ $change }

notify-digest_best = Best source: <b>{ $source }</b> ({ $earnings } USD)

notify-digest_unread = ⚠️ { $count ->
        [one] { $count } account was
       *[other] { $count } accounts were
    } not read (the site did not answer).

notify-anomaly_no_exchanges =
    ⚠️ <b>Clicks, but no exchanges</b>
    { $account }
    { $clicks } clicks in the last 3 days and not one exchange, although your usual conversion expected about { $expected }. Check that your link and the site's exchange form work.

notify-anomaly_source =
    ⚠️ <b>Your top source went silent</b>
    { $account }
    <b>{ $source }</b>, which sent the most clicks over the last weeks, sent none in the last 3 days.
