"""PySide6 6.12.0 on CPython 3.11 drops a reference to None in model data() (DESIGN §9)."""

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    import os
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
    from PySide6.QtWidgets import QApplication

    class NoneModel(QAbstractTableModel):
        def rowCount(self, parent=QModelIndex()):
            return 10
        def columnCount(self, parent=QModelIndex()):
            return 3
        def data(self, index, role=Qt.ItemDataRole.DisplayRole):
            return None

    app = QApplication([])
    model = NoneModel()
    for n in range(60_000):
        model.index(n % 10, n % 3).data(Qt.ItemDataRole.ToolTipRole)
    print("survived", sys.getrefcount(None) if hasattr(sys, "getrefcount") else "")
""").replace("import os", "import os, sys", 1)


def test_model_returning_none_does_not_abort_the_process():
    """Tens of thousands of None results through QModelIndex.data() leave the process alive."""
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "none_dealloc" not in result.stderr
    assert "survived" in result.stdout


def test_installed_pyside_is_not_the_broken_release_on_python_311():
    """The pin keeps 6.12.0 off CPython < 3.12, where None is not immortal."""
    import PySide6

    if sys.version_info < (3, 12):
        assert not PySide6.__version__.startswith("6.12.0")
