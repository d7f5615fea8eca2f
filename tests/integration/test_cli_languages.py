"""The command line in the chosen language: --lang, the saved setting, the system's."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.test_cli import ENV


def run(data_dir: Path, *args: str, config: Path | None = None,
        lang_env: str = "C.UTF-8") -> subprocess.CompletedProcess:
    env = {**ENV, "LANG": lang_env, "LC_ALL": lang_env, "LC_MESSAGES": lang_env}
    if config is not None:
        env["EUREGIONET_CONFIG_DIR"] = str(config)
    return subprocess.run(
        [sys.executable, "-m", "euregionet_desktop", "--data-dir", str(data_dir), *args],
        capture_output=True, text=True, env=env, timeout=120)


@pytest.fixture(scope="module")
def profile(tmp_path_factory) -> Path:
    data_dir = tmp_path_factory.mktemp("languages") / "profile"
    result = run(data_dir, "init", "--office", "SNB", "--advisor", "Ewa Kowalczyk")
    assert result.returncode == 0, result.stderr
    return data_dir


@pytest.mark.parametrize(("language", "error", "label"), [
    ("pl", "Błąd: NIP:", "Nazwisko"),
    ("de", "Fehler: NIP:", "Nachname"),
    ("en", "Error: NIP:", "Last name"),
])
def test_errors_and_output_follow_lang(profile, language, error, label):
    """A refused value and a field list in Polish, German and English."""
    refused = run(profile, "--lang", language, "add", "organisation", "name=X", "country=PL",
                  "nip=123")
    assert refused.returncode == 1 and refused.stderr.startswith(error), refused.stderr
    fields = run(profile, "--lang", language, "fields", "contact")
    assert label in fields.stdout


def test_usage_errors_from_argparse_are_translated(profile):
    """argparse's own messages (a missing argument, a wrong choice) speak German too."""
    missing = run(profile, "--lang", "de", "list")
    assert "erforderlich" in missing.stderr or "benötigt" in missing.stderr, missing.stderr
    wrong = run(profile, "--lang", "pl", "doc", "nonsense")
    assert "nieprawidłow" in wrong.stderr.lower(), wrong.stderr
    help_text = run(profile, "--lang", "de", "--help").stdout
    assert "Optionen" in help_text and "Aufruf:" in help_text


def test_the_saved_language_applies_unless_lang_says_otherwise(profile, tmp_path):
    """settings.json chose German: German output; --lang en still wins; LANG=pl_PL alone gives Polish."""
    config = tmp_path / "config"
    config.mkdir()
    (config / "settings.json").write_text(json.dumps({"language": "de"}), encoding="utf-8")
    assert "Nachname" in run(profile, "fields", "contact", config=config).stdout
    assert "Last name" in run(profile, "--lang", "en", "fields", "contact",
                              config=config).stdout
    assert "Nazwisko" in run(profile, "fields", "contact", lang_env="pl_PL.UTF-8").stdout


def test_indicators_use_the_languages_names_and_numbers(profile):
    """Indicator names come in the chosen language."""
    polish = run(profile, "--lang", "pl", "indicators").stdout
    german = run(profile, "--lang", "de", "indicators").stdout
    assert "Konferencja otwierająca" in polish
    assert "Eröffnungskonferenz" in german
