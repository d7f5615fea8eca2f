"""The person's settings that belong to them, not to a profile: settings.json in the user
config folder (the interface language)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import platformdirs

from euregionet_desktop.files import atomic_write, file_error
from euregionet_desktop.i18n import LANGUAGES

APP_NAME = "EuRegioNet"
ENV_CONFIG_DIR = "EUREGIONET_CONFIG_DIR"
FILE_NAME = "settings.json"


def config_dir() -> Path:
    """The user config folder; ``EUREGIONET_CONFIG_DIR`` moves it (tests, portable setups)."""
    env = os.environ.get(ENV_CONFIG_DIR)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME, APP_NAME))


def settings_file() -> Path:
    return config_dir() / FILE_NAME


def saved_language() -> str | None:
    """The language the person chose in the settings; None to follow the system (also when
    the file is missing or damaged, or names a language we do not have)."""
    language = _read().get("language")
    return language if language in LANGUAGES else None


def save_language(language: str | None) -> None:
    """Remember the interface language (None = follow the system) for the next start;
    raises FileAccessError when the settings file cannot be written."""
    if language is not None and language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    settings = _read()
    if language is None:
        settings.pop("language", None)
    else:
        settings["language"] = language
    _write(settings)


def _read() -> dict[str, Any]:
    try:
        data = json.loads(settings_file().read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        # Missing, unreadable or damaged: the defaults; a bad file must not stop the start.
        return {}
    return data if isinstance(data, dict) else {}


def _write(settings: dict[str, Any]) -> None:
    # Whole or not at all: a crash or a full disk mid-write leaves the previous settings.
    path = settings_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:  # named by the file the person knows, not its folder
        raise file_error(error, path) from None
    data = json.dumps(settings, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    atomic_write(path, data.encode("utf-8"))
