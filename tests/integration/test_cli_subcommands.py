"""Sub-commands (``keys``, ``bundle``, ``template``, ``backup``) as a person types them: options
before or after the arguments, each sub-command's own ``--help``, one line for a wrong one."""

from __future__ import annotations

import tempfile
import uuid
import zipfile
from pathlib import Path

import pytest

from tests.integration.test_cli import ok_here as ok
from tests.integration.test_cli import one_line_error
from tests.integration.test_cli import run_here as run

# A folder that never holds a profile: help, usage errors and template files need none.
PROFILE_FREE = Path(tempfile.gettempdir()) / f"euregionet-no-profile-{uuid.uuid4().hex}"


@pytest.fixture(scope="module")
def offices(tmp_path_factory) -> dict[str, Path]:
    """Profiles for BIC, LOP and SNB; the key files of LOP and SNB beside them."""
    root = tmp_path_factory.mktemp("subcommands")
    dirs = {code: root / code for code in ("BIC", "LOP", "SNB")}
    for code, data_dir in dirs.items():
        ok(data_dir, "init", "--office", code)
        ok(data_dir, "keys", "export", "-o", str(root / f"{code}.json"))
    return dirs


@pytest.mark.parametrize(("partner", "order"), [
    ("LOP", lambda key: ("--yes", key)),
    ("SNB", lambda key: (key, "--yes")),
])
def test_keys_trust_takes_yes_before_or_after_the_file(offices, partner, order):
    """``keys trust --yes FILE`` and ``keys trust FILE --yes`` both trust the partner."""
    key = str(offices[partner].parent / f"{partner}.json")
    out = ok(offices["BIC"], "keys", "trust", *order(key))
    assert f"Trusted {partner}" in out
    assert f"Trusted: {partner}" in ok(offices["BIC"], "keys", "show")


def test_trust_without_yes_is_still_refused_off_a_terminal(offices):
    """The positive control: with no --yes (and no terminal) nothing is trusted."""
    key = str(offices["BIC"].parent / "BIC.json")
    line = one_line_error(run(offices["SNB"], "keys", "trust", key))
    assert "--yes" in line
    assert "BIC" not in ok(offices["SNB"], "keys", "show")


@pytest.fixture(scope="module")
def action_plan_template(tmp_path_factory) -> Path:
    """The default action plan template, saved with no profile."""
    path = tmp_path_factory.mktemp("template") / "plan.docx"
    ok(PROFILE_FREE, "template", "export", "action-plan", "-o", str(path))
    return path


@pytest.mark.parametrize("order", [
    lambda path, kind: ("--kind", kind, path),
    lambda path, kind: (path, "--kind", kind),
])
def test_template_check_takes_kind_before_or_after_the_file(action_plan_template, order):
    """``template check --kind action-plan FILE`` and ``… FILE --kind action-plan`` check the
    file as an action plan; --kind is read, not dropped: another kind is named when given."""
    out = ok(PROFILE_FREE, "template", "check", *order(str(action_plan_template),
                                                       "action-plan"))
    assert "checked as “Action plan”" in out
    assert "The template can be used." in out
    other = run(PROFILE_FREE, "template", "check", *order(str(action_plan_template),
                                                          "evaluation"))
    assert "checked as “Evaluation report”" in other.stdout, other.stderr


def test_backup_restore_takes_yes_before_the_id(offices):
    """``backup restore --yes ID``: the id after an option is still the backup restored."""
    made = ok(offices["LOP"], "backup", "create").split()[1]
    out = ok(offices["LOP"], "backup", "restore", "--yes", made)
    assert f"({made})" in out


def test_doc_takes_its_options_before_the_record(offices, tmp_path):
    """``doc action-plan --lang de -o FILE ID`` writes the document of that record."""
    data_dir = offices["SNB"]
    cluster = ok(data_dir, "add", "cluster", "name_pl=Klaster Kolejność", "country=PL").strip()
    plan = ok(data_dir, "add", "action_plan", f"cluster_id={cluster}",
              "title=Plan w dowolnej kolejności").strip()
    output = tmp_path / "plan.docx"
    ok(data_dir, "doc", "action-plan", "--lang", "de", "-o", str(output), plan)
    with zipfile.ZipFile(output) as docx:
        assert "Plan w dowolnej kolejności" in docx.read("word/document.xml").decode()


# Each sub-command, the arguments it needs, one option of its own and one of another
# sub-command of its group.
SUBCOMMANDS = [
    (("keys", "show"), (), None, "--output"),
    (("keys", "export"), (), "--output", "--yes"),
    (("keys", "trust"), ("k.json",), "--yes", "--output"),
    (("bundle", "export"), (), "--encrypt", "--dry-run"),
    (("bundle", "import"), ("b.zip",), "--dry-run", "--encrypt"),
    (("bundle", "inspect"), ("b.zip",), "--json", "--dry-run"),
    (("template", "check"), ("t.docx",), "--kind", "--active"),
    (("template", "export"), (), "--active", "--newest"),
    (("template", "load"), ("t.docx",), "--lang", "--active"),
    (("template", "use"), (), "--lang", "--output"),
    (("template", "list"), (), None, "--kind"),
    (("template", "fields"), ("action-plan",), "--json", "--active"),
    (("backup", "create"), (), None, "--yes"),
    (("backup", "list"), (), "--json", "--newest"),
    (("backup", "restore"), (), "--newest", "--json"),
]


@pytest.mark.parametrize(("command", "needs", "own", "foreign"), SUBCOMMANDS,
                         ids=[" ".join(c) for c, *_rest in SUBCOMMANDS])
def test_each_subcommand_has_its_own_help(command, needs, own, foreign):
    """``euregionet GROUP ACTION --help`` shows that sub-command's usage and options only;
    an option of another sub-command is refused as unrecognised."""
    result = run(PROFILE_FREE, *command, "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: euregionet " + " ".join(command)), result.stdout
    if own:
        assert own in result.stdout
    assert foreign not in result.stdout
    line = one_line_error(run(PROFILE_FREE, *command, *needs, foreign), code=2)
    assert f"unrecognized arguments: {foreign}" in line, line


@pytest.mark.parametrize(("group", "actions"), [
    ("keys", ("show", "export", "trust")),
    ("bundle", ("export", "import", "inspect")),
    ("template", ("check", "export", "load", "use", "list", "fields")),
    ("backup", ("create", "list", "restore")),
])
def test_each_group_help_lists_its_subcommands(group, actions):
    """``euregionet GROUP --help`` lists the group's sub-commands, each with a line of help."""
    result = run(PROFILE_FREE, group, "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"usage: euregionet {group} [-h] COMMAND ...")
    listed = [line.split()[0] for line in result.stdout.splitlines()
              if len(line) - len(line.lstrip()) == 4]
    assert listed == list(actions), result.stdout


def test_subcommand_help_speaks_the_chosen_language():
    """``--lang de keys trust --help``: argparse's words, the help and the metavar in German."""
    out = ok(PROFILE_FREE, "--lang", "de", "keys", "trust", "--help")
    assert out.startswith("Aufruf: euregionet keys trust [-h] [--yes] DATEI"), out
    assert "Optionen" in out and "ohne Rückfrage vertrauen" in out


@pytest.mark.parametrize(("language", "invalid"), [
    ("en", "invalid choice: 'frob'"),
    ("de", "ungültige Auswahl: 'frob'"),
    ("pl", "nieprawidłowy wybór: 'frob'"),
])
def test_an_unknown_subcommand_is_one_translated_line(language, invalid):
    """``keys frob`` is a usage error: exit 2, one line naming the choices and the help."""
    line = one_line_error(run(PROFILE_FREE, "--lang", language, "keys", "frob"), code=2)
    assert line.startswith("euregionet keys: ") and invalid in line, line
    assert "'show', 'export', 'trust'" in line and "euregionet keys --help" in line


def test_a_missing_subcommand_or_file_is_one_line():
    """``bundle`` alone and ``bundle import`` without its file: exit 2, one line each."""
    line = one_line_error(run(PROFILE_FREE, "bundle"), code=2)
    assert "required: COMMAND" in line and "euregionet bundle --help" in line
    line = one_line_error(run(PROFILE_FREE, "bundle", "import", "--dry-run"), code=2)
    assert "required: FILE" in line and "euregionet bundle import --help" in line
