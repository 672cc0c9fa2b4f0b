; Inno Setup script for Rejection Journal (sketch: written, not yet compiled).
;
; 1. Build the one-folder app on Windows first:
;      pyinstaller --noconfirm --clean packaging\rejection-journal.spec
;    which leaves dist\rejection-journal\rejection-journal.exe plus _internal\.
; 2. Compile this script with Inno Setup 6 (from the repository root):
;      iscc packaging\windows\rejection-journal.iss
;    The installer lands in dist\installer\.
;
; Installs per user by default (no admin prompt); the user may choose
; "install for all users" in the wizard. The journal itself lives in the
; user's AppData folder and is NOT removed on uninstall.

#define AppName "Rejection Journal"
#define AppVersion "0.1.0"
#define AppExeName "rejection-journal.exe"
#define AppPublisher "Rejection Journal contributors"
#define AppId "org.rejectionjournal.RejectionJournal"
#define RepoRoot "..\.."

[Setup]
; The GUID identifies this app to Windows' uninstaller; never change it between releases.
AppId={{EE88B8ED-0CBF-458C-8599-607F979F8EE5}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#RepoRoot}\dist\installer
OutputBaseFilename=rejection-journal-{#AppVersion}-setup
SetupIconFile={#RepoRoot}\resources\icons\{#AppId}.ico
UninstallDisplayIcon={app}\{#AppExeName}
UninstallDisplayName={#AppName}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
LicenseFile={#RepoRoot}\LICENSE

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#RepoRoot}\dist\rejection-journal\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExeName}"; AppUserModelID: "{#AppId}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExeName}"; AppUserModelID: "{#AppId}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExeName}"; Description: "{cm:LaunchProgram,{#StringChange(AppName, '&', '&&')}}"; Flags: nowait postinstall skipifsilent
