"""`taskrouter serve --tls-cert --tls-key` (or TASKROUTER_TLS_CERT / TASKROUTER_TLS_KEY) serves gRPC
and HTTP over TLS only, with a self-signed certificate made here."""

from __future__ import annotations

import datetime
import ipaddress
import json
import ssl
import subprocess

import grpc
import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from fault_tools import CLI, ServerProcess, Stubs, create_account
from grpc_health.v1 import health_pb2, health_pb2_grpc

from taskrouter.v1 import configuration_service_pb2 as conf


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for localhost and 127.0.0.1, and its key (PEM files)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    directory = tmp_path_factory.mktemp("tls")
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return str(cert_path), str(key_path)


def _check_tls_only(server: ServerProcess, cert: str, account: dict) -> None:
    assert server.http_url.startswith("https://"), server.http_url
    with open(cert, "rb") as pem:
        credentials = grpc.ssl_channel_credentials(root_certificates=pem.read())
    with grpc.secure_channel(server.grpc_target, credentials) as channel:
        api = Stubs(channel, account)
        ws = api.configuration.CreateWorkspace(conf.CreateWorkspaceRequest(
            enterprise_sid=account["enterpriseSid"], name="Over TLS"))
        assert health_pb2_grpc.HealthStub(channel).Check(
            health_pb2.HealthCheckRequest(), timeout=10).status == health_pb2.HealthCheckResponse.SERVING
    with grpc.insecure_channel(server.grpc_target) as plain:  # no plain-text gRPC on the TLS port
        with pytest.raises(grpc.RpcError) as refused:
            Stubs(plain, account, timeout=5).configuration.GetWorkspace(conf.GetWorkspaceRequest(sid=ws.sid))
        assert refused.value.code() == grpc.StatusCode.UNAVAILABLE

    auth = (account["accountSid"], account["authToken"])
    with httpx.Client(base_url=server.http_url, auth=auth, verify=ssl.create_default_context(cafile=cert),
                      timeout=20) as https:
        found = https.get(f"/taskrouter/workspaces/search/{ws.sid}")  # through the gateway's local hop
        assert found.status_code == 200, found.text
        assert found.json()["data"]["sid"] == ws.sid
        created = https.post("/taskrouter/workspaces", json={"enterpriseSid": account["enterpriseSid"],
                                                              "name": "Created over HTTPS"})
        assert created.status_code == 200, created.text
    with pytest.raises(httpx.HTTPError):  # no plain-text HTTP on the TLS port
        httpx.get(server.http_url.replace("https://", "http://") + f"/taskrouter/workspaces/search/{ws.sid}",
                  auth=auth, timeout=5)
    with pytest.raises(httpx.ConnectError):  # and the certificate is checked: an unknown one is refused
        httpx.get(f"{server.http_url}/openapi.json", timeout=5)


def test_serve_tls_options(certificate, tmp_path):
    cert, key = certificate
    database = f"sqlite:///{tmp_path}/tls.db"
    server = ServerProcess(database, str(tmp_path), http=True, extra=["--tls-cert", cert, "--tls-key", key])
    try:
        _check_tls_only(server, cert, create_account(database))
    finally:
        server.stop()
    assert "Traceback" not in server.log()


def test_serve_tls_environment_variables(certificate, tmp_path):
    cert, key = certificate
    database = f"sqlite:///{tmp_path}/tls.db"
    server = ServerProcess(database, str(tmp_path), http=True,
                           env={"TASKROUTER_TLS_CERT": cert, "TASKROUTER_TLS_KEY": key})
    try:
        _check_tls_only(server, cert, create_account(database))
    finally:
        server.stop()


@pytest.mark.parametrize("options", [["--tls-cert", "CERT"], ["--tls-key", "KEY"],
                                     ["--tls-cert", "CERT", "--tls-key", "CERT"],
                                     ["--tls-cert", "MISSING", "--tls-key", "KEY"]])
def test_serve_refuses_incomplete_or_wrong_tls_files_in_one_line(certificate, tmp_path, options):
    cert, key = certificate
    files = {"CERT": cert, "KEY": key, "MISSING": str(tmp_path / "missing.pem")}
    result = subprocess.run([*CLI, "serve", "--grpc-addr", "127.0.0.1:0", "--http-addr", "off", "--database",
                             f"sqlite:///{tmp_path}/x.db", *[files.get(o, o) for o in options]],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2, result
    assert result.stderr.startswith("taskrouter: error:") and "TLS" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_gateway_command_reaches_a_tls_server(certificate, tmp_path):
    """`taskrouter gateway` in front of a TLS gRPC server (--grpc-ca), itself serving HTTPS."""
    cert, key = certificate
    database = f"sqlite:///{tmp_path}/tls.db"
    server = ServerProcess(database, str(tmp_path), extra=["--tls-cert", cert, "--tls-key", key])
    account = create_account(database)
    from fault_tools import free_port

    port = free_port()
    gateway = subprocess.Popen([*CLI, "gateway", "--grpc-target", server.grpc_target, "--http-addr",
                                f"127.0.0.1:{port}", "--grpc-ca", cert, "--tls-cert", cert, "--tls-key", key],
                               stderr=subprocess.PIPE, text=True)
    try:
        verify = ssl.create_default_context(cafile=cert)
        auth = (account["accountSid"], account["authToken"])
        from polling import eventually

        def answer():
            try:
                return httpx.post(f"https://127.0.0.1:{port}/taskrouter/workspaces", verify=verify, auth=auth,
                                  json={"enterpriseSid": account["enterpriseSid"], "name": "Via gateway"}, timeout=10)
            except httpx.ConnectError:
                return None

        created = eventually(answer, timeout=30)
        assert created.status_code == 200, created.text
        assert json.loads(created.text)["data"]["name"] == "Via gateway"
    finally:
        gateway.terminate()
        gateway.wait(timeout=30)
        server.stop()
