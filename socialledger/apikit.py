"""What every API router shares: signing in with a token, throttling, the one error shape,
pages of results, and the year and scope filters (docs/api.md).

Each app keeps its endpoints in its own `api.py` as a ninja Router built from these pieces;
`socialledger/api.py` puts the routers together under /api/v1/.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import Field, Path, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as RequestInvalid
from ninja.security import HttpBearer
from ninja.throttling import SimpleRateThrottle
from pydantic import AfterValidator, StringConstraints, create_model

from socialledger.accounts.access import (
    api_token_for,
    get_scope_for_user,
    must_enrol_in_two_factor,
    provider_of,
)
from socialledger.accounts.actions import note_api_token_used
from socialledger.accounts.models import Membership, Role
from socialledger.lib.periods import FinancialYear, PeriodError
from socialledger.returns.actions import TransitionError

logger = logging.getLogger(__name__)

PREFIX = "/api/v1/"
VIA = "api"
# The largest id a database row can have (a signed 64-bit integer).
MAX_ID = 2**63 - 1


def _encodable(text: str) -> str:
    text.encode("utf-8")  # a lone surrogate cannot be stored: refuse it as invalid input
    return text


def text(max_length: int, min_length: int = 0) -> Any:
    """A string field: no control characters, at most max_length characters."""
    return _string(max_length, min_length, r"^[^\x00-\x1f\x7f]*$")


def prose(max_length: int, min_length: int = 0) -> Any:
    """A string field that may run over several lines (tabs and line breaks, no other control
    characters), at most max_length characters."""
    return _string(max_length, min_length, r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$")


def _string(max_length: int, min_length: int, pattern: str) -> Any:
    return Annotated[
        str,
        StringConstraints(min_length=min_length, max_length=max_length, pattern=pattern),
        AfterValidator(_encodable),
    ]


# A row's id in a path: a positive 64-bit integer (anything larger cannot exist).
RowId = Path[int, {"ge": 1, "le": MAX_ID}]
# A code in a path, e.g. a measure's.
CodeInPath = Path[str, {"min_length": 1, "max_length": 60, "pattern": r"^[^\x00-\x1f\x7f/]*$"}]


# --- The one error shape ------------------------------------------------------------------------


class ErrorDetail(Schema):
    field: str = Field(description="Where the problem is, e.g. entries.0.quantity or year")
    message: str
    value: str | None = Field(
        None, description="For a problem in an imported file: the value found there"
    )
    expected: str | None = Field(
        None, description="For a problem in an imported file: what was expected instead"
    )


class ErrorBody(Schema):
    code: str = Field(description="A stable word for programs, e.g. not_found or invalid")
    message: str = Field(description="What went wrong, in words for people")
    details: list[ErrorDetail] = Field(default_factory=list)


class ErrorOut(Schema):
    error: ErrorBody


class ApiError(Exception):
    """An answer other than success, in the API's one error shape."""

    def __init__(
        self, status: int, code: str, message: str, details: list[dict] | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details or []


def error_response(status: int, code: str, message: str, details=None) -> JsonResponse:
    body = {"error": {"code": code, "message": message, "details": details or []}}
    response = JsonResponse(body, status=status)
    if status == 401:  # RFC 9110: a 401 names the scheme that would succeed
        response["WWW-Authenticate"] = 'Bearer realm="Social Ledger API"'
    return response


# Answers any operation may give besides success: an unreadable request (400), no or a bad token
# (401), a read-only token or a role that may not (403), out of sight (404), a body too large
# (413), invalid input (422), too many requests (429).
COMMON_ERRORS = (400, 401, 403, 404, 413, 422, 429)


def answers(ok: dict[int, Any], *extra: int) -> dict[int, Any]:
    """The responses an operation declares: its successes and every error it can give."""
    return {**ok, **dict.fromkeys((*COMMON_ERRORS, *extra), ErrorOut)}


def install_error_handlers(api) -> None:
    """Every failure the API can meet, answered in the one error shape."""

    @api.exception_handler(ApiError)
    def _api_error(request, exc: ApiError):
        return error_response(exc.status, exc.code, exc.message, exc.details)

    @api.exception_handler(RequestInvalid)
    def _invalid(request, exc: RequestInvalid):
        details = [_detail(error) for error in exc.errors]
        return error_response(422, "invalid", "The request is not valid; see details.", details)

    @api.exception_handler(Http404)
    def _not_found(request, exc: Http404):
        return error_response(404, "not_found", str(exc) or "Not found.")

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request, exc):
        return error_response(
            401,
            "unauthenticated",
            "Send a valid API token as 'Authorization: Bearer <token>'. Tokens are made on the "
            "web under Your account > API tokens; a revoked token, or one whose membership was "
            "deactivated, no longer works.",
        )

    @api.exception_handler(Throttled)
    def _throttled(request, exc: Throttled):
        response = error_response(
            429,
            "throttled",
            f"Too many requests for this token (the limit is {settings.API_RATE}); "
            "wait and try again.",
        )
        if exc.wait is not None:
            response["Retry-After"] = str(max(1, int(exc.wait)))
        return response

    @api.exception_handler(HttpError)
    def _http_error(request, exc: HttpError):
        if exc.status_code == 400:
            message = f"{exc.message}: send JSON, as the schema shows."
            return error_response(400, "bad_request", message)
        return error_response(exc.status_code, "http_error", exc.message)

    @api.exception_handler(RequestDataTooBig)
    def _too_large(request, exc: RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return error_response(
            413,
            "too_large",
            f"The request body is larger than this server takes ({limit:,} bytes); send less "
            "at once (several packages, or entries in several calls).",
        )

    @api.exception_handler(TransitionError)
    def _not_now(request, exc: TransitionError):
        return error_response(409, "not_allowed_now", str(exc))

    @api.exception_handler(DjangoValidationError)
    def _refused(request, exc: DjangoValidationError):
        return refused_response(exc)

    @api.exception_handler(Exception)
    def _server_error(request, exc: Exception):
        logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
        return error_response(500, "server_error", "Something went wrong on our side.")


def refused_response(exc: DjangoValidationError) -> JsonResponse:
    """A rule of the ledger refused the change: 422 with each field's message."""
    if hasattr(exc, "error_dict"):
        details = [
            {"field": field if field != "__all__" else "", "message": message}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        details = [{"field": "", "message": message} for message in exc.messages]
    message = " ".join(detail["message"] for detail in details) or "Refused."
    return error_response(422, "refused", message, details)


def _detail(error: dict) -> dict:
    location = [str(part) for part in error.get("loc", ())]
    if location[:1] == ["body"]:
        location = location[2:]  # past "body" and the name of the whole payload
    elif location:
        location = location[1:]
    return {"field": ".".join(location), "message": error.get("msg", "invalid")}


class ErrorShapeMiddleware:
    """Under /api/, answers made outside the API's operations become its error shape too:
    Django's own "not found" and "method not allowed" (a path that matches no operation, or a
    verb it does not take), and a request refused before any view (a NUL character)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(PREFIX) or response.status_code not in (400, 404, 405):
            return response
        content_type = response.get("Content-Type", "")
        if content_type.startswith("application/json"):
            return response
        if response.status_code == 400:
            said = response.content.decode() if content_type.startswith("text/plain") else ""
            return error_response(400, "bad_request", said or "The request could not be read.")
        if response.status_code == 404:
            return error_response(404, "not_found", "There is no such address in the API.")
        shaped = error_response(405, "method_not_allowed", f"{request.method} is not allowed here.")
        shaped["Allow"] = response.get("Allow", "")
        return shaped


# --- Tokens and throttling ----------------------------------------------------------------------


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`: the token's membership acts, with its role."""

    openapi_description = "An API token made on the web under Your account > API tokens."

    def authenticate(self, request: HttpRequest, token: str):
        found = api_token_for(token)
        if found is None:
            return None
        if must_enrol_in_two_factor(found.membership.user):
            raise ApiError(
                401,
                "two_factor_required",
                "Your provider requires two-factor sign-in. Turn it on on the web under Your "
                "account; this token works again once you have.",
            )
        note_api_token_used(found)
        request.membership = found.membership
        return found


class TokenThrottle(SimpleRateThrottle):
    """At most SOCIALLEDGER_API_RATE requests per token per period (read on every request, so
    a change of setting needs no restart of this object)."""

    scope = "api-token"

    def __init__(self) -> None:  # the rate is read per request, below
        self.rate = None

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = settings.API_RATE
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request: HttpRequest) -> str | None:
        token = getattr(request, "auth", None)
        if token is None:
            return None
        # The random prefix, not the row id: ids can be reused, a prefix never is.
        return self.cache_format % {"scope": self.scope, "ident": token.prefix}


# --- Who acts, and what they may do -------------------------------------------------------------


def acting(
    request, *, write: bool = False, roles: frozenset[str] | None = None, to: str = ""
) -> Membership:
    """The membership the token acts as; refuses a write by a read-only token, and an operation
    the role may not do (`to` says what, for the message)."""
    token = request.auth
    if write and not token.can_write:
        raise ApiError(
            403,
            "read_only_token",
            "This token is read only. Make a read-and-write token to change anything.",
        )
    membership = token.membership
    if roles is not None and membership.role not in roles:
        allowed = ", ".join(sorted(Role(role).label.lower() for role in roles))
        raise ApiError(
            403,
            "forbidden",
            f"A {membership.get_role_display().lower()} may not {to}; only: {allowed}.",
        )
    return membership


def by(request):
    """The person the token belongs to, recorded in the audit log."""
    return request.auth.membership.user


# --- Filters and pages --------------------------------------------------------------------------

YearText = text(20)
ScopeText = text(200)


class Page(Schema):
    limit: int = Field(settings.NINJA_PAGINATION_PER_PAGE, ge=1, le=500)
    offset: int = Field(0, ge=0, le=10**9)


def page_of(queryset, page: Page, serialise=None) -> dict:
    """One page of results (of a queryset, or a list a query made) with the total count, so a
    program can fetch the rest; each item as serialise makes it (the object itself, for its
    schema to read, if not given)."""
    serialise = serialise or (lambda item: item)
    count = len(queryset) if isinstance(queryset, list) else queryset.count()
    chunk = queryset[page.offset : page.offset + page.limit]
    return {
        "count": count,
        "limit": page.limit,
        "offset": page.offset,
        "items": [serialise(item) for item in chunk],
    }


def page_schema(item: type[Schema]) -> type[Schema]:
    """The schema of a page of items: count (all matching), limit, offset and the items."""
    return create_model(
        f"{item.__name__}Page",
        __base__=Schema,
        count=(int, Field(description="How many match, on every page")),
        limit=(int, ...),
        offset=(int, ...),
        items=(list[item], ...),
    )


def one_of(visible, pk: int, noun: str):
    """The object with this id among those the token may see; else 404."""
    found = visible.filter(pk=pk).first()
    if found is None:
        raise Http404(f"No such {noun}.")
    return found


def year_from(membership: Membership, text: str | None) -> FinancialYear | None:
    """A financial year written as the command line takes it ("2023-24"), or None."""
    if not text:
        return None
    try:
        return provider_of(membership).parse_year(text)
    except PeriodError as error:
        raise ApiError(
            422, "invalid", str(error), [{"field": "year", "message": str(error)}]
        ) from None


def scope_from(membership: Membership, text: str | None):
    """The report scope named (e.g. "framework:DEC"), if the membership may see it; else 404."""
    return get_scope_for_user(membership, text or None)
