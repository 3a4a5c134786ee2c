"""TLS for the gRPC and HTTP listeners (`serve --tls-cert FILE --tls-key FILE`): the certificate
chain and key, read and checked once at start, so a bad file is a one-line error and not a
listener that fails its first handshake. docs/security.md, "TLS"."""

from __future__ import annotations

import dataclasses
import os
import ssl

import grpc


@dataclasses.dataclass(frozen=True)
class TlsFiles:
    """A PEM certificate chain (the server's certificate first) and its PEM private key."""

    cert: str
    key: str

    @classmethod
    def from_options(cls, cert: str | None, key: str | None) -> TlsFiles | None:
        """Both files or neither (plain text); one without the other is a ValueError."""
        if not cert and not key:
            return None
        if not cert or not key:
            raise ValueError("TLS needs both --tls-cert and --tls-key (or TASKROUTER_TLS_CERT and TASKROUTER_TLS_KEY)")
        files = cls(cert, key)
        files.check()
        return files

    def check(self) -> None:
        """Raises ValueError unless the files are readable PEM and the key belongs to the certificate."""
        for path in (self.cert, self.key):
            if not os.path.isfile(path):
                raise ValueError(f"TLS file not found: {path}")
        try:
            ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(self.cert, self.key)
        except (ssl.SSLError, OSError) as error:
            raise ValueError(f"cannot use {self.cert} with {self.key} for TLS: {error}") from None

    def server_credentials(self) -> grpc.ServerCredentials:
        with open(self.cert, "rb") as cert, open(self.key, "rb") as key:
            return grpc.ssl_server_credentials([(key.read(), cert.read())])
