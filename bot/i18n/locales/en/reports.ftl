## Texts of /balance, /payouts, /exchanges and /clicks.

balance-amounts =
    Balance: <b>{ $balance }</b> USD
    Minimum payout: { $min_payout } USD

balance-expected = ⏳ Expected <b>+{ $amount }</b> USD from { $count ->
        [one] { $count } completed exchange
       *[other] { $count } completed exchanges
    } (reward not accrued yet)

balance-methods_title =
    {""}
    <b>Payout methods</b>

balance-method = • { $title }: commission { $commission }, you receive <b>{ $amount }</b>

balance-no_methods =
    {""}
    The site offers no payout method right now.

balance-payout_possible =
    {""}
    ✅ A payout is possible now.

balance-payout_missing =
    {""}
    ⏳ { $missing } USD more until a payout is possible.

payout-status-pending = ⏳ pending

payout-status-paid = ✅ paid

payout-status-canceled = ✖ canceled

payout-status-canceled_by_user = ↩ canceled by you

payouts-title = <b>Payout requests</b>

payouts-item =
    <b>#{ $id }</b> · { $date } UTC
    { $amount } { $currency } · { $method }
    to { $account } · { $status }

exchanges-title = <b>Referred exchanges</b> ({ $period })

exchanges-item =
    <b>#{ $id }</b> · { $date } UTC
    { $give } { $give_cur } → { $get } { $get_cur }
    { $completed } · { $accrued } · reward <b>{ $reward }</b>

exchanges-completed = completed

exchanges-not_completed = not completed

exchanges-accrued = accrued

exchanges-not_accrued = not accrued

exchanges-bad_period = Period: <code>today</code>, <code>7d</code> or <code>30d</code>, e.g. /exchanges 30d (without one: the last 7 days; ⏪ under the list goes further back)

period-today = today

period-7d = 7 days

period-30d = 30 days

clicks-latest_title =
    {""}
    <b>Latest</b>

clicks-item = • { $date } — { $referrer }

clicks-direct = <i>direct</i>

payouts-title_period = <b>Payout requests</b> ({ $period })

period-range = { $start } – { $end } UTC

clicks-counts_window = <b>Clicks</b> ({ $period }): { $total }

clicks-today = Today (UTC): { $today }

view-empty_window = Nothing in this period. ⏪ shows the one before.

view-all_header = 📚 <b>All accounts</b>

accounts-all_button = 📚 All accounts

accounts-pick_again = 🔁 Another account

overview-title = 💼 <b>Your accounts</b> ({ $count })

overview-line = Balance: <b>{ $balance }</b> USD · minimum { $min_payout } · best payout <b>{ $best }</b>

overview-can_pay = ✅ a payout is possible

overview-missing = ⏳ { $missing } USD more until a payout

overview-key_rejected = 🔑 The site rejects this key: /link the current one.

overview-unavailable = ⚠️ The site is not answering right now.

overview-total = <b>Total:</b> { $totals }

balance-payout_button = 💸 Request a payout

balance-all_button = 📚 All accounts

payouts-typical = ⏱ { $site } usually pays within ~{ $hours } h (median of { $count ->
        [one] { $count } payout
       *[other] { $count } payouts
    } I watched being paid)
