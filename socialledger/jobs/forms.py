from __future__ import annotations

from django import forms
from django.conf import settings

from socialledger.jobs.kinds import upload_kinds


class UploadForm(forms.Form):
    """A file to import, what kind it is, and the options its kind offers."""

    kind = forms.ChoiceField(label="What the file holds", widget=forms.RadioSelect)
    file = forms.FileField(label="The file")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        kinds = upload_kinds()
        self.fields["kind"].choices = [(kind.code, kind.label) for kind in kinds]
        self.fields["kind"].help_text = " ".join(f"{k.label}: {k.about}" for k in kinds)
        self.fields["file"].help_text = (
            f"Up to {settings.IMPORT_MAX_BYTES // 1_048_576} MB. It is checked first; nothing is "
            "written until you confirm."
        )
        for kind in kinds:
            for name, label in kind.choices:
                self.fields.setdefault(name, forms.BooleanField(label=label, required=False))

    def options(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if value is True}
