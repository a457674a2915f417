"""An audit bucket's settings (`cloudTrail.bucket`, `awsConfig.bucket`): its name and lifecycle."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from . import field_checks
from .schema import setting


@dataclass(frozen=True)
class AuditBucketSettings:
    name: str | None = setting(
        "The bucket's name; null (the default): `ops-<environment>-trail-<account id>-<region>` for the trail's, "
        "`ops-<environment>-config-<account id>-<region>` for Config's. Set it to keep a bucket deployed before "
        "those names, under its name with a random suffix (S3 cannot rename a bucket; a protected one is never "
        "replaced): see CHANGELOG, Upgrading.",
        default=None,
        check=lambda v: None if v is None else field_checks.bucket_name_problem(v),
    )
    transition_days: int | None = setting(
        "Days after which objects move to S3 Glacier Instant Retrieval (null: never).",
        default=365,
        check=lambda v: None if v is None else field_checks.between(1, 36_500, "days")(v),
    )
    expiration_days: int | None = setting(
        "Days after which objects are deleted (null: kept until you delete them).",
        default=None,
        check=lambda v: None if v is None else field_checks.between(1, 36_500, "days")(v),
    )
    noncurrent_expiration_days: int = setting(
        "Days overwritten or deleted object versions are kept.",
        default=90,
        check=field_checks.between(1, 36_500, "days"),
    )
    protect: bool = setting(
        "Audit data: `pulumi destroy` refuses to delete the bucket, and removing it from the program leaves it "
        "in the account (Pulumi `protect` and `retainOnDelete`).",
        default=False,
    )

    def problems(self) -> Iterator[tuple[str, Any, str]]:
        if self.transition_days and self.expiration_days and self.expiration_days <= self.transition_days:
            yield (
                "expirationDays",
                self.expiration_days,
                f"must be later than transitionDays ({self.transition_days}); objects would be deleted before they move",
            )
