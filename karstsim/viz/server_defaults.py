"""The web server's defaults, in a module that imports nothing: the command line reads them
to build its options (every ``karstsim`` command builds them) and the server uses them."""

DEFAULT_SESSION_TIMEOUT_S = 60.0
"""Seconds a closed or disconnected page's session is kept (Solara's own default: 24 h)."""
DEFAULT_PROVINCE_SESSIONS = 4
"""Pages that may run the whole province at once, by default (about 0.4 GB each)."""
WEBSOCKET_PING_TIMEOUT_S = 300.0
"""Seconds a page's connection may go without an answer to the server's ping (uvicorn's
default, 20 s, drops the pages of a class that opens the app at once while the server is
busy building their sessions, and Solara does not take them back)."""
