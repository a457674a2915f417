"""A generated database password, kept in Secrets Manager under a customer key."""

import pulumi
import pulumi_aws as aws
import pulumi_random as random

password = random.RandomPassword("db", length=32, special=True)
key = aws.kms.Key("secrets", description="secrets of the orders service", enable_key_rotation=True)
secret = aws.secretsmanager.Secret("db-password", kms_key_id=key.arn)
aws.secretsmanager.SecretVersion("db-password", secret_id=secret.id, secret_string=password.result)
pulumi.export("secretArn", secret.arn)
