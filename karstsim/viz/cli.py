"""``karstsim viz``: serve the web app on this machine.

The Solara server reads its settings from the environment when it is imported, so
:func:`serve` sets them first: the app module, production mode, no telemetry and the
JavaScript served from the locally installed ``solara-assets`` (the page works with no
internet connection).
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
from collections.abc import Callable

from karstsim.model.parameters import InputError
from karstsim.viz.server_defaults import (
    DEFAULT_PROVINCE_SESSIONS,
    DEFAULT_SESSION_TIMEOUT_S,
    WEBSOCKET_PING_TIMEOUT_S,
)

APP_MODULE = "karstsim.viz.app"
DEFAULT_HOST = "localhost"
DEFAULT_PORT = 8765
SERVER_ENVIRONMENT = {
    "SOLARA_APP": APP_MODULE,
    "SOLARA_MODE": "production",
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
    "SOLARA_ASSETS_PROXY": "True",
    "SOLARA_THEME_LOADER": "plain",
}
"""Environment the Solara server is started with."""


def serve(
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    session_timeout_s: float = DEFAULT_SESSION_TIMEOUT_S,
    province_sessions: int = DEFAULT_PROVINCE_SESSIONS,
) -> None:
    """Run the app's web server until interrupted. A page's session is freed
    ``session_timeout_s`` after the page is closed or loses its connection (a reload within
    that time finds its state in the page's address anyway); at most ``province_sessions``
    pages run the whole province at once."""
    if not 0 < port < 65536:
        raise InputError(f"--port {port}: allowed 1 to 65535")
    if not session_timeout_s >= 1:
        raise InputError(f"--session-timeout {session_timeout_s}: allowed 1 s or more")
    if province_sessions < 0:
        raise InputError(f"--province-sessions {province_sessions}: allowed 0 or more")
    _check_can_listen(host, port)
    os.environ.update(SERVER_ENVIRONMENT)
    os.environ["SERVER_NAME"], os.environ["SERVER_PORT"] = host, str(port)
    os.environ["SOLARA_KERNEL_CULL_TIMEOUT"] = f"{session_timeout_s:g}s"
    import uvicorn

    import karstsim.viz.server_state as server_state

    server_state.PROVINCE_GATE.limit = province_sessions

    from karstsim.viz.style import configure_fonts

    configure_fonts()
    print(f"karstsim viz: open http://{host}:{port}/ in a browser (Ctrl+C stops it)", flush=True)
    uvicorn.run(
        "solara.server.starlette:app",
        host=host,
        port=port,
        log_level="warning",
        ws_ping_timeout=WEBSOCKET_PING_TIMEOUT_S,
    )


def _check_can_listen(host: str, port: int) -> None:
    """A clear error now, rather than the server's, if ``host:port`` cannot be listened on."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        with socket.socket(infos[0][0], socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(infos[0][4])
    except OSError as error:
        raise InputError(
            f"cannot serve on {host}:{port}: {error.strerror or error}; choose another --port"
        ) from None


def _with_system_malloc() -> None:
    """Start this command again with Python's objects on the C allocator (``PYTHONMALLOC=
    malloc``), once, on Linux: the memory of closed sessions then goes back to the system
    (:func:`karstsim.viz.server_state.collect_now` trims the heap), where Python's own
    allocator keeps most of it (30 closed pages: 0.27 of their memory kept, 0.52 without)."""
    if sys.platform == "linux" and os.environ.get("PYTHONMALLOC") != "malloc":
        os.execve(sys.executable, sys.orig_argv, {**os.environ, "PYTHONMALLOC": "malloc"})


def _cmd_viz(args: argparse.Namespace) -> int:
    _with_system_malloc()
    serve(args.host, args.port, args.session_timeout, args.province_sessions)
    return 0


def register(sub: argparse._SubParsersAction) -> dict[str, Callable[[argparse.Namespace], int]]:
    """Add the ``viz`` subcommand."""
    viz = sub.add_parser("viz", help="start the web app (Solara) on this machine")
    viz.add_argument(
        "--session-timeout",
        type=float,
        default=DEFAULT_SESSION_TIMEOUT_S,
        metavar="SECONDS",
        help="free a page's session this long after it was closed or lost its connection "
        f"(default {DEFAULT_SESSION_TIMEOUT_S:g})",
    )
    viz.add_argument(
        "--province-sessions",
        type=int,
        default=DEFAULT_PROVINCE_SESSIONS,
        metavar="N",
        help="pages that may run the whole province at once, about 0.4 GB each "
        f"(default {DEFAULT_PROVINCE_SESSIONS})",
    )
    viz.add_argument("--port", type=int, default=DEFAULT_PORT, help="port (default 8765)")
    viz.add_argument(
        "--host", default=DEFAULT_HOST, help="address to listen on (default localhost)"
    )
    return {"viz": _cmd_viz}
