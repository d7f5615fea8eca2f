"""``euregionet --self-test``: the installed app checked end to end, for installers and
support. A temporary profile (its database schema made by the migrations), demo data, the
main window shown and closed, one document rendered through the worker process and one
bundle exported and read back; one line per step, exit 0 when all pass. Nothing of the
person's own profile or settings is touched, and the temporary folder is removed.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from euregionet_desktop import installed_version
from euregionet_desktop.i18n import N_, _, ngettext
from euregionet_desktop.paths import Profile

STEP_PROFILE = N_("Temporary profile and database schema")
STEP_DEMO = N_("Demo data")
STEP_WINDOW = N_("Main window shown and closed")
STEP_DOCUMENT = N_("Document rendered in the worker process")
STEP_BUNDLE = N_("Bundle exported and read back")


class _State:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.core = None


def _profile(state: _State) -> str:
    from euregionet_desktop.services.profile import initialise, open_profile

    state.core = open_profile(Profile(state.root / "profile"), purpose="euregionet --self-test")
    state.core.backend.run(initialise, office="BIC", label=_("Self-test"),
                           advisor_name=_("Self-test"))
    return str(state.root)


def _demo(state: _State) -> str:
    from euregionet_desktop.services import demo, records

    state.core.backend.run(demo.generate)
    page = state.core.backend.read(records.list_page, entity="cluster", filter_text="",
                                   order_by=None, limit=None)
    return ngettext("{count} record", "{count} records", page.total).format(count=page.total)


def _window(state: _State) -> str:
    from euregionet_desktop.ui.self_check import show_and_close_main_window

    return _("Qt platform {platform}").format(platform=show_and_close_main_window(state.core))


def _document(state: _State) -> str:
    import docx

    from euregionet_desktop.services import documents, records

    page = state.core.backend.read(records.list_page, entity="action_plan", filter_text="",
                                   order_by=None, limit=1)
    if not page.rows:
        raise RuntimeError(_("The demo data holds no action plan."))
    output = state.root / "self-test.docx"
    state.core.backend.run(documents.generate_document, profile=state.core.profile,
                           kind="action-plan", record_id=page.rows[0].id, language="pl+de",
                           output=output)
    docx.Document(str(output))  # python-docx opens what the worker wrote
    return output.name


def _bundle(state: _State) -> str:
    from euregionet_desktop.services import bundle_export, bundle_import

    path = state.root / "self-test-bundle"
    exported = state.core.backend.run(bundle_export.export_bundle, profile=state.core.profile,
                                      to_office="LOP", path=path)
    summary = state.core.backend.read(bundle_import.inspect_bundle, profile=state.core.profile,
                                      data=Path(exported.path).read_bytes())
    if summary.changes != exported.changes or summary.origin_office != "BIC":
        raise RuntimeError(_("The bundle read back holds {read} changes; {exported} were "
                             "exported.").format(read=summary.changes,
                                                 exported=exported.changes))
    return ngettext("{count} change", "{count} changes", summary.changes).format(
        count=summary.changes)


STEPS: tuple[tuple[str, Callable[[_State], str]], ...] = (
    (STEP_PROFILE, _profile),
    (STEP_DEMO, _demo),
    (STEP_WINDOW, _window),
    (STEP_DOCUMENT, _document),
    (STEP_BUNDLE, _bundle),
)


def run_self_test(out: TextIO | None = None) -> int:
    """Run every step, one line each; stops at the first that fails (the later ones need
    it). Returns the exit code: 0 when all passed."""
    out = out or sys.stdout
    out.write(_("EuRegioNet Desktop {version}: self-test").format(
        version=installed_version()) + "\n")
    out.flush()
    state = _State(Path(tempfile.mkdtemp(prefix="euregionet-self-test-")))
    try:
        for name, step in STEPS:
            started = time.monotonic()
            try:
                detail = step(state)
            except Exception as error:  # the line names it; the traceback is for support
                out.write(_("{step}: FAILED: {error}").format(
                    step=_(name), error=str(error) or type(error).__name__) + "\n")
                traceback.print_exc(file=sys.stderr)
                out.write(_("Self-test failed.") + "\n")
                return 1
            out.write(_("{step}: ok ({detail}, {seconds} s)").format(
                step=_(name), detail=detail,
                seconds=f"{time.monotonic() - started:.1f}") + "\n")
            out.flush()
    finally:
        if state.core is not None:
            state.core.close()
        shutil.rmtree(state.root, ignore_errors=True)
    out.write(_("Self-test passed.") + "\n")
    return 0
