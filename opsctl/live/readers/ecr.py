"""ECR: repositories (scanning, tag mutability, encryption, policy) and the registry's scanning rules."""

from __future__ import annotations

from collections.abc import Iterator

from policies.guardrails.vocabulary.tokens import ECR_REGISTRY_SCANNING, ECR_REPOSITORY, ECR_REPOSITORY_POLICY

from ..accounts import Account
from ..inventory import Inventory, LiveResource, Source, pages


def read(account: Account, region: str, inventory: Inventory) -> Iterator[LiveResource]:
    client = account.client("ecr", region)
    for repository in pages(client, "describe_repositories", "repositories"):
        name, arn = repository["repositoryName"], repository["repositoryArn"]
        encryption = repository.get("encryptionConfiguration") or {"encryptionType": "AES256"}
        props = {
            "name": name,
            "arn": arn,
            "imageTagMutability": repository.get("imageTagMutability", "MUTABLE"),
            "imageScanningConfiguration": {
                "scanOnPush": repository.get("imageScanningConfiguration", {}).get("scanOnPush", False)
            },
            "encryptionConfigurations": [
                {
                    "encryptionType": encryption["encryptionType"],
                    **({"kmsKey": encryption["kmsKey"]} if encryption.get("kmsKey") else {}),
                }
            ],
        }
        yield LiveResource(ECR_REPOSITORY, name, arn, props, region)
        try:
            policy = client.get_repository_policy(repositoryName=name)["policyText"]
        except client.exceptions.RepositoryPolicyNotFoundException:
            continue
        yield LiveResource(ECR_REPOSITORY_POLICY, name, arn, {"repository": name, "policy": policy}, region)
    scanning = client.get_registry_scanning_configuration().get("scanningConfiguration", {})
    rules = [
        {
            "scanFrequency": rule.get("scanFrequency"),
            "repositoryFilters": [
                {"filter": f["filter"], "filterType": f["filterType"]} for f in rule.get("repositoryFilters", [])
            ],
        }
        for rule in scanning.get("rules", [])
    ]
    props = {"scanType": scanning.get("scanType", "BASIC"), "rules": rules}
    yield LiveResource(ECR_REGISTRY_SCANNING, "registry-scanning", f"{account.id}:{region}", props, region)


SOURCE = Source("ecr", (ECR_REPOSITORY, ECR_REPOSITORY_POLICY, ECR_REGISTRY_SCANNING), read)
