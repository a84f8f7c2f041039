; Inno Setup 6 script for KHBC: a per-user installer (no administrator rights) in Vietnamese that never touches the user's data.
;
; Built by installer/build.py on Windows, which runs:
;   ISCC /DAppVersion=<version> /DFileVersion=<a.b.c.d> /DSourceDir=<repo>\dist\KHBC /DOutputDir=<repo>\dist installer\khbc.iss
; and produces dist\KHBC-Setup-<version>.exe. Needs Inno Setup 6.3 or newer.
;
; Where things live on the clerk's PC:
;   program  {userpf}\KHBC  = %LOCALAPPDATA%\Programs\KHBC   (replaced on every upgrade, removed on uninstall)
;   data     %LOCALAPPDATA%\KHBC  (database, backups, attachments, settings; written by KHBC itself through
;            platformdirs, never listed in this script, so neither upgrade nor uninstall touches it)

#ifndef SourceDir
  #define SourceDir AddBackslash(SourcePath) + "..\dist\KHBC"
#endif
#ifndef OutputDir
  #define OutputDir AddBackslash(SourcePath) + "..\dist"
#endif
#ifndef FileVersion
  ; The four-number version stamped into khbc-gui.exe by the PyInstaller spec.
  #define FileVersion GetVersionNumbersString(AddBackslash(SourceDir) + "khbc-gui.exe")
#endif
#ifndef AppVersion
  ; Fallback when ISCC is run by hand; build.py passes desktop.__version__.
  #define AppVersion FileVersion
#endif
#if AppVersion == "" || FileVersion == ""
  ; Without a version ISCC would quietly make "KHBC-Setup-.exe": refuse instead.
  #error The KHBC version is empty: pass /DAppVersion=<version> /DFileVersion=<a.b.c.d> (installer/build.py does)
#endif
#ifndef Compression
  ; installer/windows_smoke.py builds its throw-away "older version" setup faster with /DCompression=zip.
  #define Compression "lzma2/max"
#endif
#define AppName "KHBC"
#define AppTitle "KHBC – Kế hoạch, báo cáo"
#define GuiExe "khbc-gui.exe"
#define CliExe "khbc.exe"

[Setup]
; The AppId ties every version together: a newer installer upgrades the same installation in place.
AppId={{6F1D2B7C-3E84-4C1A-9B2F-5A7D0C4E8B13}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppTitle} {#AppVersion}
AppPublisher=KHBC
AppComments=Kế hoạch, tiến độ và báo cáo định kỳ cho cơ quan nhà nước, chạy không cần Internet.
VersionInfoDescription=Bộ cài đặt {#AppTitle}
VersionInfoProductName={#AppTitle}
VersionInfoProductTextVersion={#AppVersion}
VersionInfoVersion={#FileVersion}
; Per user: no UAC prompt, installs under %LOCALAPPDATA%\Programs\KHBC.
PrivilegesRequired=lowest
DefaultDirName={code:UserProgramsDir}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
DisableWelcomePage=no
UsePreviousAppDir=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Qt 6 needs Windows 10 1809 or newer.
MinVersion=10.0.17763
OutputDir={#OutputDir}
OutputBaseFilename=KHBC-Setup-{#AppVersion}
Compression={#Compression}
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=no
CloseApplications=yes
RestartApplications=no
UninstallDisplayName={#AppTitle}
UninstallDisplayIcon={app}\{#GuiExe}
#if FileExists(AddBackslash(SourcePath) + "..\resources\icons\khbc.ico")
SetupIconFile=..\resources\icons\khbc.ico
#endif

[Languages]
; Inno Setup ships no Vietnamese.isl: ours (beside this script) is read over Default.isl, so any message
; added by a newer Inno Setup shows in English rather than failing the build.
Name: "vi"; MessagesFile: "compiler:Default.isl,Vietnamese.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; An upgrade first removes the previous version's libraries so no stale DLL or module survives.
; This is inside the program folder only; the data folder is never named here.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppTitle}"; Filename: "{app}\{#GuiExe}"; WorkingDir: "{app}"; Comment: "Kế hoạch, tiến độ và báo cáo định kỳ"
; A console where `khbc` works by name (the program folder is put first on PATH for that window only).
Name: "{group}\KHBC – dòng lệnh"; Filename: "{cmd}"; Parameters: "/k set ""PATH={app};%PATH%"" && khbc --help"; WorkingDir: "{userdocs}"; Comment: "Cửa sổ lệnh để dùng lệnh khbc"
Name: "{group}\Gỡ cài đặt KHBC"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppTitle}"; Filename: "{app}\{#GuiExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#GuiExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] section on purpose: uninstalling removes only the files this installer copied.

[CustomMessages]
DataDirClash=Không thể cài chương trình vào thư mục này vì nó trùng với thư mục dữ liệu của KHBC:%n%n%1%n%nHãy chọn thư mục khác, ví dụ %2.

[Code]
{ The per-user program folder (the userpf constant), %LOCALAPPDATA%\Programs on Windows 10/11. Wine 8 does
  not know that folder (its expansion fails), so fall back to the same place by name there. }
function UserProgramsDir(Param: String): String;
begin
  try
    Result := ExpandConstant('{userpf}');
  except
    Result := ExpandConstant('{localappdata}\Programs');
  end;
end;

{ The data folder KHBC writes to (platformdirs user_data_dir("KHBC", roaming=False) on Windows). }
function DataDir(): String;
begin
  Result := AddBackslash(ExpandConstant('{localappdata}\KHBC'));
end;

function Overlaps(const A, B: String): Boolean;
begin
  Result := Pos(Lowercase(A), Lowercase(B)) = 1;
end;

{ Refuse a program folder that is, contains or lies inside the data folder: an upgrade replaces
  the program folder, and the data must never be in its way. }
function NextButtonClick(CurPageID: Integer): Boolean;
var
  Dir: String;
begin
  Result := True;
  if CurPageID = wpSelectDir then
  begin
    Dir := AddBackslash(WizardDirValue());
    if Overlaps(Dir, DataDir()) or Overlaps(DataDir(), Dir) then
    begin
      { Suppressible: a silent install (/VERYSILENT /SUPPRESSMSGBOXES /DIR=...) must stop, not wait for a click. }
      SuppressibleMsgBox(FmtMessage(CustomMessage('DataDirClash'), [DataDir(), UserProgramsDir('') + '\KHBC']),
        mbError, MB_OK, IDOK);
      Result := False;
    end;
  end;
end;
