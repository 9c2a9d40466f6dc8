"""The JSON API under /api/v1/, with its OpenAPI schema and interactive docs (docs/api.md).

Each app keeps its operations in its own `api.py` as one ninja Router; this module only puts
them together. To add an app's API: write `socialledger/<app>/api.py` with `router = Router()`
built from socialledger.apikit's pieces, and add it to ROUTERS below.
"""

from __future__ import annotations

from importlib import import_module

from ninja import NinjaAPI

from socialledger.apikit import TokenAuth, TokenThrottle, install_error_handlers

# The apps whose `api.py` router is part of the API, in the order the docs list them.
ROUTERS = (
    "socialledger.accounts",
    "socialledger.organisations",
    "socialledger.contracts",
    "socialledger.kpis",
    "socialledger.measures",
    "socialledger.returns",
    "socialledger.reports",
    "socialledger.outcomes",
    "socialledger.imports",
)


def build_api() -> NinjaAPI:
    api = NinjaAPI(
        title="Social Ledger API",
        version="1",
        description=(
            "Frameworks, contracts, returns and reports of Social Ledger. Every request sends "
            "an API token (made on the web under Your account > API tokens) as "
            "'Authorization: Bearer <token>'; it acts as one membership, with that role's "
            'rights. Errors answer {"error": {"code", "message", "details"}}. '
            "See docs/api.md."
        ),
        urls_namespace="api",
        auth=TokenAuth(),
        throttle=[TokenThrottle()],
    )
    install_error_handlers(api)
    for app in ROUTERS:
        api.add_router("", import_module(f"{app}.api").router)
    return api


api = build_api()
