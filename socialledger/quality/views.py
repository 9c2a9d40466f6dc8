"""Data-quality pages: an officer marks a warning on a return's figure checked, with a reason."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from socialledger.accounts.access import OFFICERS, get_return_for_user, ledger_view
from socialledger.quality.actions import mark_warning_checked
from socialledger.quality.queries import warnings_for_return


@require_POST
@ledger_view(roles=OFFICERS)
def check_warning(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one warning on a figure of the return checked: the warning is worked out again
    from the ledger, so only a warning that stands can be checked."""
    ret = get_return_for_user(request.membership, pk)
    back = f"{reverse('return-detail', args=[ret.pk])}#review"
    warning = _standing_warning(ret, request.POST)
    if warning is None:
        messages.error(request, "That figure has no such warning now: it may have changed.")
        return redirect(back)
    try:
        mark_warning_checked(
            ret.provider, warning, reason=request.POST.get("reason", ""), by=request.user, via="web"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Marked checked: {warning.title.lower()}.")
    return redirect(back)


def _standing_warning(ret, posted):
    try:
        key = (int(posted.get("contract", "")), int(posted.get("measure", "")))
    except ValueError:
        return None
    rule = posted.get("rule", "")
    return next((w for w in warnings_for_return(ret).get(key, []) if w.rule == rule), None)
