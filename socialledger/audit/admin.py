"""The audit log in the admin (read-only), and the base class that audits admin edits."""

from __future__ import annotations

from django.contrib import admin
from django.forms.models import model_to_dict

from socialledger.audit.actions import record
from socialledger.audit.models import AuditEvent


class AuditedAdmin(admin.ModelAdmin):
    """A model admin whose saves and deletions are written to the audit log like any action."""

    def save_model(self, request, obj, form, change):
        before = _plain(model_to_dict(type(obj).objects.get(pk=obj.pk))) if change else None
        super().save_model(request, obj, form, change)
        after = _plain(model_to_dict(obj))
        if before is not None:
            changed = {k for k in after if before.get(k) != after[k]}
            before, after = {k: before.get(k) for k in changed}, {k: after[k] for k in changed}
        verb = "changed" if change else "created"
        record(
            obj,
            f"{obj._meta.model_name}.{verb}",
            by=request.user,
            provider=_provider_of(obj),
            before=before,
            after=after,
            via="admin",
        )

    def delete_model(self, request, obj):
        record(
            obj,
            f"{obj._meta.model_name}.deleted",
            by=request.user,
            provider=_provider_of(obj),
            before=_plain(model_to_dict(obj)),
            via="admin",
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


def _plain(values: dict) -> dict:
    return {
        key: value if isinstance(value, (str, int, bool, type(None))) else str(value)
        for key, value in values.items()
    }


def _provider_of(obj):
    for path in ("home_provider", "provider", "framework.provider", "organisation.home_provider"):
        target = obj
        try:
            for part in path.split("."):
                target = getattr(target, part)
        except AttributeError:
            continue
        if target is not None:
            return target
    return None


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records that change only through actions (returns, entries) or never (the log)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor_label", "action", "object_repr", "provider"]
    list_filter = ["action", "provider"]
    search_fields = ["object_repr", "actor_label", "note"]
    date_hierarchy = "created_at"
