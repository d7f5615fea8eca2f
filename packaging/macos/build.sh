#!/usr/bin/env bash
# Builds dist/EuRegioNet.app (and a .dmg beside it) on a Mac in one command, from the
# repository root:
#
#   packaging/macos/build.sh
#
# Needs: Python 3.11 from python.org (universal2 or the Mac's architecture; `python3.11`)
# and git. Makes a build venv, installs the package non-editable with its [freeze] extra
# (PyInstaller, Pillow for the .icns), builds with packaging/euregionet.spec (its BUNDLE
# step takes packaging/macos/Info.plist: bundle id eu.euregionet.Desktop, the .eurnet
# document type), smoke-tests the app, and makes the .dmg with hdiutil. Not signed or
# notarised: set CODESIGN_IDENTITY to sign with `codesign --deep` (notarisation is
# `xcrun notarytool submit` with the team's account, not done here).
set -euo pipefail
cd "$(dirname "$0")/../.."

export PYTHONHASHSEED=0
SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)
export SOURCE_DATE_EPOCH
VENV=build/venv-macos
[ -x "$VENV/bin/python" ] || "${PYTHON:-python3.11}" -m venv "$VENV"
"$VENV/bin/pip" install --quiet --upgrade pip
"$VENV/bin/pip" install --quiet --force-reinstall --no-deps .
"$VENV/bin/pip" install --quiet ".[freeze]"

"$VENV/bin/pyinstaller" --noconfirm --clean packaging/euregionet.spec

APP=dist/EuRegioNet.app
EXE=$APP/Contents/MacOS/euregionet
"$EXE" --version
QT_QPA_PLATFORM=offscreen "$EXE" --self-test
plutil -extract CFBundleIdentifier raw "$APP/Contents/Info.plist" | grep -qx eu.euregionet.Desktop

if [ -n "${CODESIGN_IDENTITY:-}" ]; then
    codesign --deep --force --options runtime --sign "$CODESIGN_IDENTITY" "$APP"
fi
VERSION=$("$VENV/bin/python" -c 'import euregionet_desktop as e; print(e.__version__)')
rm -f "dist/EuRegioNet-Desktop-$VERSION.dmg"
hdiutil create -volname "EuRegioNet Desktop" -srcfolder "$APP" -ov -format UDZO \
    "dist/EuRegioNet-Desktop-$VERSION.dmg"
echo "Built $APP and dist/EuRegioNet-Desktop-$VERSION.dmg"
