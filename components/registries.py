"""ECR repositories that scan on push, refuse tag overwrites, use the customer key and expire old images."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from plan.naming import slug
from plan.registry import Registry

from .documents import to_json


@dataclass(frozen=True)
class RegistriesArgs:
    kms_key_arn: pulumi.Input[str]
    plan: Registry


def ecr_lifecycle_policy(keep_last: int, untagged_expire_days: int) -> dict[str, Any]:
    """Expire untagged images after N days; keep the last M images of any tag."""
    return {
        "rules": [
            {
                "rulePriority": 1,
                "description": f"Expire untagged images after {untagged_expire_days} days",
                "selection": {
                    "tagStatus": "untagged",
                    "countType": "sinceImagePushed",
                    "countUnit": "days",
                    "countNumber": untagged_expire_days,
                },
                "action": {"type": "expire"},
            },
            {
                "rulePriority": 2,
                "description": f"Keep the last {keep_last} images",
                "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": keep_last},
                "action": {"type": "expire"},
            },
        ]
    }


class Registries(pulumi.ComponentResource):
    repository_urls: pulumi.Output[list[str]]

    def __init__(self, name: str, args: RegistriesArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("ops-baseline:registry:Registries", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        self.repositories = []
        for repository in args.plan.repositories:
            resource = aws.ecr.Repository(
                f"{name}-{slug(repository.name)}",
                name=repository.name,
                image_tag_mutability="IMMUTABLE",
                image_scanning_configuration={"scan_on_push": True},
                encryption_configurations=[{"encryption_type": "KMS", "kms_key": args.kms_key_arn}],
                opts=child,
            )
            aws.ecr.LifecyclePolicy(
                f"{name}-{slug(repository.name)}-lifecycle",
                repository=resource.name,
                policy=to_json(ecr_lifecycle_policy(repository.keep_last, repository.untagged_expire_days)),
                opts=child,
            )
            self.repositories.append(resource)
        if args.plan.scanning != "off":
            self.scanning = aws.ecr.RegistryScanningConfiguration(
                f"{name}-scanning",
                scan_type=args.plan.scanning.upper(),
                rules=[
                    {
                        "scan_frequency": "SCAN_ON_PUSH",
                        "repository_filters": [{"filter": "*", "filter_type": "WILDCARD"}],
                    }
                ],
                opts=child,
            )

        self.repository_urls = pulumi.Output.all(*[r.repository_url for r in self.repositories])
        self.register_outputs({"repository_urls": self.repository_urls})
