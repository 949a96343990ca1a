; Inno Setup 6 script: Lens Walkthrough for one Windows user, installed without administrator rights.
;
; packaging/build.py compiles it on Windows after PyInstaller, passing every
; name and the version from the package, so nothing here needs editing for a
; release:
;
;   ISCC /DAppName="Lens Walkthrough" /DAppVersion=0.1.0 /DAppVersionNumeric=0.1.0.0
;        /DExeName="Lens Walkthrough.exe" /DDataFolder=LensWalkthrough
;        /DSourceDir=dist\lens-walkthrough /DIconFile=build\...\lens-walkthrough.ico
;        /DOutputDir=dist /DOutputBaseFilename=lens-walkthrough-0.1.0-windows-x86_64-setup
;        packaging\windows\lens-walkthrough.iss
;
; What it does:
; * installs into %LOCALAPPDATA%\Programs\Lens Walkthrough ({userpf}); no UAC prompt;
; * a Start-menu entry for the windowed "Lens Walkthrough.exe" (optionally a desktop one);
; * registers an uninstaller under Settings > Apps for this user only;
; * never writes, and never removes, the user's data folder
;   %LOCALAPPDATA%\LensWalkthrough (walkthroughs, photos, backups, settings):
;   uninstalling removes the program and leaves every walkthrough in place.
;   The data folder is not the install folder, and setup refuses an install
;   folder that is, or is inside, or contains, the data folder.

; Every name comes from the command line; building without one is a mistake, not a default.
#ifndef AppName
  #error AppName is not defined: build with packaging/build.py, which reads it from the package
#endif
#ifndef AppVersion
  #error AppVersion is not defined: build with packaging/build.py, which reads it from the package
#endif
#ifndef AppVersionNumeric
  #error AppVersionNumeric is not defined: build with packaging/build.py, which reads it from the package
#endif
#ifndef ExeName
  #error ExeName is not defined: build with packaging/build.py, which reads it from the package
#endif
#ifndef DataFolder
  #error DataFolder is not defined: build with packaging/build.py, which reads it from the package
#endif
#ifndef SourceDir
  #error SourceDir is not defined: build with packaging/build.py, which reads it from the package
#endif
#ifndef IconFile
  #error IconFile is not defined: build with packaging/build.py, which reads it from the package
#endif
#ifndef OutputDir
  #error OutputDir is not defined: build with packaging/build.py, which reads it from the package
#endif
#ifndef OutputBaseFilename
  #error OutputBaseFilename is not defined: build with packaging/build.py, which reads it from the package
#endif

[Setup]
; The AppId is how Windows recognises this program across upgrades: never change it.
AppId={{92C34536-9614-47AA-9E82-A02E45ED5797}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Lens Walkthrough developers
AppCopyright=Licence: GNU GPL version 3 or later
VersionInfoVersion={#AppVersionNumeric}
VersionInfoProductName={#AppName}
VersionInfoDescription={#AppName} setup

; Per user, no administrator rights: {userpf} is %LOCALAPPDATA%\Programs and
; {autoprograms} the user's own Start menu.  No override: a managed laptop
; must never show an elevation prompt.
PrivilegesRequired=lowest
DefaultDirName={userpf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
UsePreviousAppDir=yes

ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0

UninstallDisplayName={#AppName}
UninstallDisplayIcon={app}\{#ExeName}
SetupIconFile={#IconFile}
WizardStyle=modern
; Closes a running copy (Restart Manager) before replacing its files.
CloseApplications=yes
RestartApplications=no

SourceDir={#SourceDir}
OutputDir={#OutputDir}
OutputBaseFilename={#OutputBaseFilename}
Compression=lzma2/max
SolidCompression=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the bundled libraries as a whole, so a library that a
; newer version no longer ships does not linger.  Program folder only.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
; The whole one-folder bundle: both executables, _internal\, LICENSE.txt, THIRD-PARTY-LICENSES.md.
Source: "*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
; Started in Documents, so the first Open or Add photos dialog does not show the program folder.
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#ExeName}"; WorkingDir: "{userdocs}"; Comment: "Run a trauma-informed service walkthrough offline"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#ExeName}"; WorkingDir: "{userdocs}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#ExeName}"; Description: "{cm:LaunchProgram,{#StringChange(AppName, '&', '&&')}}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] section on purpose: the uninstaller removes exactly the
; files this setup installed, and the data folder is not among them.

[Code]
function IsSameOrInside(const Inner, Outer: String): Boolean;
var
  A, B: String;
begin
  A := Lowercase(AddBackslash(Inner));
  B := Lowercase(AddBackslash(Outer));
  Result := Copy(A, 1, Length(B)) = B;
end;

function PrepareToInstall(var NeedsRestart: Boolean): String;
var
  AppDir, DataDir: String;
begin
  Result := '';
  AppDir := ExpandConstant('{app}');
  DataDir := ExpandConstant('{localappdata}\{#DataFolder}');
  if IsSameOrInside(AppDir, DataDir) or IsSameOrInside(DataDir, AppDir) then
    Result := 'Please choose another folder. ' + DataDir + ' holds your walkthroughs, ' +
      'and the program must be installed apart from it.';
end;
