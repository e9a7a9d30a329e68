"""opa-python-client's synchronous client, imported without its async one.

The package's __init__ imports AsyncOpaClient, and with it aiohttp and asyncio: about a
fifth of govern's start-up, for a client govern never uses.
"""

from __future__ import annotations

import importlib.util
import sys
from typing import Any

__all__ = ["ConnectionsError", "DeletePolicyError", "OpaClient", "PolicyNotFoundError", "RegoParseError"]


def _register_without_async() -> None:
    """Register the `opa_client` package without running its __init__: its synchronous modules
    load as usual, and the first use of anything else from the package (AsyncOpaClient,
    create_opa_client) runs the __init__ after all, so other importers see the whole package."""
    if "opa_client" in sys.modules:
        return
    spec = importlib.util.find_spec("opa_client")
    if spec is None or spec.loader is None:
        return  # not installed: the import below says so
    package = importlib.util.module_from_spec(spec)
    loader = spec.loader

    def rest_of_package(name: str) -> Any:
        del package.__getattr__  # once: the real __init__ defines the rest
        loader.exec_module(package)
        return getattr(package, name)

    package.__getattr__ = rest_of_package  # type: ignore[method-assign]  # PEP 562: consulted for missing names
    sys.modules["opa_client"] = package


_register_without_async()
from opa_client.errors import ConnectionsError, DeletePolicyError, PolicyNotFoundError, RegoParseError  # noqa: E402
from opa_client.opa import OpaClient  # noqa: E402

