"""The folder mailbox with real files and real bundles: what it lists, what it leaves out
(temporary files, half-copied bundles), what it refuses (paths for keys), and what a pulled
drive, a full disk, a read-only drive and a folder one may not write say.

Faults are real where the machine allows: a full disk is a process limited in the size of
the files it writes (EFBIG, as in test_disk_full.py) and a tiny tmpfs (ENOSPC), a read-only
drive a read-only bind mount, both in a mount namespace of their own (``unshare``); a
folder one may not write is one of another user's, written to as ``nobody`` when the tests
run as root.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import tracemalloc
import uuid
import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import pytest
from sync_network import Network, Replica

from euregionet_desktop import i18n
from euregionet_desktop.errors import MailboxError, MailboxOffline
from euregionet_desktop.mailbox import open_mailbox
from euregionet_desktop.mailbox.base import Posted
from euregionet_desktop.mailbox.folder import (
    PUSHED_AGE_SECONDS,
    SETTLE_SECONDS,
    FolderMailbox,
    looks_whole,
)
from euregionet_desktop.paths import Profile
from euregionet_desktop.services import bundle_export

ROOT = Path(__file__).resolve().parents[2]
PLANTED = "Zwierzyniec Planted Name Qx7"
OFFLINE = "The mailbox folder “{folder}” cannot be reached"
FULL = "The disk holding the mailbox folder “{folder}” is full; no bundle was left there."
READ_ONLY = "The mailbox folder “{folder}” is on a read-only drive"
NO_WRITE = "You may not write to the mailbox folder “{folder}”."
NO_READ = "You may not read the mailbox folder “{folder}”."
# The start of an age file as pyrage writes it (a recipient stanza, the MAC line).
AGE_HEADER = (b"age-encryption.org/v1\n-> X25519 OeYQDzQ0eDvl0w0JvNSR8FNuAyM6OGRzRq6Tm0hNOW8\n"
              b"6k8c9q3sZKa0r7Fw6wFI2bKQ2tJyUBb5hQ0I6tEy9Ik\n--- pBv6yE3eGmXq0a1w8nXlUhmNhA\n")


@dataclass(frozen=True)
class Bundles:
    """Real bundles BIC made for LOP: one signed and encrypted, one signed only, and the
    LOP profile (a closed copy) that can import them."""

    encrypted: bytes
    encrypted_id: str
    plain: bytes
    plain_id: str
    lop: Path


@pytest.fixture(scope="module")
def bundles(tmp_path_factory) -> Bundles:
    root = tmp_path_factory.mktemp("mailbox-bundles")
    network = Network.create(root / "net", ("BIC", "LOP"))
    bic, lop = network.replicas
    bic.add("organisation", name=PLANTED, country="PL")
    bic.add("organisation", name="Odra Logistik", country="DE")
    made = {}
    for encrypt in (True, False):
        path = root / f"bundle-{encrypt}.eurnet"
        made[encrypt] = bic.run(bundle_export.export_bundle, profile=bic.profile,
                                to_office="LOP", path=path, encrypt=encrypt)
    network.close()
    return Bundles(made[True].path.read_bytes(), made[True].bundle_id,
                   made[False].path.read_bytes(), made[False].bundle_id, lop.profile.root)


def posted(bundle_id: str, data: bytes) -> Posted:
    return Posted(bundle_id=bundle_id, origin_office="BIC",
                  origin_installation=str(uuid.uuid4()), recipients=("LOP",), data=data)


def put(folder: Path, name: str, data: bytes, *, age: float = 60.0,
        now: float | None = None) -> Path:
    """A file as a cloud client or a person leaves it, last written ``age`` seconds ago."""
    path = folder / name
    path.write_bytes(data)
    then = (time.time() if now is None else now) - age
    os.utime(path, (then, then))
    return path


def listed(mailbox: FolderMailbox, handled=()) -> tuple[tuple[str, ...], tuple[str, ...]]:
    waiting = mailbox.waiting(office="LOP", installation=str(uuid.uuid4()), cursor=None,
                              handled=frozenset(handled))
    assert waiting.cursor is None
    return waiting.keys, waiting.incomplete


def everything_in(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


@pytest.fixture
def folder(tmp_path) -> Path:
    path = tmp_path / "Shared Drive" / "EuRegioNet hub"
    path.mkdir(parents=True)
    return path


# -- push, list, fetch ------------------------------------------------------------------


def test_a_pushed_bundle_is_listed_fetched_whole_and_imports(bundles, folder, tmp_path):
    """BIC's encrypted bundle pushed to the folder is listed under its id, fetched byte for
    byte, holds no readable name, and LOP imports what was fetched."""
    mailbox = open_mailbox(str(folder))
    assert isinstance(mailbox, FolderMailbox)
    assert mailbox.location == str(folder)
    assert mailbox.push(posted(bundles.encrypted_id, bundles.encrypted)) is True
    key = f"{bundles.encrypted_id}.eurnet"
    assert everything_in(folder) == [key]  # no temporary file left beside it
    assert listed(mailbox) == ((key,), ())
    data = mailbox.fetch(key)
    assert data == bundles.encrypted
    assert PLANTED.encode() not in (folder / key).read_bytes()

    lop = tmp_path / "LOP"
    shutil.copytree(bundles.lop, lop)
    replica = Replica("LOP", "LOP", Profile(lop))
    try:
        fetched = tmp_path / "fetched.eurnet"
        fetched.write_bytes(data)
        report = replica.import_(fetched)
        assert report.encrypted and report.bundle_id == bundles.encrypted_id
        assert report.applied > 0
        assert PLANTED in replica.dump().decode()
    finally:
        replica.close()


def test_pushing_a_bundle_again_leaves_the_first_as_it_was(bundles, folder):
    """A second push of the same bundle id is False and changes no byte of the file (not
    even when other bytes come with it)."""
    mailbox = FolderMailbox(folder)
    assert mailbox.push(posted(bundles.plain_id, bundles.plain)) is True
    path = folder / f"{bundles.plain_id}.eurnet"
    before = path.stat()
    assert mailbox.push(posted(bundles.plain_id, bundles.plain)) is False
    assert mailbox.push(posted(bundles.plain_id, bundles.encrypted)) is False
    assert path.read_bytes() == bundles.plain
    assert path.stat().st_mtime_ns == before.st_mtime_ns
    assert everything_in(folder) == [path.name]


def test_a_pushed_bundle_can_be_read_at_once_by_another_installation(bundles, folder):
    """Pushed bundles appear whole (renamed into place), so they are not held back for
    the settle time, and they list in the order they were pushed."""
    ids = [str(uuid.uuid4()) for _ in range(3)]
    pusher = FolderMailbox(folder)
    for bundle_id in ids:
        assert pusher.push(posted(bundle_id, bundles.encrypted))
        time.sleep(0.01)  # mtimes in order
    reader = FolderMailbox(str(folder))
    assert listed(reader) == (tuple(f"{i}.eurnet" for i in ids), ())
    assert all(time.time() - (folder / f"{i}.eurnet").stat().st_mtime >= PUSHED_AGE_SECONDS - 1
               for i in ids)


def test_the_listing_is_oldest_first_then_by_name_and_leaves_out_what_was_handled(
        bundles, folder):
    now = time.time()
    put(folder, "c.eurnet", bundles.plain, age=300, now=now)
    put(folder, "b.eurnet", bundles.plain, age=100, now=now)
    put(folder, "a.eurnet", bundles.plain, age=100, now=now)
    put(folder, "d.eurnet", bundles.plain, age=500, now=now)
    mailbox = FolderMailbox(folder)
    assert listed(mailbox) == (("d.eurnet", "c.eurnet", "a.eurnet", "b.eurnet"), ())
    assert listed(mailbox, handled={"c.eurnet", "a.eurnet"}) == (("d.eurnet", "b.eurnet"), ())


def test_a_folder_path_with_a_tilde_or_a_file_url_is_the_folder(bundles, folder):
    mailbox = FolderMailbox("~/EuRegioNet hub")
    assert mailbox.location == str(Path.home() / "EuRegioNet hub")
    mailbox = open_mailbox(folder.as_uri())  # file:///…/Shared%20Drive/EuRegioNet%20hub
    assert mailbox.location == str(folder)
    assert mailbox.push(posted(bundles.plain_id, bundles.plain))
    assert everything_in(folder) == [f"{bundles.plain_id}.eurnet"]


# -- what is listed and what is not ----------------------------------------------------


def test_temporary_hidden_and_other_files_are_never_listed(bundles, folder, tmp_path):
    """Files on their way (this mailbox's, Syncthing's, Nextcloud's, browsers'), lock
    files, folders, links and other files are left out, even with a bundle's bytes."""
    outside = put(tmp_path, "outside.eurnet", bundles.plain)
    for name in (f".{uuid.uuid4()}.eurnet.1a2b3c4d.part", ".syncthing.x.eurnet.tmp",
                 ".x.eurnet.~12ab", "x.eurnet.part", "x.eurnet.tmp", "x.eurnet.partial",
                 "~$x.eurnet", "~x.eurnet", ".hidden.eurnet", "notes.txt", "x.eurnet.zip"):
        put(folder, name, bundles.plain)
    (folder / "folder.eurnet").mkdir()
    (folder / "link.eurnet").symlink_to(outside)
    put(folder, "real.eurnet", bundles.plain)
    mailbox = FolderMailbox(folder)
    assert listed(mailbox) == (("real.eurnet",), ())
    assert mailbox.fetch("link.eurnet") is None  # a link is no bundle of the folder
    assert mailbox.fetch("folder.eurnet") is None


def test_conflict_copies_of_cloud_clients_are_listed_like_any_bundle(bundles, folder):
    """Conflict copies (Dropbox, OneDrive in German, Nextcloud, Syncthing) and a name in
    capitals are bundles: listed, and fetched whole."""
    bundle_id = bundles.encrypted_id
    names = [f"{bundle_id}.eurnet",
             f"{bundle_id} (conflicted copy).eurnet",
             f"{bundle_id} (Konflikt mit Büro-Laptop 2026-12-06).eurnet",
             f"{bundle_id} (conflicted copy 2026-12-06 101010).eurnet",
             f"{bundle_id}.sync-conflict-20261206-101010-ABCDEFG.eurnet",
             f"{bundle_id}.EURNET"]
    for age, name in enumerate(reversed(names)):
        put(folder, name, bundles.encrypted, age=100 + age)
    mailbox = FolderMailbox(folder)
    assert listed(mailbox) == (tuple(names), ())
    assert all(mailbox.fetch(name) == bundles.encrypted for name in names)


# -- half-copied bundles ---------------------------------------------------------------


def test_every_truncated_copy_of_a_plain_bundle_is_told_apart(bundles):
    """A zip cut anywhere is not whole (its end record comes last); the whole one is."""
    data = bundles.plain
    assert looks_whole(BytesIO(data), len(data))
    cuts = sorted({*range(0, len(data), 7), *range(max(0, len(data) - 300), len(data))})
    assert [cut for cut in cuts if looks_whole(BytesIO(data[:cut]), cut)] == []
    # Space taken for the whole file, the end still zeros (a copy preallocating it).
    for written in (0, len(data) // 2, len(data) - 22):
        padded = data[:written] + bytes(len(data) - written)
        assert not looks_whole(BytesIO(padded), len(padded))
    assert zipfile.is_zipfile(BytesIO(data))  # positive control: a real zip


def test_what_can_be_told_of_an_encrypted_bundle_without_its_key(bundles):
    """An age file cut in its header, cut to a length its chunks cannot have, or zeros at
    its end is not whole; the whole one is."""
    data = bundles.encrypted
    header_end = data.index(b"\n--- ")
    header_end = data.index(b"\n", header_end + 1) + 1
    assert looks_whole(BytesIO(data), len(data))
    for cut in range(0, header_end + 32):
        assert not looks_whole(BytesIO(data[:cut]), cut), cut
    zeros = data[:len(data) // 2] + bytes(len(data) - len(data) // 2)
    assert not looks_whole(BytesIO(zeros), len(zeros))
    odd = len(data) - (len(data) - header_end - 16) % (64 * 1024 + 16) + 5
    if odd < len(data):  # the last chunk cut to less than its tag
        assert not looks_whole(BytesIO(data[:odd]), odd)


def test_a_half_copied_bundle_waits_until_it_is_whole(bundles, folder):
    """A truncated zip, an encrypted bundle still being written (changed just now) and
    one with space taken but the end not yet written are incomplete: not listed as keys,
    fetched as None. Whole, they are listed and fetched."""
    put(folder, "plain.eurnet", bundles.plain[: len(bundles.plain) * 2 // 3])
    half = len(bundles.encrypted) // 2
    growing = put(folder, "growing.eurnet", bundles.encrypted[:half], age=0)
    put(folder, "taken.eurnet", bundles.encrypted[:1000]
                + bytes(len(bundles.encrypted) - 1000))
    put(folder, "whole.eurnet", bundles.encrypted, age=1000)
    mailbox = FolderMailbox(folder)
    keys, incomplete = listed(mailbox)
    assert keys == ("whole.eurnet",)
    assert sorted(incomplete) == ["growing.eurnet", "plain.eurnet", "taken.eurnet"]
    assert [mailbox.fetch(name) for name in incomplete] == [None, None, None]

    # The copies go on; the one still growing is whole now but was written just now.
    with growing.open("ab") as file:
        file.write(bundles.encrypted[half:])
    assert listed(mailbox)[0] == ("whole.eurnet",)
    assert mailbox.fetch("growing.eurnet") is None
    put(folder, "plain.eurnet", bundles.plain, age=30)
    put(folder, "growing.eurnet", bundles.encrypted, age=20)
    put(folder, "taken.eurnet", bundles.encrypted, age=10)
    keys, incomplete = listed(mailbox)
    assert keys == ("whole.eurnet", "plain.eurnet", "growing.eurnet", "taken.eurnet")
    assert incomplete == ()
    assert mailbox.fetch("plain.eurnet") == bundles.plain
    assert mailbox.fetch("growing.eurnet") == bundles.encrypted


def test_a_file_with_a_share_clock_ahead_is_not_held_back_for_ever(bundles, folder):
    """A modification time far in the future is a share's clock, not a write under way."""
    put(folder, "ahead.eurnet", bundles.encrypted, age=-3600)
    put(folder, "just-now.eurnet", bundles.encrypted, age=-SETTLE_SECONDS / 2)
    assert listed(FolderMailbox(folder)) == (("ahead.eurnet",), ("just-now.eurnet",))


# -- keys are names, never paths -------------------------------------------------------


BAD_KEYS = ("../outside.eurnet", "sub/x.eurnet", "..\\outside.eurnet", "..", ".",
            "/etc/passwd", "C:x.eurnet", "", ".hidden.eurnet", "x.eurnet\0")


@pytest.mark.parametrize("key", BAD_KEYS)
def test_a_key_that_is_a_path_is_refused(bundles, folder, tmp_path, key):
    """fetch and prune refuse a key that is not a bundle's name in the folder, with one
    translated line, and touch nothing (the file outside is still there)."""
    (folder / "sub").mkdir()
    put(folder / "sub", "x.eurnet", bundles.plain)
    outside = put(tmp_path / "Shared Drive", "outside.eurnet", bundles.plain)
    put(folder, "kept.eurnet", bundles.plain)
    mailbox = FolderMailbox(folder)
    for call in (lambda: mailbox.fetch(key), lambda: mailbox.prune(["kept.eurnet", key])):
        with pytest.raises(MailboxError) as refused:
            call()
        assert type(refused.value) is MailboxError
        assert str(refused.value) == (
            f"“{key}” is not the name of a bundle in the mailbox folder “{folder}”.")
    assert outside.read_bytes() == bundles.plain
    assert (folder / "kept.eurnet").exists() and (folder / "sub" / "x.eurnet").exists()


def test_a_bundle_id_that_is_a_path_is_not_pushed(bundles, folder, tmp_path):
    mailbox = FolderMailbox(folder)
    for bundle_id in ("../outside", "sub/x", ".hidden"):
        with pytest.raises(MailboxError, match="is not the name of a bundle"):
            mailbox.push(posted(bundle_id, bundles.plain))
    assert everything_in(folder) == []
    assert everything_in(tmp_path / "Shared Drive") == ["EuRegioNet hub"]


# -- prune -----------------------------------------------------------------------------


def test_prune_removes_the_named_bundle_files_in_the_folder_only(bundles, folder, tmp_path):
    """Named bundle files go and are counted; a missing one is no error; a folder or a
    link that has a bundle's name stays, and so does the file a link points to."""
    mailbox = FolderMailbox(folder)
    ids = [str(uuid.uuid4()) for _ in range(3)]
    for bundle_id in ids:
        mailbox.push(posted(bundle_id, bundles.encrypted))
    outside = put(tmp_path, "outside.eurnet", bundles.plain)
    (folder / "link.eurnet").symlink_to(outside)
    (folder / "folder.eurnet").mkdir()
    keys = [f"{i}.eurnet" for i in ids]
    assert mailbox.prune([keys[0], keys[2], "gone.eurnet", "link.eurnet", "folder.eurnet"]) == 2
    assert everything_in(folder) == sorted([keys[1], "link.eurnet", "folder.eurnet"])
    assert outside.read_bytes() == bundles.plain
    assert mailbox.prune([keys[0]]) == 0
    assert listed(mailbox) == ((keys[1],), ())


def test_prune_clears_what_pushes_that_died_left_a_day_ago_only(bundles, folder):
    """A push killed mid-way leaves a hidden temporary file; prune removes those a day
    old, and leaves a push under way (a recent one) and other hidden files alone."""
    old = put(folder, f".{uuid.uuid4()}.eurnet.0badc0de.part", bundles.plain[:500],
              age=2 * 24 * 3600)
    recent = put(folder, f".{uuid.uuid4()}.eurnet.1badc0de.part", bundles.plain[:500],
                 age=3600)
    other = put(folder, ".notes.part", b"someone else's", age=2 * 24 * 3600)
    mailbox = FolderMailbox(folder)
    assert mailbox.prune([]) == 0
    assert not old.exists() and recent.exists() and other.exists()


# -- a pulled drive, a full disk, a read-only drive, no permission ----------------------


def test_a_pulled_drive_is_offline_with_a_message_naming_the_folder(bundles, folder, tmp_path):
    """The folder gone (a USB stick pulled, a share not mounted): every operation says so
    in one translated line naming the folder; nothing is written anywhere."""
    mailbox = FolderMailbox(folder)
    mailbox.push(posted(bundles.plain_id, bundles.plain))
    stick = tmp_path / "Shared Drive"
    stick.rename(tmp_path / "pulled")
    operations = {
        "push": lambda: mailbox.push(posted(str(uuid.uuid4()), bundles.plain)),
        "waiting": lambda: listed(mailbox),
        "fetch": lambda: mailbox.fetch(f"{bundles.plain_id}.eurnet"),
        "prune": lambda: mailbox.prune([f"{bundles.plain_id}.eurnet"]),
    }
    for name, operation in operations.items():
        with pytest.raises(MailboxOffline) as offline:
            operation()
        message = str(offline.value)
        assert message.startswith(OFFLINE.format(folder=folder)), name
        assert "\n" not in message
    previous = i18n.current_language()
    try:
        i18n.set_language("pl")
        with pytest.raises(MailboxOffline) as offline:
            listed(mailbox)
        assert str(offline.value).startswith(f"Folder skrzynki wymiany „{folder}” jest "
                                             "niedostępny")
        i18n.set_language("de")
        with pytest.raises(MailboxOffline) as offline:
            mailbox.push(posted(str(uuid.uuid4()), bundles.plain))
        assert str(offline.value).startswith(f"Der Postfachordner „{folder}“ ist nicht "
                                             "erreichbar")
    finally:
        i18n.set_language(previous)
    assert not stick.exists()
    assert everything_in(tmp_path / "pulled" / folder.name) == [f"{bundles.plain_id}.eurnet"]
    # Plugged in again: the next sync goes on.
    (tmp_path / "pulled").rename(stick)
    assert mailbox.push(posted(str(uuid.uuid4()), bundles.plain)) is True
    assert len(listed(mailbox)[0]) == 2


def test_a_file_where_the_folder_should_be_is_refused(bundles, tmp_path):
    path = put(tmp_path, "hub", b"not a folder")
    with pytest.raises(MailboxError) as refused:
        FolderMailbox(path).push(posted(str(uuid.uuid4()), bundles.plain))
    assert type(refused.value) is MailboxError
    assert str(refused.value) == f"“{path}” is not a folder. Choose a folder for the mailbox."


# A push in a process of its own (under a file-size limit, in a mount namespace, as another
# user), then what the folder holds, then a small push once the way is clear.
PUSH_SCRIPT = r"""
import json, os, sys, uuid
from euregionet_desktop import i18n
from euregionet_desktop.errors import MailboxError
from euregionet_desktop.mailbox.base import Posted
from euregionet_desktop.mailbox.folder import FolderMailbox

folder, size, small, prepare = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
i18n.set_language(sys.argv[5])
if prepare:
    os.system(prepare)
mailbox = FolderMailbox(folder)
def push(n):
    data = b"age-encryption.org/v1\n-> X25519 a\nb\n--- c\n" + os.urandom(n)
    try:
        return {"pushed": mailbox.push(Posted(str(uuid.uuid4()), "BIC", "x", ("LOP",), data))}
    except MailboxError as error:
        return {"error": type(error).__name__, "message": str(error)}
report = push(size)
try:
    report["left"] = sorted(os.listdir(folder))
except PermissionError:
    report["left"] = None
try:
    w = mailbox.waiting(office="LOP", installation="x", cursor=None, handled=())
    report["listed"] = list(w.keys) + list(w.incomplete)
    report["incomplete"] = list(w.incomplete)
    report["fetched"] = {key: len(mailbox.fetch(key) or b"") for key in w.keys}
    for key in w.incomplete:
        try:
            report["fetched"][key] = mailbox.fetch(key)
        except MailboxError as error:
            report["fetched"][key] = str(error)
except MailboxError as error:
    report["listed"] = str(error)
report["then"] = push(small)
print(json.dumps(report))
"""


def push_elsewhere(folder: Path, size: int, small: int, *, prefix: tuple[str, ...] = (),
                   prepare: str = "", limit: int | None = None, language: str = "en") -> dict:
    """Run PUSH_SCRIPT (under ``prefix``, with a file-size ``limit``)."""

    def setup() -> None:
        if limit is not None:
            import resource

            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))

    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1",
           "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "LANGUAGE": "",
           "EUREGIONET_CONFIG_DIR": tempfile.mkdtemp(prefix="euregionet-config-")}
    result = subprocess.run(
        [*prefix, sys.executable, "-c", PUSH_SCRIPT, str(folder), str(size), str(small),
         prepare, language],
        capture_output=True, text=True, timeout=120, env=env, cwd=ROOT, preexec_fn=setup)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return json.loads(result.stdout)


def in_namespace_can(mount: str) -> bool:
    """Whether this machine lets an ``unshare -rm`` namespace run ``mount``."""
    if shutil.which("unshare") is None:
        return False
    probe = Path(tempfile.mkdtemp(prefix="euregionet-ns-"))
    try:
        result = subprocess.run(["unshare", "-rm", "sh", "-c", mount, "sh", str(probe)],
                                capture_output=True, timeout=30)
        return result.returncode == 0
    finally:
        shutil.rmtree(probe, ignore_errors=True)


TMPFS = 'mount -t tmpfs -o size=256k tmpfs "$1"'
READ_ONLY_BIND = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1"'


@pytest.mark.skipif(os.name != "posix", reason="a file-size limit is POSIX")
def test_a_full_disk_refuses_the_push_and_leaves_no_file(folder):
    """Writes that fail part-way (EFBIG, as a full USB stick stops them): one line saying
    the disk is full, no file left (not even a hidden one), nothing listed; a bundle that
    fits goes through."""
    report = push_elsewhere(folder, 3 << 20, 100_000, limit=1 << 20)
    assert report["error"] == "MailboxError"
    assert report["message"] == FULL.format(folder=folder) + (
        " Free some space there and sync again.")
    assert report["left"] == [] and report["listed"] == []
    assert report["then"] == {"pushed": True}
    assert len(everything_in(folder)) == 1


@pytest.mark.skipif(os.name != "posix", reason="a file-size limit is POSIX")
def test_a_push_killed_mid_write_leaves_nothing_listed_and_the_next_push_goes_through(
        bundles, folder):
    """The process is killed (SIGXFSZ, not ignored) while the bundle's bytes are written:
    what it left is a hidden temporary file, never listed; the bundle is pushed again."""
    import resource

    bundle_id = str(uuid.uuid4())
    script = ("import signal, sys\n"
              "signal.signal(signal.SIGXFSZ, signal.SIG_DFL)  # Python ignores it: be killed\n"
              "from euregionet_desktop.mailbox.base import Posted\n"
              "from euregionet_desktop.mailbox.folder import FolderMailbox\n"
              "data = open(sys.argv[2], 'rb').read()\n"
              "FolderMailbox(sys.argv[1]).push(Posted(sys.argv[3], 'BIC', 'x', ('LOP',), data))\n")
    source = put(folder.parent, "source.bin", AGE_HEADER + os.urandom(3 << 20))

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, resource.RLIM_INFINITY))

    result = subprocess.run([sys.executable, "-c", script, str(folder), str(source), bundle_id],
                            capture_output=True, timeout=120, cwd=ROOT, preexec_fn=limit,
                            env={**os.environ, "PYTHONPATH": str(ROOT),
                                 "PYTHONDONTWRITEBYTECODE": "1"})
    assert result.returncode == -signal.SIGXFSZ, result.stderr
    left = everything_in(folder)
    assert len(left) == 1 and left[0].startswith(f".{bundle_id}.eurnet.")
    assert left[0].endswith(".part")
    assert (folder / left[0]).stat().st_size == 1 << 20  # killed part-way
    mailbox = FolderMailbox(folder)
    assert listed(mailbox) == ((), ())
    assert mailbox.fetch(f"{bundle_id}.eurnet") is None
    data = source.read_bytes()
    assert mailbox.push(posted(bundle_id, data)) is True
    assert listed(mailbox) == ((f"{bundle_id}.eurnet",), ())
    assert mailbox.fetch(f"{bundle_id}.eurnet") == data


@pytest.mark.skipif(not in_namespace_can(TMPFS), reason="no mount namespace for a tmpfs here")
def test_a_tmpfs_that_fills_up_refuses_the_push_in_polish_too(folder):
    """A real ENOSPC on a 256 KiB tmpfs: the message (in Polish), no file left, and a
    small bundle still fits afterwards."""
    report = push_elsewhere(folder, 1 << 20, 20_000, prefix=("unshare", "-rm"),
                            prepare=TMPFS.replace('"$1"', f"'{folder}'"), language="pl")
    assert report["error"] == "MailboxError"
    assert report["message"].startswith(
        f"Dysk, na którym znajduje się folder skrzynki wymiany „{folder}”, jest pełny")
    assert report["left"] == [] and report["listed"] == []
    assert report["then"] == {"pushed": True}
    assert everything_in(folder) == []  # the tmpfs went with its namespace


@pytest.mark.skipif(not in_namespace_can(READ_ONLY_BIND),
                    reason="no mount namespace for a read-only bind mount here")
def test_a_read_only_drive_refuses_the_push_but_can_be_pulled_from(bundles, folder):
    put(folder, "waiting.eurnet", bundles.encrypted)
    report = push_elsewhere(folder, 10_000, 10_000, prefix=("unshare", "-rm"),
                            prepare=READ_ONLY_BIND.replace('"$1"', f"'{folder}'"))
    assert report["error"] == "MailboxError"
    assert report["message"] == READ_ONLY.format(folder=folder) + (
        "; no bundle can be left there. Choose a folder you can write to.")
    assert report["left"] == ["waiting.eurnet"] and report["listed"] == ["waiting.eurnet"]
    assert report["then"]["error"] == "MailboxError"
    assert everything_in(folder) == ["waiting.eurnet"]


def as_another_user() -> tuple[str, ...] | None:
    """A command prefix under which the folder's owner is held to its permissions: none
    needed for a user; for root, a user namespace where it is an ordinary user (without
    one, None: root may write anywhere)."""
    if os.geteuid() != 0:
        return ()
    prefix = ("unshare", "-U", "--map-user=1000", "--map-group=1000")
    if shutil.which("unshare") and subprocess.run(
            [*prefix, "true"], capture_output=True, timeout=30).returncode == 0:
        return prefix
    return None


ANOTHER_USER = as_another_user() if os.name == "posix" else None


@pytest.mark.skipif(ANOTHER_USER is None, reason="root without a user namespace here")
def test_a_folder_one_may_not_write_or_read_says_so(bundles, folder):
    """A folder one may only read: the push is refused in one line and leaves nothing, and
    the bundles in it can still be listed. A folder one may not list: that is said."""
    put(folder, "waiting.eurnet", bundles.encrypted)
    folder.chmod(0o555)
    try:
        report = push_elsewhere(folder, 10_000, 10_000, prefix=ANOTHER_USER)
        assert report["error"] == "MailboxError"
        assert report["message"] == NO_WRITE.format(folder=folder) + (
            " Check its permissions or choose another folder.")
        assert report["left"] == ["waiting.eurnet"]
        assert report["listed"] == ["waiting.eurnet"]
        folder.chmod(0o311)  # may enter and write, not read the list of files
        report = push_elsewhere(folder, 10_000, 10_000, prefix=ANOTHER_USER)
        assert report["listed"] == NO_READ.format(folder=folder) + (
            " Check its permissions or choose another folder.")
        assert report["then"] == {"pushed": True}  # writing is still allowed
        # One bundle one may not read holds up no sync: it waits; fetching it says why.
        folder.chmod(0o755)
        put(folder, "secret.eurnet", bundles.encrypted).chmod(0o000)
        report = push_elsewhere(folder, 10_000, 10_000, prefix=ANOTHER_USER)
        assert report["incomplete"] == ["secret.eurnet"]
        assert report["fetched"]["waiting.eurnet"] == len(bundles.encrypted)
        assert report["fetched"]["secret.eurnet"] == (
            f"You may not read “secret.eurnet” in the mailbox folder “{folder}”. Check its "
            "permissions.")
    finally:
        folder.chmod(0o755)
    assert len(everything_in(folder)) == 6


# -- a large bundle --------------------------------------------------------------------


def test_a_large_bundle_is_pushed_without_a_second_copy_in_memory(folder):
    """50 MB go to the folder from the bytes held, not through a copy of them."""
    data = AGE_HEADER + os.urandom(50 << 20)
    bundle_id = str(uuid.uuid4())
    mailbox = FolderMailbox(folder)
    tracemalloc.start()
    try:
        assert mailbox.push(posted(bundle_id, data))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 << 20, peak
    assert (folder / f"{bundle_id}.eurnet").stat().st_size == len(data)
    assert mailbox.fetch(f"{bundle_id}.eurnet") == data
