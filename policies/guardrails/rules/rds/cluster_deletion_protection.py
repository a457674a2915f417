"""RDS DB clusters have deletion protection; an Aurora cluster's instances are protected through it.

Wanted where losing the database is an incident (prod: mandatory through `all`), advisory where
clusters are disposable. RDS's default is off.
"""

from ...checks import require_true
from ...live import LiveAudit
from ...model import ConfigRule, Guardrail, References
from ...vocabulary.tokens import RDS_CLUSTER

GUARDRAIL = Guardrail(
    name="aws-rds-cluster-enable-deletion-protection",
    description="RDS DB clusters (Aurora and Multi-AZ) have deletion protection enabled.",
    severity="low",
    resource_types=(RDS_CLUSTER,),
    remediation_steps="Set deletionProtection = true (no replacement). To delete or replace the cluster later, set it false and deploy first.",
    references=References(
        config_rule=ConfigRule("RDS_CLUSTER_DELETION_PROTECTION_ENABLED"),
        security_hub=("RDS.7",),
        checkov=("CKV_AWS_139",),
    ),
    check=require_true(
        "deletionProtection",
        "RDS DB cluster deletionProtection is {value} (RDS's default is off); set it true so no delete call removes the database.",
    ),
    audit=LiveAudit(types=(RDS_CLUSTER,)),
)
