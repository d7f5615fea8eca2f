"""The office hub's setup SQL and what the mailbox shows of its URL, without a server."""

from __future__ import annotations

import socket
import uuid

import pytest

from euregionet_desktop.errors import MailboxError, MailboxOffline
from euregionet_desktop.mailbox.base import Posted
from euregionet_desktop.mailbox.postgres import PostgresMailbox, display_url, setup_sql


def test_the_location_never_shows_a_password() -> None:
    """A password in the user part or the query is left out; the rest stays."""
    url = ("postgresql://lop_anna:s3cret@hub.example.org:5433/euregionet"
           "?sslmode=verify-full&password=s3cret&sslrootcert=/etc/ca.crt")
    shown = PostgresMailbox(url).location
    assert "s3cret" not in shown
    assert shown == ("postgresql://lop_anna@hub.example.org:5433/euregionet"
                     "?sslmode=verify-full&sslrootcert=/etc/ca.crt")
    plain = "postgresql://lop_anna@hub.example.org/euregionet"
    assert display_url(plain) == plain


def test_setup_sql_grants_no_update_and_forces_row_level_security() -> None:
    """One group role per office; insert, select and delete only; RLS forced; TLS
    documented; no password anywhere."""
    text = setup_sql(["lop", "BIC", "LOP"])
    assert text.count("CREATE ROLE euregionet_") == 2
    assert "CREATE ROLE euregionet_bic NOLOGIN" in text
    assert "'euregionet_lop', 'LOP'" in text
    assert "UPDATE ON" not in text and "GRANT ALL" not in text
    assert "FORCE ROW LEVEL SECURITY" in text
    assert "sslmode=verify-full" in text and "sslrootcert" in text
    assert "PASSWORD '" not in text.upper()
    assert text.strip().endswith("COMMIT;")


@pytest.mark.parametrize("offices", [[], ["LOP; DROP TABLE bundles"], ["L'OP"]])
def test_setup_sql_refuses_what_is_not_an_office_code(offices: list[str], polish: None) -> None:
    """Nothing but plain codes goes into the SQL; the refusal is translated."""
    with pytest.raises(MailboxError) as refused:
        setup_sql(offices)
    assert "hub" in str(refused.value).lower() and "The hub" not in str(refused.value)


def test_a_server_nobody_listens_on_is_offline(polish: None) -> None:
    """Connection refused: MailboxOffline in one translated line naming the hub."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"postgresql://lop_anna@127.0.0.1:{port}/euregionet"
    with PostgresMailbox(url) as mailbox, pytest.raises(MailboxOffline) as offline:
        mailbox.push(Posted(bundle_id=str(uuid.uuid4()), origin_office="LOP",
                            origin_installation=str(uuid.uuid4()), recipients=("BIC",),
                            data=b"x"))
    message = str(offline.value)
    assert url in message and "nieosiągalny" in message and "\n" not in message
