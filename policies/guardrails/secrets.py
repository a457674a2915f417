"""What a plain environment variable holds when it holds a secret: pure functions on a name and a
value, which never return the value itself.

A value is a secret when it looks like one wherever it appears (access key ids, private key blocks,
Slack, GitHub and Stripe tokens, a Slack webhook URL), when it is as a whole a long random string,
or when its name says it is one (`*_PASSWORD`, ...) and it holds a literal. A reference to the
secret is what belongs there instead: a Secrets Manager or SSM Parameter Store ARN, a
CloudFormation-style `{{resolve:...}}`, or a KMS ciphertext blob the code decrypts itself.
"""

from __future__ import annotations

import fnmatch
import math
import re
from collections import Counter
from collections.abc import Iterable

LOOKS_LIKE = (
    (re.compile(r"(?<![A-Z0-9])(AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])"), "an AWS access key id"),
    (re.compile(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----"), "a private key"),
    (re.compile(r"xox[abposr]-[A-Za-z0-9-]{10,}"), "a Slack token"),
    (re.compile(r"https://hooks\.slack\.com/(services|workflows|triggers)/[A-Za-z0-9/_-]+"), "a Slack webhook URL"),
    (re.compile(r"(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})"), "a GitHub token"),
    (re.compile(r"(sk|rk)_(live|test)_[A-Za-z0-9]{16,}"), "a Stripe secret key"),
)
AWS_SECRET_ACCESS_KEY = re.compile(r"[A-Za-z0-9/+]{40}")
"""40 base64 characters, as AWS secret access keys are (with an upper-case letter: not a SHA-1 in hex)."""

TOKEN = re.compile(r"[A-Za-z0-9+/=_-]{32,}")
HEX = re.compile(r"[0-9A-Fa-f-]+")
"""Digests, commit ids and UUIDs: long and random, but published, not secret."""
WORD = re.compile(r"[a-z]{9}")

REFERENCE = re.compile(
    r"^(arn:aws[a-z-]*:(secretsmanager|ssm|kms):[^\s]+|\{\{resolve:(secretsmanager|ssm|ssm-secure):[^}]+\}\})$"
)
KMS_CIPHERTEXT = re.compile(r"^AQICAH[A-Za-z0-9+/]+=*$")
"""A symmetric KMS ciphertext blob in base64 (its envelope starts 01 02 02 00): encrypted, decrypted by the code."""


def entropy(text: str) -> float:
    counts = Counter(text)
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


def random_token(value: str) -> bool:
    """A single long token of upper- and lower-case letters and digits whose characters are as
    spread as random ones: Shannon entropy of at least 3/4 of the most its length allows (4.5 bits
    per character at most), and no word (9 lower-case letters in a row, which one in a hundred
    random tokens of 32 characters has). Random base64 of 32 characters measures 4.0 and more;
    hex digests and UUIDs are excluded."""
    if not TOKEN.fullmatch(value) or HEX.fullmatch(value) or WORD.search(value):
        return False
    if not (re.search(r"[a-z]", value) and re.search(r"[A-Z]", value) and re.search(r"[0-9]", value)):
        return False
    return entropy(value) >= min(4.5, 0.75 * math.log2(len(value)))


def named_like_a_secret(name: str, patterns: Iterable[str]) -> str | None:
    """The first pattern (a wildcard, case-insensitive) the variable's name matches."""
    return next((p for p in patterns if fnmatch.fnmatchcase(name.upper(), p.upper())), None)


def secret_in(name: str, value: object, patterns: Iterable[str]) -> str | None:
    """Why a variable holds a secret in plain text ("holds what looks like ..."), or None."""
    if not isinstance(value, str) or not value or REFERENCE.match(value) or KMS_CIPHERTEXT.match(value):
        return None
    for pattern, kind in LOOKS_LIKE:
        if pattern.search(value):
            return f"holds what looks like {kind}"
    if AWS_SECRET_ACCESS_KEY.fullmatch(value) and re.search(r"[A-Z]", value) and re.search(r"[0-9/+]", value):
        return "holds what looks like an AWS secret access key"
    if random_token(value):
        return "holds a long random string, as keys and tokens are"
    matched = named_like_a_secret(name, patterns)
    if matched:
        return f"is named like a secret ({matched}) and holds a literal value"
    return None
