; Inno Setup script of EuRegioNet Desktop for Windows (x64): a per-user installation that
; needs no administrator rights, a Start-menu entry, .eurnet bundles opening in the app on
; a double click, and an uninstaller that removes the program but never the profile.
;
; Built by packaging/windows/build.ps1 (PyInstaller, then this script):
;   iscc /DAppVersion=0.1.0 packaging\windows\euregionet.iss
; from the folder dist\euregionet that PyInstaller made; the installer lands in dist\.

#define AppId "eu.euregionet.Desktop"
#define AppName "EuRegioNet Desktop"
#define AppExe "euregionet.exe"
#define BundleProgId "EuRegioNet.Bundle"
#define BundleMime "application/x-euregionet-bundle"
#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif

[Setup]
; The app id is the reverse-DNS id used on every system (Linux desktop file, macOS bundle id).
AppId={#AppId}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=EuRegioNet
; Per user, without admin rights: {autopf} is %LOCALAPPDATA%\Programs then. The profile
; (platformdirs: %LOCALAPPDATA%\EuRegioNet\EuRegioNet) is a different folder, so that
; installing, updating and uninstalling never touch it.
PrivilegesRequired=lowest
DefaultDirName={autopf}\EuRegioNet Desktop
DefaultGroupName=EuRegioNet
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=EuRegioNet-Desktop-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
; The file association below: Explorer is told when it changes.
ChangesAssociations=yes
; An update closes the running app first (its files are in use otherwise).
CloseApplications=yes

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
Name: "pl"; MessagesFile: "compiler:Languages\Polish.isl"
Name: "de"; MessagesFile: "compiler:Languages\German.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\..\dist\euregionet\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An update replaces the whole program folder: nothing of an older version stays in it.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Registry]
; .eurnet → application/x-euregionet-bundle, opened by `euregionet.exe "%1"` (the window
; opens on the import preview of that bundle). HKA is HKCU\Software\Classes for a per-user
; install. The uninstaller removes these keys and nothing else.
Root: HKA; Subkey: "Software\Classes\.eurnet"; ValueType: string; ValueName: ""; ValueData: "{#BundleProgId}"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.eurnet"; ValueType: string; ValueName: "Content Type"; ValueData: "{#BundleMime}"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.eurnet\OpenWithProgids"; ValueType: string; ValueName: "{#BundleProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\{#BundleProgId}"; ValueType: string; ValueName: ""; ValueData: "EuRegioNet bundle"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#BundleProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKA; Subkey: "Software\Classes\{#BundleProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""
Root: HKA; Subkey: "Software\Classes\MIME\Database\Content Type\{#BundleMime}"; ValueType: string; ValueName: "Extension"; ValueData: ".eurnet"; Flags: uninsdeletekey

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] entry: the uninstaller removes only what it installed (the program
; folder and the keys above). The advisor's profile in %LOCALAPPDATA%\EuRegioNet (database,
; keys, backups, settings) stays, so that a reinstall or a newer version finds it again.
