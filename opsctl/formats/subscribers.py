"""Subscribers and their month as every format shows them.

Endpoints are personal data (addresses, phone numbers) or may carry a key (an HTTPS endpoint's path).
Text and JSON show addresses and numbers as the stack file does, to the people who can read it;
Markdown, which goes to pull-request comments and job summaries, shows them masked. Every format
shows an HTTPS endpoint by its host only.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from ..notifications import Receiver

VIA = {"alarm": "", "event rule": "rule ", "config stream": "Config "}


def endpoint(receiver: Receiver, *, masked: bool = False) -> str:
    subscriber = receiver.subscriber
    shown = subscriber.endpoint
    if subscriber.protocol == "https":
        parts = urlsplit(shown)
        shown = f"{parts.scheme}://{parts.hostname}/…" if parts.hostname else "(an HTTPS endpoint)"
    elif masked and subscriber.protocol == "email":
        local, _, domain = shown.partition("@")
        shown = f"{local[:2]}…@{domain}"
    elif masked and subscriber.protocol == "sms":
        shown = f"{shown[:3]}…{shown[-2:]}"
    route = f" (route {subscriber.route})" if subscriber.route else ""
    return f"{subscriber.protocol} {shown}{route}"


def kind(via: str, what: str) -> str:
    """`critical → ALARM`, `rule ops-prod-iam-policy-changes`, `Config ConfigurationItemChangeNotification`."""
    if via == "alarm":
        severity, _, state = what.partition(" ")
        return f"{severity} → {state}"
    return f"{VIA.get(via, via + ' ')}{what}"


def breakdown(receiver: Receiver) -> str:
    return ", ".join(f"{count} {kind(via, what)}" for via, what, count in receiver.kinds) or "nothing"


def filtered(receiver: Receiver) -> str:
    return " (SNS filter policy)" if receiver.filter_policies else ""
