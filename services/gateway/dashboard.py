"""The supervisor dashboard: static files shipped in the package (static/), served as they are:
no build step, nothing from another site. The page signs in with the account SID and token and
then speaks the public API like any client."""

from __future__ import annotations

import importlib.resources

from taskrouter.server.gateway.error_mapping import GatewayError

PATH = "/dashboard"
_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
          ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml"}
_FILES = {"": "dashboard.html", "/": "dashboard.html", "/dashboard.js": "dashboard.js",
          "/dashboard.css": "dashboard.css"}
# Only our own files, and no framing: the page holds a token.
HEADERS = [("cache-control", "no-cache"), ("x-content-type-options", "nosniff"), ("x-frame-options", "DENY"),
           ("content-security-policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'")]


def is_dashboard(path: str) -> bool:
    return path == PATH or path.startswith(PATH + "/")


def asset(method: str, path: str) -> tuple[bytes, str]:
    """The file at `path` (under /dashboard) and its content type."""
    if method not in ("GET", "HEAD"):
        raise GatewayError(405, f"Method {method} is not allowed on {PATH}; use GET", path,
                           headers=[("allow", "GET, HEAD")])
    name = _FILES.get(path[len(PATH):])
    if name is None:
        raise GatewayError(404, f"No such file of the dashboard: {path}", path)
    content = importlib.resources.files("taskrouter.server.gateway").joinpath("static", name).read_bytes()
    return content, _TYPES[name[name.rindex("."):]]
