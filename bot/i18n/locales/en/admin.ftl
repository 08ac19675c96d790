## Texts of the operator's /admin view.

admin-title = 🛠 <b>Operator view</b>

admin-chats = Chats: <b>{ $total }</b> ({ $active } active, { $inactive } inactive)

admin-accounts = Accounts: <b>{ $total }</b> ({ $paused } paused)

admin-sites_title =
    {""}
    <b>Polling per site</b>

admin-site =
    • { $site } — <b>{ $state }</b>
    {"  "}{ $accounts } { $accounts ->
        [one] account
       *[other] accounts
    } ({ $paused } paused), failing { $failing }/{ $active } ({ $rate })
    {"  "}last success: { $last_success } · circuit: { $circuit }

admin-site_error = {"  "}last error: { $error }

admin-more_sites = … and { $count } more { $count ->
        [one] site
       *[other] sites
    }

admin-outbox =
    {""}
    <b>Outbox</b>: { $pending } pending (oldest { $oldest }), { $dropped } dropped

admin-state-ok = ok

admin-state-degraded = degraded

admin-state-down = down

admin-state-idle = idle

admin-none = —

admin-never = never

admin-ago = { $age } ago

admin-age-s = { $n } s

admin-age-min = { $n } min

admin-age-h = { $n } h

admin-age-d = { $n } d

admin-payouts_title =
    {""}
    <b>Payout requests being sent or checked</b>: { $count }

admin-payout = #{ $id } · { $site } · chat { $chat } · { $state } for { $age } · { $checks } { $checks ->
        [one] check
       *[other] checks
    }

admin-payout_state-submitting = sending

admin-payout_state-checking = being checked
