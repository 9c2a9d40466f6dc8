"""A small client for the API tests: a token's requests, answers as JSON."""

from __future__ import annotations

import json

from django.test import Client

from socialledger.accounts.tests.factories import bearer

API = "/api/v1"


class ApiClient:
    """Calls the API with one token, as a program would."""

    def __init__(self, secret: str | None) -> None:
        self.client = Client()
        self.headers = bearer(secret) if secret else {}

    def get(self, path: str, **params):
        return self.client.get(API + path, params, headers=self.headers)

    def post(self, path: str, body: dict | None = None):
        return self.client.post(
            API + path,
            json.dumps(body or {}),
            content_type="application/json",
            headers=self.headers,
        )

    def patch(self, path: str, body: dict | None = None):
        return self.client.patch(
            API + path,
            json.dumps(body or {}),
            content_type="application/json",
            headers=self.headers,
        )

    def put(self, path: str, body: dict | None = None):
        return self.client.put(
            API + path,
            json.dumps(body or {}),
            content_type="application/json",
            headers=self.headers,
        )

    def delete(self, path: str, **params):
        query = "?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else ""
        return self.client.delete(API + path + query, headers=self.headers)
