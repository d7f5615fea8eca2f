"""Files attached by hand (evidence, logos): stored by content, linked to their record;
bad input refused with nothing kept."""

from __future__ import annotations

import hashlib

import pytest

from euregionet_desktop.errors import FileAccessError, NotFoundError, ValidationError
from euregionet_desktop.services import evidence, records


def _attachments(core):
    return core.backend.read(records.list_page, entity="attachment").total


def test_a_scan_is_kept_by_its_checksum_and_linked_to_its_event(core, add, tmp_path):
    event = add("event", title_pl="Kongres", kind="cluster_congress", starts_on="2019-05-06")
    scan = tmp_path / "lista podpisów.pdf"
    scan.write_bytes(b"%PDF-1.4 signed")
    changes = core.backend.run(evidence.attach_file, profile=core.profile, entity="event",
                               record_id=event, path=scan, kind="signed-attendance")
    stored = core.backend.read(records.get, entity="attachment", record_id=changes.record_id)
    assert stored.values["kind"] == "signed_attendance"
    assert stored.values["linked_entity"] == "event" and stored.values["linked_id"] == event
    assert stored.values["file_name"] == "lista podpisów.pdf"
    sha = hashlib.sha256(b"%PDF-1.4 signed").hexdigest()
    assert stored.values["sha256"] == sha
    assert (core.profile.attachments / sha).read_bytes() == b"%PDF-1.4 signed"


@pytest.mark.parametrize(("entity", "kind", "missing", "error"), [
    ("event", "video", False, ValidationError),
    ("event", "photo", True, FileAccessError),
    ("merge", "photo", False, ValidationError),
])
def test_bad_input_is_refused_and_nothing_is_kept(core, add, tmp_path, entity, kind, missing,
                                                  error):
    event = add("event", title_pl="Kongres", kind="cluster_congress", starts_on="2019-05-06")
    photo = tmp_path / "photo.jpg"
    if not missing:
        photo.write_bytes(b"\xff\xd8 jpeg")
    before = _attachments(core)
    with pytest.raises(error):
        core.backend.run(evidence.attach_file, profile=core.profile, entity=entity,
                         record_id=event, path=photo, kind=kind)
    assert _attachments(core) == before


def test_a_record_that_is_not_there_gets_nothing(core, tmp_path):
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8 jpeg")
    with pytest.raises(NotFoundError):
        core.backend.run(evidence.attach_file, profile=core.profile, entity="event",
                         record_id="no-such-id", path=photo, kind="photo")
    assert not any(core.profile.attachments.glob("*"))  # no file copied in
