## Texts of /payout: picking a method, the wallet, the confirmation and its outcome.

payreq-pick_account = Request a payout for which account?

payreq-menu =
    { $header }
    Balance: <b>{ $balance }</b> USD. The whole balance is paid out.
    Choose the payout method:

payreq-method_button = { $title } — you receive { $amount } ({ $commission } commission)

payreq-below_minimum =
    { $header }
    Balance: { $balance } USD. ⏳ { $missing } USD more is needed for a payout.

payreq-no_methods = The site offers no payout method for this balance right now.

payreq-method_gone = The site no longer offers this payout method. Nothing was requested: /payout

payreq-not_owner = Only the person who linked this account can request its payout.

payreq-ask_wallet = Send the account or wallet number for <b>{ $method }</b>. /cancel to stop.

payreq-last_wallet_button = ↩ Use { $wallet }

payreq-wallet-empty = Send the account or wallet number as text.

payreq-wallet-too_short = That is too short for an account number (at least 3 characters). Send it again.

payreq-wallet-too_long = That is too long for an account number (at most 128 characters). Send it again.

payreq-wallet-spaces = An account number has no spaces or line breaks inside. Send it again.

payreq-wallet-control = The number contains invisible or control characters. Type or paste it again.

payreq-confirm =
    <b>Check the payout request</b>
    { $header }
    Method: { $method }
    To: <code>{ $wallet }</code>
    You receive: <b>{ $amount }</b>
    Commission: { $commission }

    The whole balance is requested. This confirmation is valid for { $minutes } min.

payreq-confirm_button = ✅ Confirm

payreq-check_button = 🔄 Check again

payreq-sending = ⏳ Sending the payout request to the site…

payreq-requested =
    ✅ Payout <b>#{ $id }</b> requested: { $amount } via { $method } to { $wallet }.
    Its status changes will arrive here.
    .plain =
        ✅ Payout #{ $id } requested: { $amount } via { $method } to { $wallet }.
        Its status changes will arrive here.

payreq-reconciled_note = (The site's answer was lost; I found the request in its payout list.)

payreq-refused = ❌ The site refused the payout: { $detail }

payreq-now_below_minimum = ❌ The balance is now below the minimum: { $missing } USD more is needed. Nothing was requested.

payreq-unavailable = ❌ The exchanger could not be reached, so nothing was requested. Try /payout again in a minute.

payreq-not_created = ❌ The site did not answer clearly, and I checked its payout list for { $hours } h: the request never appeared, so it was not created. You can try /payout again.


payreq-expired = ⌛ This confirmation expired. Nothing was requested: /payout

payreq-cancelled = Payout request cancelled. Nothing was requested.

payreq-in_progress = The request is being sent, please wait.

payreq-not_yours = Only the person who started this payout request can press its buttons.

payreq-not_active = This button is not for you, or it is no longer active.

payreq-checking = ⏳ The site has not answered yet; I'm checking whether the payout was created — don't request another one. I will write here as soon as I know.

payreq-busy = ⏳ Another payout request for this key is still { $state }: request { $request } of { $started } UTC ({ $amount } via { $method }). Nothing was sent now; wait for its result.

payreq-busy-submitting = being sent

payreq-busy-checking = being checked on the site

payreq-changed = ⚠️ The amounts changed since the confirmation: you would now receive <b>{ $amount }</b> instead of { $old }. Nothing was sent. Check the new figures:

payreq-bad_wallet = ❌ The stored wallet number cannot be read, so nothing was sent. Start again with /payout.

payreq-not_sent = ❌ The bot stopped before the request left, so nothing was requested. You can try /payout again.

payreq-reply_wallet = { $user }, reply to this message with the account or wallet number for <b>{ $method }</b>.

payreq-wallet_placeholder = Account or wallet number
