"""This installation's keys: Ed25519 to sign bundles, an age X25519 identity to open them.

Private keys live in the profile's ``keys/`` folder, readable by the user only; the age
identity is in the standard age identity format, so ``age -d -i keys/age-identity.txt``
opens a bundle encrypted for this installation. Partners exchange public keys as a small
JSON file and pin them after comparing fingerprints.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyrage

from euregionet_desktop.errors import BundleError
from euregionet_desktop.files import atomic_write
from euregionet_desktop.i18n import _
from euregionet_desktop.storage.field_kinds import UUID

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

# cryptography is imported where it is used: loading it costs about 10 MiB, and most
# sessions with the app never sign or check a bundle.

SIGNING_FILE = "signing-key.pem"
AGE_FILE = "age-identity.txt"
PUBLIC_FORMAT = "euregionet-public-keys/1"
MAX_PUBLIC_FILE = 64 * 1024
MAX_LABEL = 100  # as an installation's label (storage.models.Installation.label)
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class PublicKeys:
    """What a partner needs to check our bundles and encrypt for us."""

    installation_id: str
    office_code: str
    label: str | None
    signing_key: str  # base64 of the raw 32-byte Ed25519 public key
    age_recipient: str  # age1…

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.signing_key, self.age_recipient)

    def to_json(self) -> bytes:
        return json.dumps({
            "format": PUBLIC_FORMAT, "installation_id": self.installation_id,
            "office": self.office_code, "label": self.label,
            "signing_key": self.signing_key, "age_recipient": self.age_recipient,
        }, indent=2, ensure_ascii=False).encode() + b"\n"


def fingerprint(signing_key: str, age_recipient: str) -> str:
    """Both public keys in one short code people can read to each other on the phone."""
    digest = hashlib.sha256(f"{signing_key}\n{age_recipient}".encode()).hexdigest()[:24].upper()
    return " ".join(digest[i:i + 4] for i in range(0, len(digest), 4))


def _write_private(path: Path, data: bytes) -> None:
    """Readable by the user only from before the first byte, and whole or not there: a
    half-written key would lock the installation out of its own bundles."""
    atomic_write(path, data, mode=0o600)


@dataclass(frozen=True)
class Keys:
    """The private keys of this installation."""

    signing: Ed25519PrivateKey
    identity: pyrage.x25519.Identity

    @property
    def signing_public(self) -> str:
        from cryptography.hazmat.primitives import serialization

        raw = self.signing.public_key().public_bytes(serialization.Encoding.Raw,
                                                     serialization.PublicFormat.Raw)
        return base64.b64encode(raw).decode()

    @property
    def age_recipient(self) -> str:
        return str(self.identity.to_public())

    def sign(self, data: bytes) -> bytes:
        return self.signing.sign(data)


def load_or_create(keys_dir: Path) -> Keys:
    """The installation's keys, made on first use."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    keys_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    signing_path, age_path = keys_dir / SIGNING_FILE, keys_dir / AGE_FILE
    if not signing_path.exists():
        key = Ed25519PrivateKey.generate()
        _write_private(signing_path, key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()))
    if not age_path.exists():
        identity = pyrage.x25519.Identity.generate()
        created = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
        _write_private(age_path, (f"# created: {created}\n"
                                  f"# public key: {identity.to_public()}\n"
                                  f"{identity}\n").encode())
    signing = serialization.load_pem_private_key(signing_path.read_bytes(), password=None)
    assert isinstance(signing, Ed25519PrivateKey)
    secret = next(line for line in age_path.read_text().splitlines()
                  if line.startswith("AGE-SECRET-KEY-"))
    return Keys(signing, pyrage.x25519.Identity.from_str(secret))


def verify(signing_key: str, signature: bytes, data: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(signing_key)).verify(signature, data)
    except (InvalidSignature, ValueError):
        return False
    return True


def read_public(data: bytes) -> PublicKeys:
    """A partner's public key file, checked; BundleError says what is wrong with it."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    refused = BundleError(_("This is not an EuRegioNet public key file."))
    if len(data) > MAX_PUBLIC_FILE:
        raise refused
    try:
        parsed = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise refused from None
    if not isinstance(parsed, dict) or parsed.get("format") != PUBLIC_FORMAT:
        raise refused
    # Each value of the type it must have (a list as the label, a number as the id: the
    # file of a partner gone wrong, refused like any other that is not a key file).
    texts = ("installation_id", "office", "signing_key", "age_recipient")
    label = parsed.get("label")
    if not (all(isinstance(parsed.get(name), str) and not CONTROL.search(parsed[name])
                for name in texts)
            and UUID.match(parsed["installation_id"])
            and (label is None or (isinstance(label, str) and len(label) <= MAX_LABEL
                                   and not CONTROL.search(label)))):
        raise refused
    try:
        keys = PublicKeys(parsed["installation_id"], parsed["office"], label,
                          parsed["signing_key"], parsed["age_recipient"])
        Ed25519PublicKey.from_public_bytes(base64.b64decode(keys.signing_key, validate=True))
        pyrage.x25519.Recipient.from_str(keys.age_recipient)
    except (KeyError, ValueError, pyrage.RecipientError):
        raise refused from None
    return keys
