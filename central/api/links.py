"""OpenAPI links: which answer feeds which next request (an account id into reading the
account, a new card into removing it, a call into rating it), so clients and the contract
tests' stateful phase can follow the API's own paths."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

ACCOUNT = "/v1/accounts/{account_id}"
SUBSCRIPTION = f"{ACCOUNT}/subscriptions/{{subscription_id}}"
_SAME_ACCOUNT = {"account_id": "$request.path.account_id"}
_NEW_SUBSCRIPTION = {**_SAME_ACCOUNT, "subscription_id": "$response.body#/id"}

# (method, path, status) of an answer -> the requests it leads to: (name, method, path,
# parameters, request body). Values are OpenAPI runtime expressions.
LINKS: dict[tuple[str, str, str], list[tuple[str, str, str, dict[str, str], Any]]] = {
    ("post", "/v1/accounts", "201"): [
        ("ReadAccount", "get", ACCOUNT, {"account_id": "$response.body#/id"}, None),
        ("ListSubscriptions", "get", f"{ACCOUNT}/subscriptions",
         {"account_id": "$response.body#/id"}, None),
    ],
    ("post", "/v1/sessions", "201"): [
        ("ReadSignedInAccount", "get", ACCOUNT,
         {"account_id": "$response.body#/account_id"}, None),
        ("ListCards", "get", f"{ACCOUNT}/payment-methods",
         {"account_id": "$response.body#/account_id"}, None),
    ],
    ("post", "/v1/gateway/tokens", "201"): [
        ("AddCard", "post", f"{ACCOUNT}/payment-methods", {},
         {"token": "$response.body#/token"}),
    ],
    ("post", f"{ACCOUNT}/payment-methods", "201"): [
        ("RemoveCard", "delete", f"{ACCOUNT}/payment-methods/{{payment_method_id}}",
         {**_SAME_ACCOUNT, "payment_method_id": "$response.body#/id"}, None),
        ("ListCards", "get", f"{ACCOUNT}/payment-methods", _SAME_ACCOUNT, None),
    ],
    ("get", "/v1/facilities/{facility_id}/residents", "200"): [
        ("AddLovedOne", "post", f"{ACCOUNT}/residents", {},
         {"facility_id": "$request.path.facility_id", "resident_id": "$response.body#/0/id"}),
    ],
    ("post", f"{ACCOUNT}/residents", "201"): [
        ("ReadAccountWithLovedOne", "get", ACCOUNT, _SAME_ACCOUNT, None),
    ],
    ("post", f"{ACCOUNT}/advance-connect/deposits", "201"): [
        ("ListTransactions", "get", f"{ACCOUNT}/advance-connect/transactions",
         _SAME_ACCOUNT, None),
    ],
    ("post", f"{ACCOUNT}/subscriptions", "201"): [
        ("ReadSubscription", "get", SUBSCRIPTION, _NEW_SUBSCRIPTION, None),
        ("CancelSubscription", "post", f"{SUBSCRIPTION}/cancel", _NEW_SUBSCRIPTION, None),
        ("SubscriptionUsage", "get", f"{SUBSCRIPTION}/usage", _NEW_SUBSCRIPTION, None),
    ],
    ("post", f"{SUBSCRIPTION}/cancel", "200"): [
        ("ResumeSubscription", "post", f"{SUBSCRIPTION}/resume",
         {**_SAME_ACCOUNT, "subscription_id": "$request.path.subscription_id"}, None),
    ],
    ("post", "/v1/calls/authorize", "201"): [
        ("RateCall", "post", "/v1/calls/{call_id}/rate",
         {"call_id": "$response.body#/call_id"}, None),
        ("PayForSingleCall", "post", "/v1/calls/{call_id}/single-call",
         {"call_id": "$response.body#/call_id"}, None),
    ],
    ("put", "/v1/admin/facilities/{facility_id}/pricing", "200"): [
        ("ReadPriceChanges", "get", "/v1/admin/facilities/{facility_id}/price-changes",
         {"facility_id": "$request.path.facility_id"}, None),
    ],
}


def add_links(schema: dict[str, Any]) -> dict[str, Any]:
    """Write ``LINKS`` into an OpenAPI document (by operationId); a link to or from an
    operation the document lacks is an error, so a renamed route cannot drop one silently."""
    paths = schema["paths"]
    for (method, path, status), targets in LINKS.items():
        response = paths[path][method]["responses"][status]
        links = response.setdefault("links", {})
        for name, target_method, target_path, parameters, body in targets:
            link: dict[str, Any] = {
                "operationId": paths[target_path][target_method]["operationId"]}
            if parameters:
                link["parameters"] = dict(parameters)
            if body is not None:
                link["requestBody"] = body
            links[name] = link
    return schema


def install_links(app: FastAPI) -> None:
    """Have ``app.openapi()`` serve the links, on top of whatever builds the document."""
    build: Callable[[], dict[str, Any]] = app.openapi

    def with_links() -> dict[str, Any]:
        return add_links(build())  # the same links each time: writing them twice is harmless

    app.openapi = with_links  # type: ignore[method-assign]
