"""Social Ledger: social value reporting for UK procurement frameworks."""

__version__ = "0.1.0"
