"""RDS DB instances have deletion protection: no delete call removes them until it is turned off.

Wanted where losing the database is an incident (prod: mandatory through `all`), advisory where
instances are disposable. RDS's default is off, and the provider sends off when it is left out.
"""

from ...checks import require_true
from ...live import LiveAudit
from ...model import ConfigRule, Guardrail, References
from ...vocabulary.tokens import RDS_INSTANCE

ENGINES = "mariadb,mysql,oracle-ee,oracle-se2,oracle-se1,oracle-se,postgres,sqlserver-ee,sqlserver-se,sqlserver-ex,sqlserver-web"
"""RDS.8's databaseEngines: the Config rule leaves out Aurora instances, which their cluster protects."""

GUARDRAIL = Guardrail(
    name="aws-rds-instance-enable-deletion-protection",
    description="RDS DB instances have deletion protection enabled.",
    severity="low",
    resource_types=(RDS_INSTANCE,),
    remediation_steps="Set deletionProtection = true (no replacement). To delete or replace the instance later, set it false and deploy first.",
    references=References(
        config_rule=ConfigRule(
            "RDS_INSTANCE_DELETION_PROTECTION_ENABLED", static_parameters={"databaseEngines": ENGINES}
        ),
        security_hub=("RDS.8",),
        checkov=("CKV_AWS_293",),
    ),
    check=require_true(
        "deletionProtection",
        "RDS DB instance deletionProtection is {value} (RDS's default is off); set it true so no delete call removes the database.",
    ),
    audit=LiveAudit(types=(RDS_INSTANCE,)),
)
