"""A Decimal model field stored as a scaled whole number, so sums are exact on every database.

SQLite keeps DECIMAL columns as floating point, which would let totals of millions of entries
drift by fractions of a penny. Storing 1,318.5 as the integer 13,185,000 (four places) makes the
database add whole numbers, and the field turns the sum back into an exact Decimal.
"""

from __future__ import annotations

from decimal import Decimal

from django.core import checks
from django.core.exceptions import ValidationError
from django.db import models

from socialledger.lib.numbers import normalise


class ScaledDecimalField(models.BigIntegerField):
    """A Decimal with a fixed number of places, held in the database as an exact integer."""

    description = "Decimal stored as a scaled integer"

    def __init__(self, *args, places: int = 4, **kwargs):
        self.places = places
        super().__init__(*args, **kwargs)

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        if not 0 <= self.places <= 8:
            errors.append(checks.Error("places must be between 0 and 8", obj=self))
        return errors

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["places"] = self.places
        return name, path, args, kwargs

    @property
    def _scale(self) -> int:
        return 10**self.places

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return normalise(Decimal(int(value)).scaleb(-self.places))

    def to_python(self, value):
        if value is None or isinstance(value, Decimal):
            return value
        try:
            return Decimal(str(value))
        except ArithmeticError as error:
            raise ValidationError(f"“{value}” is not a number.", code="invalid") from error

    def get_prep_value(self, value):
        if value is None:
            return None
        if isinstance(value, (int, float, str)):
            value = Decimal(str(value))
        if not isinstance(value, Decimal):
            # An expression such as F() or Sum() is passed through untouched.
            return value
        scaled = value.scaleb(self.places)
        if scaled != scaled.to_integral_value():
            raise ValidationError(
                f"{value} has more than {self.places} decimal places.", code="too_precise"
            )
        return int(scaled)

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        if value is not None:
            self.get_prep_value(value)

    def formfield(self, **kwargs):
        from django import forms

        defaults = {"form_class": forms.DecimalField, "decimal_places": self.places}
        defaults.update(kwargs)
        return models.Field.formfield(self, **defaults)
