## Texts of the chat-admin rule in groups.

chat_admin-only = 🔒 In a group, only its administrators can link or unlink accounts, change settings and request payouts.

chat_admin-check_failed = I could not check your admin rights in this group right now. Please try again.
