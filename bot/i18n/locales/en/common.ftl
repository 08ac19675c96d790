## Texts shared by every feature: start, help, errors, accounts, language.

start-text =
    👋 <b>Affiliate assistant</b>

    I show your affiliate balance, payouts, referred exchanges and clicks, and I message you the moment a reward is accrued or a payout changes status.

    To begin, link your account: <code>/link YOUR_API_KEY</code>
    The key is in your affiliate dashboard, line “REST API key”:
    { $dashboards }

    /help lists every command.

help-text =
    <b>Commands</b>
    /link <code>KEY</code> — link an affiliate account
    /unlink — remove a linked account
    /balance — balance, minimum payout, payout methods (every account at once)
    /payout — request a payout (with a confirmation)
    /payouts [today|7d|30d] — your payout requests (default 30 days)
    /exchanges [today|7d|30d] — referred exchanges (default 7 days)
    /clicks [today|7d|30d] — clicks on your affiliate links (default 7 days)
    /sources [today|7d|30d] — clicks, exchanges, conversion, earnings and EPC per traffic source (default 7 days)
    /stats [7d|30d|90d] — a chart of daily clicks, completed exchanges and rewards (default 30 days)
    /export [today|7d|30d] — exchanges, payouts and clicks as CSV files (default 30 days)
    /settings — which notifications this chat gets
    /language — English / Русский
    /cancel — leave the current dialog

    Your API key is in the affiliate dashboard, line “REST API key”:
    { $dashboards }
    If you click “Change REST API key” there, the old key stops working: link the new one.

cancel-done = Cancelled.

cancel-nothing = There is nothing to cancel.

common-cancel_button = ✖ Cancel

accounts-none = No account is linked yet. Send <code>/link YOUR_API_KEY</code> first.

accounts-pick = Which account?

accounts-gone = This account is no longer linked here.

view-account_header = 🏦 <b>{ $account }</b>

language-name = English

language-choose = Choose the language:

language-set = Language: English.

error-key_rejected = The site rejected your API key: it may have been changed in the affiliate dashboard, or API access was turned off. Link the current key with /link.

error-method_not_supported = The site does not allow this request for your account (“Method not supported”).

error-refused = The site refused: { $detail }

error-unavailable = The exchanger is not answering right now. Please try again in a minute.

error-malformed = The exchanger sent an answer I could not read. Please try again later.

error-internal = Something went wrong on my side. Please try again.

fallback-hint = I did not understand that. /help lists what I can do.

fallback-stale_button = This button is no longer active.

throttle-slow_down = 🐢 Too many requests at once: I answered what I could. Please send the next one in { $seconds } s.
