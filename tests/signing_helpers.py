"""Test PKI for the signing tests: a test CA made here, a real SoftHSM2 token with keys and certificates on it."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

SOFTHSM_CANDIDATES = ("/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
                      "/usr/local/lib/softhsm/libsofthsm2.so")
PIN = "123456"
SO_PIN = "654321"
TOKEN = "KHBC-TEST"
REMOVABLE = "KHBC-RUT"


def softhsm_library() -> str | None:
    return next((p for p in SOFTHSM_CANDIDATES if Path(p).is_file()), None)


def _name(common: str, org: str = "Sở Xây dựng tỉnh Đắk Lắk") -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
                      x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _usage(*, signing: bool, ca: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(digital_signature=signing, content_commitment=signing, key_encipherment=not signing and not ca,
                         data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
                         encipher_only=False, decipher_only=False)


@dataclass
class SigningCA:
    """A root CA held in memory, able to issue signer certificates and CRLs."""

    name: str = "CA thử nghiệm KHBC"
    key: rsa.RSAPrivateKey = field(default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048))
    cert: x509.Certificate | None = None

    def __post_init__(self):
        now = datetime.now(timezone.utc)
        subject = _name(self.name, "Tổ chức chứng thực thử nghiệm")
        self.cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
                     .public_key(self.key.public_key()).serial_number(x509.random_serial_number())
                     .not_valid_before(now - timedelta(days=30)).not_valid_after(now + timedelta(days=3650))
                     .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                     .add_extension(_usage(signing=False, ca=True), critical=True)
                     .add_extension(x509.SubjectKeyIdentifier.from_public_key(self.key.public_key()), critical=False)
                     .sign(self.key, hashes.SHA256()))

    def issue(self, common: str, public_key, *, signing: bool = True, days_valid: tuple[int, int] = (-1, 365)):
        now = datetime.now(timezone.utc)
        return (x509.CertificateBuilder().subject_name(_name(common)).issuer_name(self.cert.subject)
                .public_key(public_key).serial_number(x509.random_serial_number())
                .not_valid_before(now + timedelta(days=days_valid[0]))
                .not_valid_after(now + timedelta(days=days_valid[1]))
                .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                .add_extension(_usage(signing=signing), critical=True)
                .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()),
                               critical=False)
                .add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(  # declared, never fetched
                    full_name=[x509.UniformResourceIdentifier("http://ca.khbc.invalid/thu-nghiem.crl")],
                    relative_name=None, reasons=None, crl_issuer=None)]), critical=False)
                .sign(self.key, hashes.SHA256()))

    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    def crl(self, revoked: list[x509.Certificate]) -> bytes:
        now = datetime.now(timezone.utc)
        builder = (x509.CertificateRevocationListBuilder().issuer_name(self.cert.subject)
                   .last_update(now - timedelta(hours=1)).next_update(now + timedelta(days=7)))
        for cert in revoked:
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder().serial_number(cert.serial_number)
                .revocation_date(now - timedelta(days=2)).build())
        return builder.sign(self.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def pkcs12_file(path: Path, ca: SigningCA, common: str, password: str, **issue) -> Path:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = ca.issue(common, key.public_key(), **issue)
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"khbc", key, cert, [ca.cert], serialization.BestAvailableEncryption(password.encode())))
    return path


@dataclass
class SoftToken:
    """A SoftHSM2 store in a temporary folder with initialised tokens."""

    folder: Path
    library: str

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "SOFTHSM2_CONF": str(self.folder / "softhsm2.conf")}

    def init_token(self, label: str) -> None:
        subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", label, "--pin", PIN, "--so-pin", SO_PIN],
                       check=True, capture_output=True, env=self.env)

    def delete_token(self, label: str) -> None:
        subprocess.run(["softhsm2-util", "--delete-token", "--token", label], check=True, capture_output=True,
                       env=self.env)

    def add_key(self, token_label: str, key_label: str, key_id: bytes, ca: SigningCA, common: str, **issue):
        """Generate an RSA key pair ON the token, have the CA certify it, store the certificate beside it."""
        import pkcs11
        from pkcs11 import Attribute, CertificateType, KeyType, ObjectClass
        from pkcs11.util.rsa import encode_rsa_public_key

        lib = pkcs11.lib(self.library)
        token = lib.get_token(token_label=token_label)
        with token.open(rw=True, user_pin=PIN) as session:
            public, _ = session.generate_keypair(KeyType.RSA, 2048, id=key_id, label=key_label, store=True)
            der = encode_rsa_public_key(public)
            cert = ca.issue(common, serialization.load_der_public_key(
                _spki_from_pkcs1(der)), **issue)
            session.create_object({Attribute.CLASS: ObjectClass.CERTIFICATE,
                                   Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                                   Attribute.TOKEN: True, Attribute.ID: key_id, Attribute.LABEL: key_label,
                                   Attribute.SUBJECT: cert.subject.public_bytes(),
                                   Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER)})
        return cert


def _spki_from_pkcs1(der: bytes) -> bytes:
    from asn1crypto import keys

    return keys.PublicKeyInfo({"algorithm": {"algorithm": "rsa"}, "public_key": keys.RSAPublicKey.load(der)}).dump()


def make_soft_token(folder: Path) -> SoftToken:
    library = softhsm_library()
    if library is None or shutil.which("softhsm2-util") is None:
        raise RuntimeError("softhsm2 is not installed (apt-get install softhsm2; .ci/run installs it)")
    (folder / "tokens").mkdir(parents=True, exist_ok=True)
    (folder / "softhsm2.conf").write_text(f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\n"
                                          "log.level = ERROR\nslots.removable = false\n", encoding="utf-8")
    os.environ["SOFTHSM2_CONF"] = str(folder / "softhsm2.conf")  # read once, when the library is first loaded
    return SoftToken(folder, library)


@dataclass
class TokenStore:
    """The one SoftHSM2 store of the test process (the PKCS#11 library reads its configuration only once)."""

    token: SoftToken
    ca: SigningCA
    certs: dict[str, x509.Certificate]
    folder: Path


_STORE: TokenStore | None = None
SIGNER = "Lê Công Du"


def token_store(tmp_path_factory) -> TokenStore:
    """Initialise (once per test process) the tokens, with keys generated on them and certified by a test CA."""
    global _STORE
    if _STORE is None:
        folder = tmp_path_factory.mktemp("softhsm")
        token = make_soft_token(folder)
        token.init_token(TOKEN)
        token.init_token(REMOVABLE)  # every token must exist before the library is first loaded
        ca = SigningCA()
        certs = {
            "signer": token.add_key(TOKEN, "signer", b"\x01", ca, SIGNER),
            "expired": token.add_key(TOKEN, "expired", b"\x02", ca, SIGNER, days_valid=(-400, -30)),
            "nousage": token.add_key(TOKEN, "nousage", b"\x03", ca, SIGNER, signing=False),
            "other": token.add_key(TOKEN, "other", b"\x04", ca, "Trần Văn Khác"),
            "removable": token.add_key(REMOVABLE, "signer", b"\x01", ca, SIGNER),
        }
        (folder / "ca.pem").write_bytes(ca.pem())
        _STORE = TokenStore(token, ca, certs, folder)
    return _STORE


def signature_pngs(folder: Path) -> tuple[Path, Path]:
    """A blue handwritten-like signature spanning its whole image, and a red seal ring filling its image."""
    from PIL import Image, ImageDraw

    folder.mkdir(parents=True, exist_ok=True)
    sig = Image.new("RGBA", (600, 240), (0, 0, 0, 0))
    draw = ImageDraw.Draw(sig)
    draw.line([(0, 200), (150, 30), (300, 210), (450, 40), (599, 190)], fill=(20, 40, 200, 255), width=12)
    draw.line([(0, 120), (599, 120)], fill=(20, 40, 200, 255), width=6)
    seal = Image.new("RGBA", (500, 500), (0, 0, 0, 0))
    draw = ImageDraw.Draw(seal)
    draw.ellipse([0, 0, 499, 499], outline=(220, 20, 20, 255), width=24)
    draw.ellipse([90, 90, 409, 409], outline=(220, 20, 20, 255), width=10)
    sig_path, seal_path = folder / "chu-ky.png", folder / "con-dau.png"
    sig.save(sig_path)
    seal.save(seal_path)
    return sig_path, seal_path


def configure(workspace, store: TokenStore, folder: Path, key_label: str = "signer", token: str = TOKEN):
    """Cài đặt › Ký số for a test workspace: the SoftHSM token, the images, the seal's real size."""
    from desktop.services.signing import SigningSettings, save_settings

    sig, seal = signature_pngs(folder / "anh")
    return save_settings(workspace, SigningSettings("pkcs11", store.token.library, token, key_label,
                                                    signer_image=str(sig), seal_image=str(seal), seal_mm=36.0))


def nss_db(folder: Path, ca_pem: Path) -> Path:
    """An NSS database trusting the test CA, for poppler's pdfsig (which validates through NSS)."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["certutil", "-N", "-d", f"sql:{folder}", "--empty-password"], check=True, capture_output=True)
    subprocess.run(["certutil", "-A", "-d", f"sql:{folder}", "-n", "khbc-test-ca", "-t", "CT,C,C", "-i", str(ca_pem)],
                   check=True, capture_output=True)
    return folder
