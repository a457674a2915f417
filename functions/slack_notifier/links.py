"""Console links built only from values that pass strict patterns. A message is untrusted input: a
crafted region, partition or account could point a link elsewhere or smuggle Slack markup, so any
part that does not look exactly like what AWS uses drops the link instead."""

from __future__ import annotations

import re
from urllib.parse import quote

CONSOLE_DOMAINS = {
    "aws": "console.aws.amazon.com",
    "aws-us-gov": "console.amazonaws-us-gov.com",
    "aws-cn": "console.amazonaws.cn",
}
REGION = re.compile(r"^(?:[a-z]{2}|us-gov|us-iso[a-z]?)-[a-z]+-\d{1,2}$")
ACCOUNT = re.compile(r"^\d{12}$")
SAFE_URL = re.compile(r"^https://[a-z0-9.-]+/[A-Za-z0-9/_.~%?=&#:+-]*$")
"""What every link must look like once built: no spaces, `|`, `<` or `>` that would end Slack's link markup."""


def valid_region(region: str) -> bool:
    return bool(REGION.match(region))


def valid_account(account: str) -> bool:
    return bool(ACCOUNT.match(account))


def part(value: str) -> str:
    """One value inside a link: percent-encoded whole, separators included."""
    return quote(value, safe="")


def console(service: str, fragment: str, *, partition: str, region: str) -> str | None:
    """`https://<region>.console.aws.amazon.com/<service>/home?region=<region>#<fragment>`, or None when the
    partition or region is not one AWS has. `fragment` must be built with `part()` around message values."""
    domain = CONSOLE_DOMAINS.get(partition)
    if domain is None or not valid_region(region):
        return None
    host = f"{region}.{domain}" if partition == "aws" else domain
    return checked(f"https://{host}/{service}/home?region={region}#{fragment}")


def page(path: str, *, partition: str, region: str, query: str = "") -> str | None:
    """`https://<region>.console.aws.amazon.com/<path>?region=<region>[&<query>]`: the consoles that
    route by path (CodePipeline, CodeBuild, CodeDeploy, Systems Manager, S3). `path` and `query` must
    be built with `part()` around message values."""
    domain = CONSOLE_DOMAINS.get(partition)
    if domain is None or not valid_region(region):
        return None
    host = f"{region}.{domain}" if partition == "aws" else domain
    return checked(f"https://{host}/{path}?region={region}" + (f"&{query}" if query else ""))


def checked(url: str) -> str | None:
    return url if SAFE_URL.match(url) else None
