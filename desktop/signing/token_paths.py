"""Where PKCS#11 libraries of USB tokens usually are on Windows (and Linux), to offer and check in Cài đặt."""

from __future__ import annotations

import os
from pathlib import Path

# File names of token middleware DLLs seen on office PCs. Only those present on this machine are offered;
# the list is a convenience: any other library can be chosen by path.
WINDOWS_LIBRARIES = (
    ("Token ePass2003 (Feitian; nhiều CA trong nước dùng)", "System32/eps2003csp11.dll"),
    ("Token ePass2003 (bản 32-bit)", "SysWOW64/eps2003csp11.dll"),
    ("Ban Cơ yếu Chính phủ (VGCA)", "System32/vgca_csp11.dll"),
    ("Viettel-CA", "System32/viettel-ca_v5.dll"),
    ("VNPT-CA", "System32/vnpt-ca_csp11.dll"),
    ("BkavCA", "System32/BkavCA_csp11.dll"),
    ("FPT-CA", "System32/fpt-ca_csp11.dll"),
    ("SafeNet eToken", "System32/eTPKCS11.dll"),
    ("Thales/Gemalto IDPrime", "System32/IDPrimePKCS11.dll"),
)
PROGRAM_FILES_LIBRARIES = (
    ("OpenSC", "OpenSC Project/OpenSC/pkcs11/opensc-pkcs11.dll"),
)
UNIX_LIBRARIES = (
    ("OpenSC", "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so"),
    ("SoftHSM2 (thử nghiệm)", "/usr/lib/softhsm/libsofthsm2.so"),
)


def candidate_libraries() -> list[tuple[str, Path]]:
    """(label, path) of every known location for this system, present or not."""
    if os.name != "nt":
        return [(label, Path(path)) for label, path in UNIX_LIBRARIES]
    windir = Path(os.environ.get("WINDIR") or os.environ.get("SystemRoot") or r"C:\Windows")
    program_files = Path(os.environ.get("ProgramFiles") or r"C:\Program Files")
    return ([(label, windir / rel) for label, rel in WINDOWS_LIBRARIES]
            + [(label, program_files / rel) for label, rel in PROGRAM_FILES_LIBRARIES])


def found_libraries() -> list[tuple[str, Path]]:
    """The known libraries that exist on this machine."""
    return [(label, path) for label, path in candidate_libraries() if path.is_file()]
