"""Synthetics heartbeat canary (Python runtime): fetch every configured URL, fail the run on any error.

The canary runtime calls `handler`; a raised exception marks the run failed, which lowers the
SuccessPercent metric the baseline alarms on. Only the standard library is used.
"""

from __future__ import annotations

import json
import logging
import os
import urllib.error
import urllib.request

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 10
USER_AGENT = "ops-baseline-heartbeat/1"


def check(url: str, timeout: float = TIMEOUT_SECONDS) -> int:
    """Return the HTTP status of a GET; raise on status >= 400, timeouts and connection errors."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    with urllib.request.urlopen(request, timeout=timeout) as response:  # raises HTTPError for >= 400
        return response.status


def run(urls: list[str], timeout: float = TIMEOUT_SECONDS) -> list[str]:
    """Check every URL (one failure does not hide the others); return the failures."""
    failures = []
    for url in urls:
        try:
            status = check(url, timeout)
            logger.info("%s answered %s", url, status)
        except urllib.error.HTTPError as error:
            failures.append(f"{url}: HTTP {error.code}")
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            failures.append(f"{url}: {getattr(error, 'reason', error)}")
    return failures


def handler(event: object, context: object) -> str:
    urls = json.loads(os.environ["HEARTBEAT_URLS"])
    failures = run(urls)
    if failures:
        raise RuntimeError(f"{len(failures)} of {len(urls)} URL(s) failed: " + "; ".join(failures))
    return f"{len(urls)} URL(s) answered"
