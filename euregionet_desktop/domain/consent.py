"""What a contact person's consent allows (GDPR/RODO/DSGVO): pure rules on a row's values,
read by the services (services.consent), the documents and the published website.

Only a consent given allows anything, and only for the scopes it names; asked, refused,
withdrawn or never asked allow nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from euregionet_desktop.domain.enums import ConsentScope, ConsentStatus

# A consent ended on a day: without a date given, the day it was recorded.
ENDED = frozenset({ConsentStatus.WITHDRAWN.value, ConsentStatus.REFUSED.value})


def _value(row: Any, name: str) -> Any:
    if isinstance(row, Mapping):
        return row.get(name)
    return getattr(row, name, None)


def allows(row: Any, scope: ConsentScope | str) -> bool:
    """Whether the contact's consent (a table row, a record's values, an ORM object)
    allows ``scope``: only a consent given, and only for the scopes it names."""
    if row is None or _value(row, "consent_status") != ConsentStatus.GIVEN.value:
        return False
    return str(scope) in (_value(row, "consent_purposes") or ())


def may_communicate(row: Any) -> bool:
    """Whether the person may receive the programme's communication (mailings)."""
    return allows(row, ConsentScope.COMMUNICATION)


def photo_consent(row: Any) -> bool | None:
    """What the contact's consent says about photos: False when refused or withdrawn,
    True when given with the photos scope, None when it does not decide (not asked, asked,
    given for other scopes): then the participant's own answer counts."""
    status = _value(row, "consent_status") if row is not None else None
    if status in ENDED:
        return False
    if allows(row, ConsentScope.PHOTOS):
        return True
    return None


def dated(values: dict[str, Any], before: Mapping[str, Any] | None,
          today: dt.date) -> dict[str, Any]:
    """A contact's values as saved: a consent that becomes withdrawn or refused with no
    date given (none, or the date of the consent before) is dated the day it is recorded,
    so the date says since when it no longer holds."""
    status = values.get("consent_status")
    if status not in ENDED or (before is not None and before.get("consent_status") == status):
        return values
    given_before = before.get("consent_on") if before is not None else None
    if values.get("consent_on") is None or values.get("consent_on") == given_before:
        values["consent_on"] = today
    return values
