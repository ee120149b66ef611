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
from collections.abc import Callable

from karstsim.model.parameters import InputError

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


def serve(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> None:
    """Run the app's web server until interrupted."""
    if not 0 < port < 65536:
        raise InputError(f"--port {port}: allowed 1 to 65535")
    _check_can_listen(host, port)
    os.environ.update(SERVER_ENVIRONMENT)
    os.environ["SERVER_NAME"], os.environ["SERVER_PORT"] = host, str(port)
    import uvicorn

    from karstsim.viz.style import configure_fonts

    configure_fonts()
    print(f"karstsim viz: open http://{host}:{port}/ in a browser (Ctrl+C stops it)", flush=True)
    uvicorn.run("solara.server.starlette:app", host=host, port=port, log_level="warning")


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


def _cmd_viz(args: argparse.Namespace) -> int:
    serve(args.host, args.port)
    return 0


def register(sub: argparse._SubParsersAction) -> dict[str, Callable[[argparse.Namespace], int]]:
    """Add the ``viz`` subcommand."""
    viz = sub.add_parser("viz", help="start the web app (Solara) on this machine")
    viz.add_argument("--port", type=int, default=DEFAULT_PORT, help="port (default 8765)")
    viz.add_argument(
        "--host", default=DEFAULT_HOST, help="address to listen on (default localhost)"
    )
    return {"viz": _cmd_viz}
