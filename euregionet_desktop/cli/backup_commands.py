"""``backup create|list|restore``, and the checks and daily backup around every command."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import orjson
from babel import units

from euregionet_desktop import i18n
from euregionet_desktop.cli.parsers import add_action, add_group
from euregionet_desktop.cli.sync_commands import confirm
from euregionet_desktop.errors import BackupError, ValidationError
from euregionet_desktop.i18n import _
from euregionet_desktop.paths import Profile

if TYPE_CHECKING:
    from euregionet_desktop.services.backups import BackupInfo

# Commands (and actions) that change nothing in the database: no daily backup before them.
# ``bundle import`` makes its own backup before the import.
READ_ONLY_COMMANDS = frozenset({"fields", "list", "show", "search", "dump", "indicators",
                                "conflicts", "backup", "export", "duplicates"})
READ_ONLY_ACTIONS = {"keys": {"show", "export"}, "bundle": {"inspect", "import"},
                     "template": {"check", "export", "list"}, "retention": {"list"}}
CHECK_EVERY = dt.timedelta(days=1)


def warn_about_storage(profile: Profile) -> None:
    """One "Warning: …" line when the profile lives where SQLite's locking is unsafe."""
    from euregionet_desktop.services.profile import storage_warning

    warning = storage_warning(profile)
    if warning:
        sys.stderr.write(_("Warning: {message}").format(message=warning) + "\n")


def before_command(profile: Profile, args: argparse.Namespace) -> BackupInfo | None:
    """After the profile opened: the storage warning, the database check once a day, and
    the daily backup before a command that changes data (returned, to be told once the
    command succeeded)."""
    from euregionet_desktop.services import backups
    from euregionet_desktop.services.profile import check_database, last_check

    warn_about_storage(profile)
    checked = last_check(profile)
    if checked is None or dt.datetime.now() - checked > CHECK_EVERY:
        check_database(profile)
    return backups.backup_if_due(profile) if changes_data(args) else None


def tell_daily_backup(made: BackupInfo | None) -> None:
    if made is not None:
        sys.stderr.write(_("Daily backup made: {id}.").format(id=made.id) + "\n")


def changes_data(args: argparse.Namespace) -> bool:
    if args.command in READ_ONLY_COMMANDS or args.command == "init":
        return False  # a profile being set up has nothing to back up yet
    return getattr(args, "action", None) not in READ_ONLY_ACTIONS.get(args.command, ())


def size_text(size: int) -> str:
    return units.format_unit(size / 1_000_000, "digital-megabyte", length="short",
                             format="#,##0.0", locale=i18n.babel_locale())


def cmd_backup(profile: Profile, args: argparse.Namespace) -> int:
    """Runs with the profile locked but its database not opened, so that a damaged
    database or an interrupted update can be restored."""
    from euregionet_desktop.services import backups

    # An erasure's rewrite of the backups that was interrupted finishes first.
    for message in backups.scrub_backups(profile).messages:
        print(message, file=sys.stderr)
    if args.action == "create":
        made = backups.create_backup(profile, reason="manual")
        print(_("Backup {id} made ({size}).").format(id=made.id, size=size_text(made.size)))
        return 0
    if args.action == "list":
        found = backups.list_backups(profile)
        if args.json:
            sys.stdout.buffer.write(orjson.dumps([{
                "id": b.id, "created_at": b.created_at.isoformat(), "reason": b.reason,
                "size": b.size, "path": str(b.path)} for b in found],
                option=orjson.OPT_INDENT_2) + b"\n")
            return 0
        for b in found:
            print(f"{b.id:40} {i18n.format_datetime(b.created_at):20} "
                  f"{_(backups.REASON_LABELS[b.reason]):26} {size_text(b.size)}")
        if not found:
            print(_("No backups yet."), file=sys.stderr)
        return 0
    return _restore(profile, args)


def _restore(profile: Profile, args: argparse.Namespace) -> int:
    from euregionet_desktop.services import backups

    if args.newest == bool(args.id):
        raise ValidationError(_("Name the backup to restore (see “euregionet backup list”), "
                                "or use --newest for the newest sound one."))
    if args.newest:
        chosen = backups.newest_good_backup(profile)
        if chosen is None:
            raise BackupError(_("There is no sound backup to restore."))
    else:
        chosen = backups.find_backup(profile, args.id)
    question = _("Replace the data in {path} with the backup made {date} ({id})? The current "
                 "database is kept in the backups folder.").format(
        path=profile.root, date=i18n.format_datetime(chosen.created_at), id=chosen.id)
    if not confirm(question, args):
        print(_("Nothing was restored."))
        return 1
    report = backups.restore_backup(profile, chosen.id)
    print(_("Restored the backup made {date} ({id}).").format(
        date=i18n.format_datetime(report.backup.created_at), id=report.backup.id))
    if report.previous is not None:
        print(_("The database it replaced is kept as {path}.").format(path=report.previous))
    if report.installation is not None:
        print(_("The profile continues as a new installation ({installation}) of its office: "
                "partners send again what the backup lacks with their next bundles.").format(
            installation=report.installation))
    if report.erasures_applied:
        print(i18n.ngettext(
            "{count} record erased after the backup was made was erased again.",
            "{count} records erased after the backup was made were erased again.",
            report.erasures_applied).format(count=report.erasures_applied))
    return 0


COMMANDS: dict[str, Callable[[Any, argparse.Namespace], int]] = {
    "backup": cmd_backup,
}


def add_parsers(sub: Any) -> None:
    actions = add_group(sub, "backup", help_text=_(
        "copies of the profile's database: create, list, restore"))
    add_action(actions, "create", help_text=_("make a backup now"))
    p = add_action(actions, "list", help_text=_("list the backups, the newest first"))
    p.add_argument("--json", action="store_true")
    p = add_action(actions, "restore", help_text=_(
        "replace the profile's database with a backup"))
    p.add_argument("id", nargs="?", metavar="ID",
                   help=_("the backup to restore (see “backup list”)"))
    p.add_argument("--newest", action="store_true",
                   help=_("restore the newest sound backup"))
    p.add_argument("--yes", action="store_true", help=_("restore without asking"))
