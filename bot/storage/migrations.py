"""Versioned schema, one list per engine, the same version numbers on both: entry N of
`MIGRATIONS` (SQLite) and of `MIGRATIONS_PG` (PostgreSQL) bring the same tables to the same
shape. Each entry runs once, in order, inside one transaction; the applied version is kept in
`PRAGMA user_version` (SQLite) or the `schema_version` table (PostgreSQL). Never edit a shipped
entry: append a new one to both lists.

Types on PostgreSQL: INTEGER → BIGINT (Telegram chat ids exceed 32 bits), REAL → DOUBLE
PRECISION, flags stay integers 0/1 (the statements compare them with 0 and 1 on both engines),
AUTOINCREMENT → an identity column (a sequence never hands out an id twice).

Migrations run with foreign keys off (SQLite's procedure for rebuilding a table: otherwise
dropping a parent table would cascade-delete its children); `PRAGMA foreign_key_check` must
find nothing before the version is committed (see db.py)."""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: chats, linked accounts, notification state, outbox, payout flow, audit.
    """
    CREATE TABLE chats (
        chat_id INTEGER PRIMARY KEY,
        chat_type TEXT NOT NULL DEFAULT 'private',
        language TEXT,                          -- NULL: follow the user's Telegram language
        active INTEGER NOT NULL DEFAULT 1,      -- 0: bot blocked / chat gone; back on /start
        notify_accrued INTEGER NOT NULL DEFAULT 1,
        notify_payout_status INTEGER NOT NULL DEFAULT 1,
        notify_new_exchange INTEGER NOT NULL DEFAULT 1,
        notify_payout_available INTEGER NOT NULL DEFAULT 1,
        created_at INTEGER NOT NULL
    );

    CREATE TABLE accounts (
        id INTEGER PRIMARY KEY,
        chat_id INTEGER NOT NULL REFERENCES chats(chat_id) ON DELETE CASCADE,
        site TEXT NOT NULL,
        api_key_enc TEXT NOT NULL,              -- Fernet token, never the plain key
        key_fingerprint TEXT NOT NULL,          -- keyed hash: finds duplicates without decrypting
        key_hint TEXT NOT NULL,                 -- first 4 characters, for display
        linked_by INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        paused INTEGER NOT NULL DEFAULT 0,      -- 1: the site rejected the key; relink needed
        baseline_done INTEGER NOT NULL DEFAULT 0,
        payout_available INTEGER NOT NULL DEFAULT 0,
        next_poll_at REAL NOT NULL DEFAULT 0,
        failures INTEGER NOT NULL DEFAULT 0,
        last_success_at INTEGER,
        last_error TEXT,
        UNIQUE (chat_id, key_fingerprint)
    );
    CREATE INDEX accounts_due ON accounts (paused, next_poll_at);

    -- Last known state of every item that the detector compares against.
    CREATE TABLE exchange_state (
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        exchange_id INTEGER NOT NULL,
        time INTEGER NOT NULL,
        completed INTEGER NOT NULL,
        accrued INTEGER NOT NULL,
        PRIMARY KEY (account_id, exchange_id)
    ) WITHOUT ROWID;
    CREATE INDEX exchange_state_open ON exchange_state (account_id, accrued, time);

    CREATE TABLE payout_state (
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        payout_id INTEGER NOT NULL,
        time INTEGER NOT NULL,
        status INTEGER NOT NULL,
        PRIMARY KEY (account_id, payout_id)
    ) WITHOUT ROWID;
    CREATE INDEX payout_state_open ON payout_state (account_id, status, time);

    -- Transactional outbox: written with the state change, drained by the sender.
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        event_key TEXT NOT NULL UNIQUE,         -- account:kind:item:state, never enqueued twice
        chat_id INTEGER NOT NULL,
        account_id INTEGER,
        kind TEXT NOT NULL,
        payload TEXT NOT NULL,                  -- JSON
        created_at REAL NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at REAL NOT NULL DEFAULT 0,
        sent_at REAL,
        dropped_reason TEXT
    );
    CREATE INDEX outbox_pending ON outbox (next_attempt_at) WHERE sent_at IS NULL
        AND dropped_reason IS NULL;

    -- One row per payout confirmation; its state machine makes a Confirm usable once.
    CREATE TABLE payout_requests (
        id INTEGER PRIMARY KEY,
        token TEXT NOT NULL UNIQUE,             -- short random id carried in callback_data
        chat_id INTEGER NOT NULL,
        user_id INTEGER NOT NULL,
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        method_id INTEGER,
        method_title TEXT,
        wallet_enc TEXT,                        -- Fernet token, never the plain wallet
        amount TEXT,
        commission TEXT,
        state TEXT NOT NULL,                    -- created, confirming, submitting, done, failed,
                                                -- unknown, cancelled, expired
        created_at REAL NOT NULL,
        expires_at REAL NOT NULL,
        submitted_at REAL,                      -- when the claim was won (reconcile from here)
        outcome TEXT,                           -- why it ended: requested, refused, not_created…
        detail TEXT,                            -- the site's error_text, a missing amount…
        payout_id INTEGER
    );
    CREATE INDEX payout_requests_live ON payout_requests (account_id, state);

    CREATE TABLE payout_audit (
        id INTEGER PRIMARY KEY,
        request_id INTEGER,
        at REAL NOT NULL,
        chat_id INTEGER NOT NULL,
        user_id INTEGER NOT NULL,
        account_id INTEGER NOT NULL,
        site TEXT NOT NULL,
        method_id INTEGER,
        wallet_masked TEXT,
        result TEXT NOT NULL,
        payout_id INTEGER,
        detail TEXT
    );

    -- aiogram FSM state per (bot, chat, user), so a dialog survives a restart.
    CREATE TABLE fsm (
        key TEXT PRIMARY KEY,
        state TEXT,
        data TEXT NOT NULL DEFAULT '{}'
    ) WITHOUT ROWID;

    CREATE TABLE last_wallets (
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        method_id INTEGER NOT NULL,
        wallet_enc TEXT NOT NULL,
        PRIMARY KEY (account_id, method_id)
    ) WITHOUT ROWID;
    """,
    # 2: account ids are never reused (AUTOINCREMENT: event keys and callback data built from
    # an id can never point at a later link of another key), and a paused account's re-check.
    """
    CREATE TABLE accounts_v2 (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        chat_id INTEGER NOT NULL REFERENCES chats(chat_id) ON DELETE CASCADE,
        site TEXT NOT NULL,
        api_key_enc TEXT NOT NULL,              -- Fernet token, never the plain key
        key_fingerprint TEXT NOT NULL,          -- keyed hash: finds duplicates without decrypting
        key_hint TEXT NOT NULL,                 -- first 4 characters, for display
        linked_by INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        paused INTEGER NOT NULL DEFAULT 0,      -- 1: the site rejected the key
        baseline_done INTEGER NOT NULL DEFAULT 0,
        payout_available INTEGER NOT NULL DEFAULT 0,
        next_poll_at REAL NOT NULL DEFAULT 0,
        failures INTEGER NOT NULL DEFAULT 0,
        last_success_at INTEGER,
        last_error TEXT,
        paused_at REAL,                         -- when the key was rejected (NULL: not paused)
        next_check_at REAL,                     -- paused: when the key is tried again
        UNIQUE (chat_id, key_fingerprint)
    );
    INSERT INTO accounts_v2 (id, chat_id, site, api_key_enc, key_fingerprint, key_hint,
        linked_by, created_at, paused, baseline_done, payout_available, next_poll_at, failures,
        last_success_at, last_error)
    SELECT id, chat_id, site, api_key_enc, key_fingerprint, key_hint, linked_by, created_at,
        paused, baseline_done, payout_available, next_poll_at, failures, last_success_at,
        last_error FROM accounts;
    DROP TABLE accounts;
    ALTER TABLE accounts_v2 RENAME TO accounts;
    CREATE INDEX accounts_due ON accounts (paused, next_poll_at);
    CREATE INDEX accounts_recheck ON accounts (next_check_at) WHERE paused = 1;
    -- Ids already used by unlinked accounts (still in the outbox, requests, audit) stay used.
    DELETE FROM sqlite_sequence WHERE name = 'accounts';
    INSERT INTO sqlite_sequence (name, seq) SELECT 'accounts', MAX(
        COALESCE((SELECT MAX(id) FROM accounts), 0),
        COALESCE((SELECT MAX(account_id) FROM outbox), 0),
        COALESCE((SELECT MAX(account_id) FROM payout_requests), 0),
        COALESCE((SELECT MAX(account_id) FROM payout_audit), 0));
    UPDATE accounts SET paused_at = next_poll_at, next_check_at = next_poll_at + 3600
        WHERE paused = 1;
    -- The sender keeps one chat's notifications in order: earlier pending rows of a chat.
    CREATE INDEX outbox_chat_pending ON outbox (chat_id, id) WHERE sent_at IS NULL
        AND dropped_reason IS NULL;
    """,
    # 3: payout requests under slow, lost and ambiguous answers (issue 10). "unknown" becomes
    # "checking" (reconciled on a schedule); a request carries its key's site and fingerprint,
    # and a partial UNIQUE index allows one request in flight per key, across chats and
    # processes; the confirmation message to edit, its language, the check schedule, and
    # whether the chat still has to be told the result.
    """
    ALTER TABLE payout_requests ADD COLUMN key_site TEXT;
    ALTER TABLE payout_requests ADD COLUMN key_fingerprint TEXT;
    ALTER TABLE payout_requests ADD COLUMN claimed_at REAL;
    ALTER TABLE payout_requests ADD COLUMN message_id INTEGER;
    ALTER TABLE payout_requests ADD COLUMN language TEXT;
    ALTER TABLE payout_requests ADD COLUMN checks INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE payout_requests ADD COLUMN next_check_at REAL;
    ALTER TABLE payout_requests ADD COLUMN announce INTEGER NOT NULL DEFAULT 0;

    UPDATE payout_requests SET state = 'checking', next_check_at = 0 WHERE state = 'unknown';
    UPDATE payout_requests SET claimed_at = submitted_at WHERE claimed_at IS NULL;
    UPDATE payout_requests SET
        key_site = (SELECT a.site FROM accounts a WHERE a.id = payout_requests.account_id),
        key_fingerprint = (SELECT a.key_fingerprint FROM accounts a
                           WHERE a.id = payout_requests.account_id)
    WHERE state IN ('submitting', 'checking');
    -- Older rows in flight for the same key (possible before this version): only the newest
    -- takes part in the index; the others are still reconciled.
    UPDATE payout_requests SET key_fingerprint = NULL
    WHERE state IN ('submitting', 'checking') AND EXISTS (
        SELECT 1 FROM payout_requests o
        WHERE o.key_site = payout_requests.key_site
          AND o.key_fingerprint = payout_requests.key_fingerprint
          AND o.state IN ('submitting', 'checking') AND o.id > payout_requests.id);

    CREATE UNIQUE INDEX payout_requests_one_in_flight
        ON payout_requests (key_site, key_fingerprint)
        WHERE state IN ('submitting', 'checking');
    CREATE INDEX payout_requests_checking ON payout_requests (state, next_check_at);
    """,
    # 4: insights (issue 16): per-chat settings of /sources, /stats and /export (NULL keeps
    # the default: the usual source parameters, UTC) and the payout watchdog's reminders.
    # Plain SQL: PostgreSQL accepts it too.
    """
    CREATE TABLE chat_insight_settings (
        chat_id BIGINT PRIMARY KEY,
        source_params TEXT,                     -- comma-separated parameter names
        timezone TEXT,                          -- an IANA name, e.g. Europe/Moscow
        quiet_start SMALLINT,                   -- quiet hours: from this local hour …
        quiet_end SMALLINT,                     -- … to this one (NULL: no quiet hours)
        digest TEXT,                            -- 'daily', 'weekly' or NULL (none)
        digest_hour SMALLINT,                   -- local hour the digest is sent
        digest_balance TEXT,                    -- total balance at the last digest (decimal)
        anomaly SMALLINT NOT NULL DEFAULT 0     -- 1: anomaly alerts wanted (opt-in)
    );
    -- Anomalies announced: one message per anomaly episode, not per check.
    CREATE TABLE anomaly_alerts (
        event_key TEXT PRIMARY KEY,
        chat_id BIGINT NOT NULL,
        created_at DOUBLE PRECISION NOT NULL
    );
    -- The payout watchdog's one reminder per payout pending too long (outbox rows are pruned).
    CREATE TABLE payout_reminders (
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        payout_id BIGINT NOT NULL,
        reminded_at DOUBLE PRECISION NOT NULL,
        PRIMARY KEY (account_id, payout_id)
    );
    """,
    # 5: several processes (issue 15): the process that holds an account's lease (its
    # next_poll_at). A process that claims an account leased by another one last forgets
    # what it remembered of that account's last poll. Plain SQL: PostgreSQL accepts it too.
    """
    ALTER TABLE accounts ADD COLUMN lease_owner TEXT;
    """,
)


_PG_V1 = """
CREATE TABLE chats (
    chat_id BIGINT PRIMARY KEY,
    chat_type TEXT NOT NULL DEFAULT 'private',
    language TEXT,
    active BIGINT NOT NULL DEFAULT 1,
    notify_accrued BIGINT NOT NULL DEFAULT 1,
    notify_payout_status BIGINT NOT NULL DEFAULT 1,
    notify_new_exchange BIGINT NOT NULL DEFAULT 1,
    notify_payout_available BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL
);

CREATE TABLE accounts (
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    chat_id BIGINT NOT NULL REFERENCES chats(chat_id) ON DELETE CASCADE,
    site TEXT NOT NULL,
    api_key_enc TEXT NOT NULL,
    key_fingerprint TEXT NOT NULL,
    key_hint TEXT NOT NULL,
    linked_by BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    paused BIGINT NOT NULL DEFAULT 0,
    baseline_done BIGINT NOT NULL DEFAULT 0,
    payout_available BIGINT NOT NULL DEFAULT 0,
    next_poll_at DOUBLE PRECISION NOT NULL DEFAULT 0,
    failures BIGINT NOT NULL DEFAULT 0,
    last_success_at BIGINT,
    last_error TEXT,
    UNIQUE (chat_id, key_fingerprint)
);
CREATE INDEX accounts_due ON accounts (paused, next_poll_at);

CREATE TABLE exchange_state (
    account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    exchange_id BIGINT NOT NULL,
    time BIGINT NOT NULL,
    completed BIGINT NOT NULL,
    accrued BIGINT NOT NULL,
    PRIMARY KEY (account_id, exchange_id)
);
CREATE INDEX exchange_state_open ON exchange_state (account_id, accrued, time);

CREATE TABLE payout_state (
    account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    payout_id BIGINT NOT NULL,
    time BIGINT NOT NULL,
    status BIGINT NOT NULL,
    PRIMARY KEY (account_id, payout_id)
);
CREATE INDEX payout_state_open ON payout_state (account_id, status, time);

CREATE TABLE outbox (
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    event_key TEXT NOT NULL UNIQUE,
    chat_id BIGINT NOT NULL,
    account_id BIGINT,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at DOUBLE PRECISION NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at DOUBLE PRECISION NOT NULL DEFAULT 0,
    sent_at DOUBLE PRECISION,
    dropped_reason TEXT
);
CREATE INDEX outbox_pending ON outbox (next_attempt_at) WHERE sent_at IS NULL
    AND dropped_reason IS NULL;

CREATE TABLE payout_requests (
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    token TEXT NOT NULL UNIQUE,
    chat_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    method_id BIGINT,
    method_title TEXT,
    wallet_enc TEXT,
    amount TEXT,
    commission TEXT,
    state TEXT NOT NULL,
    created_at DOUBLE PRECISION NOT NULL,
    expires_at DOUBLE PRECISION NOT NULL,
    submitted_at DOUBLE PRECISION,
    outcome TEXT,
    detail TEXT,
    payout_id BIGINT
);
CREATE INDEX payout_requests_live ON payout_requests (account_id, state);

CREATE TABLE payout_audit (
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    request_id BIGINT,
    at DOUBLE PRECISION NOT NULL,
    chat_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    account_id BIGINT NOT NULL,
    site TEXT NOT NULL,
    method_id BIGINT,
    wallet_masked TEXT,
    result TEXT NOT NULL,
    payout_id BIGINT,
    detail TEXT
);

CREATE TABLE fsm (
    key TEXT PRIMARY KEY,
    state TEXT,
    data TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE last_wallets (
    account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    method_id BIGINT NOT NULL,
    wallet_enc TEXT NOT NULL,
    PRIMARY KEY (account_id, method_id)
);
"""

# 2: ids were never reused on PostgreSQL (a sequence); the re-check columns and indexes.
_PG_V2 = """
ALTER TABLE accounts ADD COLUMN paused_at DOUBLE PRECISION;
ALTER TABLE accounts ADD COLUMN next_check_at DOUBLE PRECISION;
CREATE INDEX accounts_recheck ON accounts (next_check_at) WHERE paused = 1;
UPDATE accounts SET paused_at = next_poll_at, next_check_at = next_poll_at + 3600
    WHERE paused = 1;
CREATE INDEX outbox_chat_pending ON outbox (chat_id, id) WHERE sent_at IS NULL
    AND dropped_reason IS NULL;
"""

# 3: as SQLite's version 3 (the same statements, PostgreSQL's types).
_PG_V3 = """
ALTER TABLE payout_requests ADD COLUMN key_site TEXT;
ALTER TABLE payout_requests ADD COLUMN key_fingerprint TEXT;
ALTER TABLE payout_requests ADD COLUMN claimed_at DOUBLE PRECISION;
ALTER TABLE payout_requests ADD COLUMN message_id BIGINT;
ALTER TABLE payout_requests ADD COLUMN language TEXT;
ALTER TABLE payout_requests ADD COLUMN checks BIGINT NOT NULL DEFAULT 0;
ALTER TABLE payout_requests ADD COLUMN next_check_at DOUBLE PRECISION;
ALTER TABLE payout_requests ADD COLUMN announce BIGINT NOT NULL DEFAULT 0;

UPDATE payout_requests SET state = 'checking', next_check_at = 0 WHERE state = 'unknown';
UPDATE payout_requests SET claimed_at = submitted_at WHERE claimed_at IS NULL;
UPDATE payout_requests SET
    key_site = (SELECT a.site FROM accounts a WHERE a.id = payout_requests.account_id),
    key_fingerprint = (SELECT a.key_fingerprint FROM accounts a
                       WHERE a.id = payout_requests.account_id)
WHERE state IN ('submitting', 'checking');
UPDATE payout_requests SET key_fingerprint = NULL
WHERE state IN ('submitting', 'checking') AND EXISTS (
    SELECT 1 FROM payout_requests o
    WHERE o.key_site = payout_requests.key_site
      AND o.key_fingerprint = payout_requests.key_fingerprint
      AND o.state IN ('submitting', 'checking') AND o.id > payout_requests.id);

CREATE UNIQUE INDEX payout_requests_one_in_flight
    ON payout_requests (key_site, key_fingerprint)
    WHERE state IN ('submitting', 'checking');
CREATE INDEX payout_requests_checking ON payout_requests (state, next_check_at);
"""

# 4: as SQLite's version 4 (insights: per-chat settings, anomaly alerts, payout reminders).
_PG_V4 = """
CREATE TABLE chat_insight_settings (
    chat_id BIGINT PRIMARY KEY,
    source_params TEXT,                     -- comma-separated parameter names
    timezone TEXT,                          -- an IANA name, e.g. Europe/Moscow
    quiet_start SMALLINT,                   -- quiet hours: from this local hour …
    quiet_end SMALLINT,                     -- … to this one (NULL: no quiet hours)
    digest TEXT,                            -- 'daily', 'weekly' or NULL (none)
    digest_hour SMALLINT,                   -- local hour the digest is sent
    digest_balance TEXT,                    -- total balance at the last digest (decimal)
    anomaly SMALLINT NOT NULL DEFAULT 0     -- 1: anomaly alerts wanted (opt-in)
);
-- Anomalies announced: one message per anomaly episode, not per check.
CREATE TABLE anomaly_alerts (
    event_key TEXT PRIMARY KEY,
    chat_id BIGINT NOT NULL,
    created_at DOUBLE PRECISION NOT NULL
);
-- The payout watchdog's one reminder per payout pending too long (outbox rows are pruned).
CREATE TABLE payout_reminders (
    account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    payout_id BIGINT NOT NULL,
    reminded_at DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (account_id, payout_id)
);
"""

MIGRATIONS_PG: tuple[str, ...] = (_PG_V1, _PG_V2, _PG_V3, _PG_V4, MIGRATIONS[4])
assert len(MIGRATIONS_PG) == len(MIGRATIONS), "one version number, both engines"
