; Inno Setup script for a Windows lobby kiosk: installs the one-folder bundle built by
; `make bundle` on Windows (dist\lobby-kiosk), a start-menu entry, and the kiosk's
; settings file. Build with: iscc installer\windows\lobby-kiosk.iss
; Single-app lockdown is Windows' own Shell Launcher: see installer/README.md.

#define AppName "Lobby Kiosk"
#define AppVersion "0.1.0"

[Setup]
AppId={{6E1C2B52-3F0B-4D8E-9E55-5B3E7F0A1C01}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=Lobby Kiosk
DefaultDirName={autopf}\Lobby Kiosk
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
OutputBaseFilename=lobby-kiosk-setup-{#AppVersion}
Compression=lzma2
SolidCompression=yes
ArchitecturesInstallIn64BitMode=x64compatible
PrivilegesRequired=admin

[Files]
Source: "..\..\dist\lobby-kiosk\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion
; Settings for the kiosk account (central_url, ca_bundle, enrollment_code), never overwritten.
Source: "kiosk.toml.example"; DestDir: "{commonappdata}\lobby-kiosk"; DestName: "kiosk.toml"; Flags: onlyifdoesntexist uninsneveruninstall

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\lobby-kiosk.exe"; Parameters: "--fullscreen --config ""{commonappdata}\lobby-kiosk\kiosk.toml"""
Name: "{group}\{#AppName} self-check"; Filename: "{app}\lobby-kiosk.exe"; Parameters: "--self-check --config ""{commonappdata}\lobby-kiosk\kiosk.toml"""

[Run]
Filename: "{app}\lobby-kiosk.exe"; Parameters: "--self-check --config ""{commonappdata}\lobby-kiosk\kiosk.toml"""; Description: "Check the kiosk can reach the central API"; Flags: postinstall nowait skipifsilent
