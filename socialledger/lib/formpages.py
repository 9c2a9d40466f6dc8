"""A page whose form calls one action: shown, checked, carried out, or shown again with why."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse

TEMPLATE = "setup/form.html"


def form_page(
    request: HttpRequest,
    form,
    *,
    title: str,
    submit: str,
    carry_out: Callable[[dict], object],
    done: Callable[[object], tuple[str, str]],
    back: tuple[str, str],
    intro: str = "",
    template: str = TEMPLATE,
    context: dict | None = None,
) -> HttpResponse:
    """Show the form; on a valid post call `carry_out(cleaned_data)`; then `done(result)` gives
    the message to show and the address to go to. An action's refusal is shown on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            result = carry_out(form.cleaned_data)
        except (ValidationError, ValueError) as error:
            form.add_error(None, _message(error))
        else:
            message, url = done(result)
            messages.success(request, message)
            return redirect(url)
    shown = {"form": form, "title": title, "submit": submit, "back": back, "intro": intro}
    return TemplateResponse(request, template, {**shown, **(context or {})})


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)
