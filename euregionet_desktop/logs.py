"""Logging to a rotating file in the profile, so a crash report can point to it."""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

LOG_NAME = "euregionet.log"


class _ProfileLog(logging.handlers.RotatingFileHandler):
    """A log line that cannot be written (full disk, drive gone) is dropped: logging's
    own report would put a traceback beside the one clear error line a person sees."""

    def handleError(self, record: logging.LogRecord) -> None:
        if isinstance(sys.exc_info()[1], OSError):
            return
        super().handleError(record)


def setup_logging(log_dir: Path, *, level: int = logging.INFO) -> Path:
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / LOG_NAME
    root = logging.getLogger()
    if not any(getattr(h, "baseFilename", None) == str(path) for h in root.handlers):
        handler = _ProfileLog(
            path, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
        handler.setFormatter(logging.Formatter(
            "%(asctime)s %(levelname)s %(name)s [%(process)d]: %(message)s"))
        root.addHandler(handler)
    root.setLevel(level)
    return path
