## Texts of /sources, /stats, /export and the insight settings.

insights-unread = ⚠️ Not read (the site did not answer): { $accounts }

sources-title = 📊 <b>Earnings per traffic source</b> ({ $period })

sources-total = Total: { $clicks ->
        [one] { $clicks } click
       *[other] { $clicks } clicks
    } · { $completed } completed · <b>{ $earnings }</b> USD · EPC { $epc }

sources-row =
    { $number }. <b>{ $source }</b>
    { $clicks ->
        [one] { $clicks } click
       *[other] { $clicks } clicks
    } · { $exchanges ->
        [one] { $exchanges } exchange
       *[other] { $exchanges } exchanges
    } · { $completed } completed · conversion { $conversion }
    earned <b>{ $earnings }</b> USD · EPC { $epc }

sources-empty = No clicks or exchanges in this period.

sources-direct = direct

sources-unknown = unknown source

sources-other = other

sources-bad_period = Period: <code>today</code>, <code>7d</code> or <code>30d</code>, e.g. /sources 30d (without one: the last 7 days)

insettings-sources =
    Source parameters: <code>{ $params }</code>
    A click's source is the first of these link parameters it carries, else its referrer's site, else “direct”.

insettings-sources_saved = ✅ Source parameters: <code>{ $params }</code>

insettings-sources_bad = Send parameter names separated by commas, e.g. <code>/settings sources utm_source, sub_id</code> (at most 10), or <code>/settings sources default</code>.

insettings-timezone = Time zone of charts and exports: <code>{ $timezone }</code>

insettings-timezone_saved = ✅ Time zone: <code>{ $timezone }</code>

insettings-timezone_bad = Unknown time zone. Send a name like <code>/settings timezone Europe/Moscow</code> or <code>/settings timezone UTC</code>.

insettings-unknown = Settings you can type: <code>/settings sources utm_source, sub_id</code> and <code>/settings timezone Europe/Moscow</code>, <code>/settings quiet 23-8</code>, <code>/settings digest daily 9</code>, <code>/settings anomaly on</code>.

stats-caption =
    📈 <b>Last { $days } days</b>, against the { $days } days before
    Clicks: <b>{ $clicks }</b>{ $clicks_change }
    Completed exchanges: <b>{ $completed }</b>{ $completed_change }
    Rewards: <b>{ $rewards }</b> USD{ $rewards_change }

stats-chart_title = Last { $days } days ({ $timezone })

stats-chart_clicks = Clicks

stats-chart_completed = Completed exchanges

stats-chart_rewards = Rewards, USD

stats-chart_counts = Clicks and exchanges

stats-bad_period = Period: <code>7d</code>, <code>30d</code> or <code>90d</code>, e.g. /stats 90d (without one: the last 30 days)

export-summary = 📄 <b>Export</b> ({ $period }): { $exchanges } exchanges, { $payouts } payouts, { $clicks } clicks in { $files ->
        [one] { $files } CSV file
       *[other] { $files } CSV files
    } (UTF-8, dates in { $timezone }).

export-bad_period = Period: <code>today</code>, <code>7d</code> or <code>30d</code>, e.g. /export 7d (without one: the last 30 days)

insettings-quiet_saved = 🌙 Quiet hours: { $start }:00 – { $end }:00 ({ $timezone }). Notifications due meanwhile are held and sent as one summary when they end.

insettings-quiet_off = 🔔 Quiet hours off.

insettings-quiet_bad = Send two hours 0–23, e.g. <code>/settings quiet 23-8</code> (in the chat's time zone), or <code>/settings quiet off</code>.

insettings-digest_daily = 📰 A digest every day at { $hour }:00 (the chat's time zone): clicks, exchanges, rewards accrued, balance change, best source.

insettings-digest_weekly = 📰 A digest every Monday at { $hour }:00 (the chat's time zone): the week's clicks, exchanges, rewards accrued, balance change, best source.

insettings-digest_off = Digest off.

insettings-digest_bad = Send e.g. <code>/settings digest daily 9</code>, <code>/settings digest weekly 9</code> (hour 0–23, the chat's time zone) or <code>/settings digest off</code>.

insettings-anomaly_on = ⚠️ Anomaly alerts on: one message when clicks come but no exchange for 3 days although your own last weeks say there should be some, or when your top source stops sending clicks.

insettings-anomaly_off = Anomaly alerts off.
