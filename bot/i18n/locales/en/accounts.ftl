## Texts of linking and unlinking accounts.

link-ask_key = Send me your API key (affiliate dashboard → “REST API key”). /cancel to stop.

link-key_deleted = 🔒 I deleted your message with the key, so it does not stay in the chat.

link-key_not_deleted = ⚠️ I could not delete your message with the key. Delete it yourself, and if other people can read this chat, change the key in the affiliate dashboard.

link-key_not_deleted_group = ⚠️ I could not delete the message with the key: in a group I need to be an administrator with the “Delete messages” right. Everyone here could read the key, so delete that message, change the key in the affiliate dashboard (“Change REST API key”) and link the new one.

link-ask_key_group = Reply to this message with your API key (affiliate dashboard → “REST API key”); I will delete it at once. /cancel to stop.

link-linked = ✅ Account linked.

link-already = This key is already linked here: { $account }.

link-invalid_format = That does not look like an API key. Copy it from the affiliate dashboard, line “REST API key”, and send <code>/link YOUR_API_KEY</code>.

link-unreachable = The exchanger is not answering right now, so I could not check the key. Try again in a minute.

link-rejected = ❌ The site rejected this key. { $hint }

link-refused = ❌ The site refused the key: { $detail }

link-where_key = Check that you copied the current key (affiliate dashboard → “REST API key”) and that the site has enabled the affiliate API for you.

unlink-pick = Which account should I unlink?

unlink-confirm = Unlink <b>{ $account }</b>? You will stop getting its notifications.

unlink-confirm_button = 🗑 Unlink

unlink-done = The account is unlinked.

unlink-payout_in_flight = ⏳ A payout request of this account is still being sent or checked on the site, so I keep the account until I know the result (I will write here). Unlink it after that.

unlink-cancelled = Nothing was changed.
