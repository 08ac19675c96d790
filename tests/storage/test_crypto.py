import os
import stat
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from bot.storage.crypto import (
    DecryptionError,
    KeyVault,
    load_or_create_key_file,
    mask,
    parse_keys,
)


def test_round_trip_and_tokens_differ() -> None:
    vault = KeyVault([Fernet.generate_key()])
    first, second = vault.encrypt("abc"), vault.encrypt("abc")
    assert first != second and "abc" not in first
    assert vault.decrypt(first) == "abc"


def test_rotation_accepts_old_and_re_encrypts_with_new() -> None:
    old, new = Fernet.generate_key(), Fernet.generate_key()
    token = KeyVault([old]).encrypt("key-1")
    rotating = KeyVault([new, old])
    rotated = rotating.rotate(token)
    assert KeyVault([new]).decrypt(rotated) == "key-1"
    with pytest.raises(DecryptionError):
        KeyVault([new]).decrypt(token)


def test_key_file_is_created_once_with_0600(tmp_path: Path) -> None:
    keys = load_or_create_key_file(tmp_path / "data")
    path = tmp_path / "data" / "encryption.key"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert load_or_create_key_file(tmp_path / "data") == keys


def test_parse_keys_rejects_garbage_without_echoing_it() -> None:
    with pytest.raises(ValueError) as caught:
        parse_keys("not-a-key-SECRETVALUE")
    assert "SECRETVALUE" not in str(caught.value)


def test_fingerprint_is_stable_and_site_specific() -> None:
    vault = KeyVault([Fernet.generate_key()])
    assert vault.fingerprint("a", "k") == vault.fingerprint("a", "k")
    assert vault.fingerprint("a", "k") != vault.fingerprint("b", "k")


def test_mask() -> None:
    assert mask("abcdefgh") == "abcd…"
    assert mask("ab") == "…"
