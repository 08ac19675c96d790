"""Encryption of api keys (and wallet numbers) at rest.

Fernet (AES-128-CBC + HMAC-SHA256, from `cryptography`) gives authenticated encryption with a
well-reviewed format; MultiFernet decrypts with any of several keys and re-encrypts with the
first, which is exactly key rotation. A keyed fingerprint (HMAC) finds an already linked key
without decrypting every row, and reveals nothing without the key.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

log = logging.getLogger(__name__)

KEY_FILE_NAME = "encryption.key"


class DecryptionError(Exception):
    """A stored secret cannot be decrypted with any configured key."""


class KeyVault:
    def __init__(self, keys: list[bytes]) -> None:
        if not keys:
            raise ValueError("at least one encryption key is required")
        self._fernet = MultiFernet([Fernet(key) for key in keys])
        # The fingerprint key is derived from the primary key, never stored.
        self._fp_key = hashlib.sha256(b"fingerprint:" + keys[0]).digest()

    def encrypt(self, plain: str) -> str:
        return self._fernet.encrypt(plain.encode()).decode()

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken:
            raise DecryptionError("stored secret cannot be decrypted with ENCRYPTION_KEY") from None

    def rotate(self, token: str) -> str:
        """Re-encrypt with the primary key (accepts a token made with any configured key)."""
        try:
            return self._fernet.rotate(token.encode()).decode()
        except InvalidToken:
            raise DecryptionError("stored secret cannot be decrypted with ENCRYPTION_KEY") from None

    def fingerprint(self, site: str, secret: str) -> str:
        message = f"{site}\0{secret}".encode()
        return hmac.new(self._fp_key, message, hashlib.sha256).hexdigest()


def parse_keys(value: str) -> list[bytes]:
    """`ENCRYPTION_KEY` = "new[,old...]": the first encrypts, all decrypt."""
    keys = [part.strip().encode() for part in value.split(",") if part.strip()]
    for key in keys:
        try:
            Fernet(key)
        except (ValueError, TypeError):
            raise ValueError(
                "ENCRYPTION_KEY must be Fernet keys (32 url-safe base64 bytes), comma-separated"
            ) from None
    return keys


def load_or_create_key_file(data_dir: Path) -> list[bytes]:
    """The generated key used when ENCRYPTION_KEY is unset; created once with mode 0600."""
    path = data_dir / KEY_FILE_NAME
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as file:
            file.write(Fernet.generate_key())
        log.warning("Generated a new encryption key in %s: back it up with the database", path)
    else:
        log.info("Using the encryption key in %s", path)
    return parse_keys(path.read_text())


def mask(secret: str, visible: int = 4) -> str:
    """What a user may see of a secret: the first characters and an ellipsis."""
    return secret[:visible] + "…" if len(secret) > visible else "…"


def new_key() -> str:
    return Fernet.generate_key().decode()


__all__ = [
    "DecryptionError",
    "KeyVault",
    "load_or_create_key_file",
    "mask",
    "new_key",
    "parse_keys",
]
