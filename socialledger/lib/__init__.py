"""Small helpers that know nothing of Django models: periods, numbers, settings, CSV safety."""
