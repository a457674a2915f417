"""ops-baseline: the observability and governance layer of one AWS environment."""

import pulumi

from components import (
    Alerting,
    AlertingArgs,
    EncryptionKeys,
    EncryptionKeysArgs,
    current_account,
    tag_every_resource,
)
from settings import SettingsError, load_settings

try:
    settings = load_settings()
except SettingsError as error:
    # RunError is shown by the engine as a plain message, without a Python traceback.
    raise pulumi.RunError(str(error)) from None

tag_every_resource(settings.default_tags)
account = current_account(settings.region)

keys = EncryptionKeys(
    "keys",
    EncryptionKeysArgs(
        account=account,
        alias=f"alias/{settings.resource_prefix}",
        services=("logs", "sns", "cloudwatch", "events"),
    ),
)
alerting = Alerting(
    "alerting",
    AlertingArgs(
        account=account,
        kms_key_arn=keys.key_arn,
        topic_name=f"{settings.resource_prefix}-alerts",
        emails=settings.alerting.emails,
        sms_numbers=settings.alerting.sms_numbers,
        https_endpoints=settings.alerting.https_endpoints,
    ),
)

pulumi.export("environment", settings.environment)
pulumi.export("kmsKeyArn", keys.key_arn)
pulumi.export("kmsKeyAlias", keys.alias_name)
pulumi.export("alertTopicArn", alerting.topic_arn)
