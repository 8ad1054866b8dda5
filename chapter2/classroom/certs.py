"""Certificates for grading on a Dask cluster with mutual TLS: only the teacher's machines take part.

``python -m chapter2 grade-certs DIR`` makes, in a new private folder:

``ca.pem``
    The teacher's own certificate authority (public; every machine needs it).
``ca-key.pem``
    Its private key: it signs the grading certificate and is needed by no
    machine afterwards; keep it offline.
``grader.pem`` and ``grader-key.pem``
    The certificate (and its key) that the scheduler, every grading worker
    and the grading command present to each other.

With these, :class:`distributed.security.Security` (see :func:`security`)
requires encryption and a certificate signed by ``ca.pem`` on every
connection, both ways: a client or a worker without the grading key is
refused by the scheduler, and the grader talks to no scheduler without it.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

from ..errors import InputValueError

CA, CA_KEY, CERT, KEY = "ca.pem", "ca-key.pem", "grader.pem", "grader-key.pem"
#: How long the certificates are valid: a school year, and a little more.
DAYS = 400


def make_certificates(folder: Path | str) -> list[Path]:
    """Write a new authority and a grading certificate it signs into ``folder`` (created private).

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    InputValueError
        If ``folder`` already holds certificates (never overwritten), or the
        ``cryptography`` package is missing.
    """
    try:
        from cryptography.hazmat.primitives.asymmetric import ec
    except ImportError:
        raise InputValueError('making certificates needs the cryptography package: '
                              'pip install "chapter2[cluster]"') from None
    folder = Path(folder)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if any((folder / name).exists() for name in (CA, CA_KEY, CERT, KEY)):
        raise InputValueError(f"{folder} already holds grading certificates; choose a new folder")
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca = _certificate("chapter2 grading authority", ca_key.public_key(), ca_key, None, authority=True)
    cert = _certificate("chapter2 grader", key.public_key(), ca_key, ca, authority=False)
    written = [_write(folder / CA, _pem(ca), 0o644), _write(folder / CA_KEY, _key_pem(ca_key), 0o600),
               _write(folder / CERT, _pem(cert), 0o644), _write(folder / KEY, _key_pem(key), 0o600)]
    return written


def security(folder: Path | str):
    """The Dask :class:`~distributed.security.Security` of the grading command, from ``folder``."""
    from distributed.security import Security

    folder = Path(folder)
    missing = [name for name in (CA, CERT, KEY) if not (folder / name).is_file()]
    if missing:
        raise InputValueError(f"{folder} lacks {', '.join(missing)}: make them with "
                              f"`python -m chapter2 grade-certs {folder}`")
    return Security(tls_ca_file=str(folder / CA), tls_client_cert=str(folder / CERT),
                    tls_client_key=str(folder / KEY), require_encryption=True)


def _certificate(name: str, public_key, signer, issuer, authority: bool):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (x509.CertificateBuilder().subject_name(subject)
               .issuer_name(issuer.subject if issuer is not None else subject)
               .public_key(public_key).serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(minutes=5))
               .not_valid_after(now + datetime.timedelta(days=DAYS))
               .add_extension(x509.BasicConstraints(ca=authority, path_length=0 if authority else None),
                              critical=True))
    if not authority:  # one certificate for both ends of every connection
        builder = builder.add_extension(x509.ExtendedKeyUsage(
            [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName("chapter2-grader")]),
                                        critical=False)
    return builder.sign(signer, hashes.SHA256())


def _pem(certificate) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return certificate.public_bytes(serialization.Encoding.PEM)


def _key_pem(key) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _write(path: Path, data: bytes, mode: int) -> Path:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    return path


__all__ = ["make_certificates", "security", "CA", "CA_KEY", "CERT", "KEY"]
