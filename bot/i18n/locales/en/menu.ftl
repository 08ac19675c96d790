## The command menu (setMyCommands): plain text, at most 256 characters each.

menu-balance = Balance and payout methods
menu-payout = Request a payout
menu-payouts = Payout requests
menu-exchanges = Referred exchanges
menu-clicks = Clicks on your links
menu-sources = Earnings per traffic source
menu-stats = Chart of clicks, exchanges and rewards
menu-export = Exchanges, payouts and clicks as CSV
menu-link = Link an affiliate account
menu-unlink = Unlink an account
menu-settings = Notifications on/off
menu-language = Language / Язык
menu-help = What I can do

## Words a user may type after /exchanges, comma-separated; every language's words are
## understood whatever the chat's language (today, 7d, 30d and all always are).

period-words-today = today
period-words-7d = week
period-words-30d = month
