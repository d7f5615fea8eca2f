#!/usr/bin/env bash
# Build the Linux one-folder app (PyInstaller, packaging/euregionet.spec) from a clean clone
# of this repository's last commit, then smoke-test it and print its size and cold start
# beside the same figures from the installed (non-frozen) package.
#
#   scripts/build_frozen.sh            → dist/euregionet/ (start it as dist/euregionet/euregionet)
#
# Environment (all optional):
#   OUT=DIR        where the folder goes (default: dist/ of this checkout)
#   BUILD_VENV=DIR a venv to reuse (made if missing; the package is reinstalled into it),
#                  instead of a fresh one per build (the fresh one downloads PySide6 again)
#   TWICE=1        build a second time from the same clone and compare the file lists
#   PYTHON=python3 the interpreter the venv is made from (3.11+, with its shared libpython)
#
# Needs: git, python3 with venv, and the registry (pip). Uncommitted changes are NOT built:
# the clone is of HEAD, so that what was built is what the commit says.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-$REPO/dist}
PYTHON=${PYTHON:-python3}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/euregionet-frozen.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# Reproducible: the same hash seed for every Python run, and the commit's date for every
# timestamp PyInstaller and setuptools write.
export PYTHONHASHSEED=0
SOURCE_DATE_EPOCH=$(git -C "$REPO" log -1 --format=%ct)
export SOURCE_DATE_EPOCH

step() { printf '\n== %s\n' "$*"; }
seconds() {  # seconds COMMAND...: run it (output to $WORK/last.out), print the wall time
    local start end
    start=$(date +%s.%N)
    "$@" >"$WORK/last.out" 2>"$WORK/last.err" || { cat "$WORK/last.out" "$WORK/last.err"; return 1; }
    end=$(date +%s.%N)
    awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }'
}
fastest() {  # fastest COMMAND...: the best wall time of three runs (a shared machine is noisy)
    local best="" t
    for _ in 1 2 3; do
        t=$(seconds "$@")
        best=$(awk -v a="$best" -v b="$t" 'BEGIN { print (a == "" || b < a) ? b : a }')
    done
    echo "$best"
}

step "Clean clone of $(git -C "$REPO" rev-parse --short HEAD)"
git clone --quiet --no-hardlinks "$REPO" "$WORK/src"
COMMIT=$(git -C "$WORK/src" rev-parse --short HEAD)  # what is built, whatever comes later

VENV=${BUILD_VENV:-$WORK/venv}
step "Build venv $VENV"
[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
"$VENV/bin/pip" install --quiet --upgrade pip
# Non-editable: the spec takes resources, catalogs and migrations from the installed copy.
"$VENV/bin/pip" install --quiet --force-reinstall --no-deps "$WORK/src"
"$VENV/bin/pip" install --quiet "$WORK/src[freeze]"

build() {  # build DISTPATH
    (cd "$WORK/src" && "$VENV/bin/pyinstaller" --noconfirm --clean --log-level WARN \
        --distpath "$1" --workpath "$WORK/build" packaging/euregionet.spec)
}

step "PyInstaller"
rm -rf "$OUT/euregionet"
build "$OUT"
APP=$OUT/euregionet/euregionet

if [ "${TWICE:-0}" = 1 ]; then
    step "Second build: the same files?"
    build "$WORK/dist2"
    if diff <(cd "$OUT" && find euregionet -type f | sort) \
            <(cd "$WORK/dist2" && find euregionet -type f | sort) >"$WORK/files.diff"; then
        echo "same $(cd "$OUT" && find euregionet -type f | wc -l) files"
    else
        echo "the two builds differ in their files:"; cat "$WORK/files.diff"; exit 1
    fi
    if diff -rq "$OUT/euregionet" "$WORK/dist2/euregionet" >"$WORK/bytes.diff"; then
        echo "and every file is byte for byte the same"
    else
        echo "$(wc -l <"$WORK/bytes.diff") files differ in content (the file list is the same):"
        head -5 "$WORK/bytes.diff"
    fi
fi

step "Smoke test of $APP"
export QT_QPA_PLATFORM=offscreen
frozen_version=$(fastest "$APP" --version); cat "$WORK/last.out"
grep -q "^euregionet $("$VENV/bin/python" -c 'import euregionet_desktop as e; print(e.__version__)')$" "$WORK/last.out"
frozen_self_test=$(seconds "$APP" --self-test); cat "$WORK/last.out"
frozen_window=$(sed -n 's/.*Main window shown and closed: ok (.*, \([0-9.]*\) s)$/\1/p' "$WORK/last.out")

DATA=$WORK/profile
"$APP" --data-dir "$DATA" init --office BIC --advisor "Anna Nowak"
"$APP" --data-dir "$DATA" demo-data
"$APP" --lang pl --data-dir "$DATA" list cluster >"$WORK/clusters.txt" 2>&1
grep -q "rekordów" "$WORK/clusters.txt" || { echo "no Polish in 'list cluster':"; cat "$WORK/clusters.txt"; exit 1; }
plan=$("$APP" --data-dir "$DATA" list action-plan --json \
       | "$VENV/bin/python" -c 'import json, sys; print(json.load(sys.stdin)[0]["id"])')
"$APP" --data-dir "$DATA" doc action-plan "$plan" --lang pl+de -o "$WORK/plan.docx"
"$VENV/bin/python" -c 'import docx, sys; d = docx.Document(sys.argv[1]); assert d.paragraphs or d.tables; print("python-docx opens", sys.argv[1])' "$WORK/plan.docx"
for qm in qtbase_pl.qm qtbase_de.qm; do
    [ -f "$OUT/euregionet/_internal/PySide6/Qt/translations/$qm" ] || { echo "no $qm"; exit 1; }
done

step "The same from the installed package (not frozen)"
source_version=$(fastest "$VENV/bin/euregionet" --version)
source_self_test=$(seconds "$VENV/bin/euregionet" --self-test)
source_window=$(sed -n 's/.*Main window shown and closed: ok (.*, \([0-9.]*\) s)$/\1/p' "$WORK/last.out")

step "Figures"
printf '%-34s %10s %10s\n' "" frozen source
printf '%-34s %10s %10s\n' "folder size" "$(du -sh "$OUT/euregionet" | cut -f1)" "-"
printf '%-34s %9ss %9ss\n' "--version (best of 3)" "$frozen_version" "$source_version"
printf '%-34s %9ss %9ss\n' "--self-test (all steps)" "$frozen_self_test" "$source_self_test"
printf '%-34s %9ss %9ss\n' "  of it: main window shown" "$frozen_window" "$source_window"
echo
echo "Built $OUT/euregionet from $COMMIT; smoke test passed."
