"""Opening the signing key: a PKCS#11 token (USB token) or a PKCS#12 file, with every failure told in Vietnamese."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import x509

from desktop.signing.certs import check_can_sign, holder_name
from desktop.signing.errors import SigningError, token_error_message


@dataclass(frozen=True)
class KeySource:
    """Where the key is: kind "pkcs11" (library, optional token and key labels) or "pkcs12" (file)."""

    kind: str
    library: str = ""
    token_label: str = ""
    key_label: str = ""
    pkcs12_file: str = ""
    secret: str = ""  # the token's PIN or the PKCS#12 password; never stored

    def describe(self) -> str:
        if self.kind == "pkcs12":
            return f"tệp khóa {Path(self.pkcs12_file).name}"
        return f"thiết bị ký số ({Path(self.library).name}{', ' + self.token_label if self.token_label else ''})"


@dataclass
class OpenKey:
    """An opened key: the pyHanko signer, its certificate and the holder's name."""

    signer: object
    certificate: x509.Certificate
    holder: str


def _pkcs12(source: KeySource) -> OpenKey:
    from pyhanko.sign.signers import SimpleSigner

    path = Path(source.pkcs12_file)
    try:
        raw = path.read_bytes()
    except OSError:
        raise SigningError(f"Không đọc được tệp khóa {path}. Hãy kiểm tra đường dẫn trong Cài đặt.") from None
    try:
        signer = SimpleSigner.load_pkcs12_data(raw, other_certs=set(),
                                               passphrase=source.secret.encode("utf-8") if source.secret else None)
    except Exception:  # noqa: BLE001 - cryptography says "Invalid password or PKCS12 data" for both
        raise SigningError(f"Mật khẩu của tệp khóa {path.name} không đúng, hoặc tệp không phải tệp khóa PKCS#12 "
                           "(.p12/.pfx).") from None
    return OpenKey(signer, signer.signing_cert, holder_name(signer.signing_cert))


def _load_library(path: str):
    import pkcs11

    if not path:
        raise SigningError("Chưa chọn thư viện PKCS#11 của thiết bị ký số. Hãy chọn trong Cài đặt › Ký số.")
    if not Path(path).is_file():
        raise SigningError(f"Không tìm thấy thư viện PKCS#11 \"{path}\". Hãy cài phần mềm của token hoặc chọn lại "
                           "đường dẫn trong Cài đặt › Ký số.")
    try:
        return pkcs11.lib(path)
    except Exception:  # noqa: BLE001 - a wrong DLL fails in many ways
        raise SigningError(f"Tệp \"{path}\" không phải thư viện PKCS#11 dùng được trên máy này.") from None


def _find_token(lib, label: str):
    try:
        slots = lib.get_slots(token_present=True)
    except Exception as exc:  # noqa: BLE001
        raise SigningError(token_error_message(exc)) from None
    tokens = []
    for slot in slots:
        try:
            tokens.append(slot.get_token())
        except Exception:  # noqa: BLE001, S112 - a slot whose token was just pulled out is skipped, not fatal
            continue
    if label:
        tokens = [t for t in tokens if t.label.strip() == label.strip()]
    if not tokens:
        where = f" có nhãn \"{label}\"" if label else ""
        raise SigningError(f"Không tìm thấy thiết bị ký số (USB token){where}. Hãy cắm token vào máy rồi thử lại.")
    return tokens[0]


def _key_and_certificate(session, key_label: str) -> tuple[bytes, x509.Certificate]:
    from pkcs11 import Attribute, ObjectClass

    query = {Attribute.CLASS: ObjectClass.PRIVATE_KEY, Attribute.SIGN: True}
    if key_label:
        query[Attribute.LABEL] = key_label
    keys = list(session.get_objects(query))
    certs = {}
    for obj in session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE}):
        certs.setdefault(bytes(obj[Attribute.ID]), obj[Attribute.VALUE])
    for key in keys:
        key_id = bytes(key[Attribute.ID])
        if key_id in certs:
            return key_id, x509.Certificate.load(certs[key_id])
    if not keys:
        raise SigningError("Trên thiết bị ký số không có khóa ký" + (f" nhãn \"{key_label}\"." if key_label else "."))
    raise SigningError("Trên thiết bị ký số có khóa ký nhưng không có chứng thư số đi kèm; hãy nạp chứng thư vào token.")


@contextlib.contextmanager
def open_key(source: KeySource) -> Iterator[OpenKey]:
    """Open the key, check its certificate may sign today, and close the token session afterwards."""
    if source.kind == "pkcs12":
        key = _pkcs12(source)
        check_can_sign(key.certificate)
        yield key
        return
    if source.kind != "pkcs11":
        raise SigningError("Chưa chọn nơi lưu khóa ký (thiết bị ký số hoặc tệp .p12) trong Cài đặt › Ký số.")
    from pyhanko.sign.pkcs11 import PKCS11Signer

    lib = _load_library(source.library)
    token = _find_token(lib, source.token_label)
    try:
        session = token.open(user_pin=source.secret or None)
    except Exception as exc:  # noqa: BLE001
        raise SigningError(token_error_message(exc)) from None
    try:
        try:
            key_id, cert = _key_and_certificate(session, source.key_label)
        except SigningError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise SigningError(token_error_message(exc)) from None
        check_can_sign(cert)
        signer = PKCS11Signer(session, key_id=key_id, cert_id=key_id, signing_cert=cert)
        yield OpenKey(signer, cert, holder_name(cert))
    finally:
        with contextlib.suppress(Exception):
            session.close()
