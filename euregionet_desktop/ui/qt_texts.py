"""Qt's own texts that the qtbase translations PySide6 ships lack for a language, from our
catalogs: asked only after qtbase has no answer."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTranslator

from euregionet_desktop.i18n import N_, _

# (Qt's context, Qt's source text) → our message. qtbase_pl.qm (Qt 6.11) has the file
# dialog's "Look in:" and "Files of type:" only without their accelerators, which the
# dialog no longer asks for; tests/ui/test_file_dialogs.py finds any new gap.
FALLBACKS: dict[tuple[str, str], str] = {
    ("QFileDialog", "&Look in:"): N_("&Look in:"),
    ("QFileDialog", "Files of &type:"): N_("Files of &type:"),
}


class QtTextFallback(QTranslator):
    """Answers Qt's texts missing from qtbase; install it before qtbase's translator (Qt asks
    the translator installed last first)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("qtTextFallback")

    def isEmpty(self) -> bool:
        return False

    def translate(self, context: str, source_text: str, disambiguation: str | None = None,
                  n: int = -1) -> str:
        message = FALLBACKS.get((context, source_text))
        return _(message) if message is not None else ""
