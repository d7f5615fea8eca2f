"""Several files attached to a record as one action: all or none, undone and redone as
one step; a record's attachments listed; an attachment removed and brought back."""

from __future__ import annotations

import pytest

from euregionet_desktop.errors import FileAccessError, NotFoundError, ValidationError
from euregionet_desktop.services import attaching, records
from euregionet_desktop.services.dump import dump
from euregionet_desktop.services.evidence import MAX_ATTACHMENT_BYTES
from euregionet_desktop.services.undo import redo, undo


@pytest.fixture
def event(add):
    return add("event", title_pl="Kongres", kind="cluster_congress", starts_on="2019-05-06")


def _files(tmp_path, *names):
    paths = []
    for name in names:
        paths.append(tmp_path / name)
        paths[-1].write_bytes(f"content of {name}".encode())
    return paths


def _listed(core, event):
    return core.backend.read(attaching.attachments_of, entity="event", record_id=event)


def test_files_attach_as_one_step_undone_and_redone(core, event, tmp_path):
    paths = _files(tmp_path, "lista 1.pdf", "lista 2.pdf")
    seen = []
    changes = core.backend.run(attaching.attach_files, profile=core.profile, entity="event",
                               record_id=event, paths=paths, kind="signed_attendance",
                               progress=lambda stage, done, total: seen.append((done, total)))
    assert seen == [(0, 2), (1, 2), (2, 2)]
    listed = _listed(core, event)
    assert sorted(a.file_name for a in listed) == ["lista 1.pdf", "lista 2.pdf"]
    assert {a.kind for a in listed} == {"signed_attendance"}
    assert changes.undo.label == "Attach 2 files"
    core.backend.run(undo, step=changes.undo)
    assert _listed(core, event) == ()
    core.backend.run(redo, step=changes.undo)
    assert len(_listed(core, event)) == 2


@pytest.mark.parametrize("bad", ["missing", "too large", "folder"])
def test_one_bad_file_attaches_none(core, event, tmp_path, bad):
    good = _files(tmp_path, "lista.pdf")[0]
    if bad == "missing":
        other = tmp_path / "nie ma.pdf"
    elif bad == "folder":
        other = tmp_path / "katalog"
        other.mkdir()
    else:
        other = tmp_path / "film.mp4"
        with other.open("wb") as handle:
            handle.truncate(MAX_ATTACHMENT_BYTES + 1)
    before = core.backend.read(dump)
    with pytest.raises(FileAccessError) as refused:
        core.backend.run(attaching.attach_files, profile=core.profile, entity="event",
                         record_id=event, paths=[good, other], kind="photo")
    assert str(refused.value).startswith("Nothing was attached.")
    assert other.name in str(refused.value) and "lista.pdf" not in str(refused.value)
    assert core.backend.read(dump) == before
    assert not any(core.profile.attachments.glob("*"))


def test_unknown_kind_or_record_is_refused(core, event, tmp_path):
    paths = _files(tmp_path, "a.pdf")
    with pytest.raises(ValidationError):
        core.backend.run(attaching.attach_files, profile=core.profile, entity="event",
                         record_id=event, paths=paths, kind="video")
    with pytest.raises(NotFoundError):
        core.backend.run(attaching.attach_files, profile=core.profile, entity="event",
                         record_id="no-such-event", paths=paths, kind="photo")
    assert _listed(core, event) == ()


def test_a_removed_attachment_comes_back_with_undo(core, event, tmp_path):
    paths = _files(tmp_path, "zdjęcie.jpg")
    core.backend.run(attaching.attach_files, profile=core.profile, entity="event",
                     record_id=event, paths=paths, kind="photo")
    [info] = _listed(core, event)
    assert info.kind_label == "Photo" and info.size == paths[0].stat().st_size
    removed = core.backend.run(attaching.remove_attachment, attachment_id=info.id)
    assert _listed(core, event) == ()
    core.backend.run(undo, step=removed.undo)
    assert [a.id for a in _listed(core, event)] == [info.id]
    assert core.backend.read(records.get, entity="attachment",
                             record_id=info.id).values["linked_id"] == event


def test_default_kinds_by_record_type():
    assert attaching.default_kind("event").value == "signed_attendance"
    assert attaching.default_kind("action_plan").value == "signed_agreement"
    assert attaching.default_kind("initiative").value == "signed_agreement"
    assert attaching.default_kind("membership").value == "declaration"
    assert attaching.default_kind("contact").value == "file"
