# Builds the Windows installer of EuRegioNet Desktop in one command, from the repository root:
#
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1
#
# Needs: Python 3.11 (x64, from python.org: `py -3.11`), git, and Inno Setup 6 (iscc.exe on
# PATH or in its default folder). Makes a fresh build venv, installs the package
# non-editable with its [freeze] extra (PyInstaller, Pillow for the .ico), builds
# dist\euregionet\ with packaging\euregionet.spec, smoke-tests it, then runs iscc:
# dist\EuRegioNet-Desktop-VERSION-setup.exe.
$ErrorActionPreference = "Stop"
Set-Location (Resolve-Path "$PSScriptRoot\..\..")

$env:PYTHONHASHSEED = "0"
$env:SOURCE_DATE_EPOCH = (git log -1 --format=%ct)
$venv = "build\venv-windows"
if (-not (Test-Path "$venv\Scripts\python.exe")) { py -3.11 -m venv $venv }
& "$venv\Scripts\python.exe" -m pip install --quiet --upgrade pip
& "$venv\Scripts\python.exe" -m pip install --quiet --force-reinstall --no-deps .
& "$venv\Scripts\python.exe" -m pip install --quiet ".[freeze]"
if ($LASTEXITCODE) { throw "pip failed" }

& "$venv\Scripts\pyinstaller.exe" --noconfirm --clean packaging\euregionet.spec
if ($LASTEXITCODE) { throw "PyInstaller failed" }

# Smoke test, with the console twin of the windowed euregionet.exe.
$cli = "dist\euregionet\euregionet-cli.exe"
$env:QT_QPA_PLATFORM = "offscreen"
& $cli --version
if ($LASTEXITCODE) { throw "--version failed" }
& $cli --self-test
if ($LASTEXITCODE) { throw "--self-test failed" }
Remove-Item Env:QT_QPA_PLATFORM

$version = (& "$venv\Scripts\python.exe" -c "import euregionet_desktop as e; print(e.__version__)")
$iscc = (Get-Command iscc.exe -ErrorAction SilentlyContinue).Source
if (-not $iscc) { $iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe" }
& $iscc "/DAppVersion=$version" packaging\windows\euregionet.iss
if ($LASTEXITCODE) { throw "iscc failed" }
Write-Host "Installer: dist\EuRegioNet-Desktop-$version-setup.exe"
