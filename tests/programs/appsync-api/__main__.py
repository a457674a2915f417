"""An AppSync GraphQL API resolving against a DynamoDB table."""

import json

import pulumi
import pulumi_aws as aws

table = aws.dynamodb.Table(
    "notes",
    attributes=[{"name": "id", "type": "S"}],
    hash_key="id",
    billing_mode="PAY_PER_REQUEST",
    point_in_time_recovery={"enabled": True},
)
role = aws.iam.Role(
    "appsync-notes",
    assume_role_policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "appsync.amazonaws.com"}, "Action": "sts:AssumeRole"}
            ],
        }
    ),
)
aws.iam.RolePolicy(
    "appsync-notes",
    role=role.id,
    policy=table.arn.apply(
        lambda arn: json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["dynamodb:*"], "Resource": arn}]}
        )
    ),
)
api = aws.appsync.GraphQLApi(
    "notes",
    authentication_type="API_KEY",
    schema="type Note { id: ID! text: String }\ntype Query { note(id: ID!): Note }\nschema { query: Query }",
)
key = aws.appsync.ApiKey("notes", api_id=api.id)
source = aws.appsync.DataSource(
    "notes",
    api_id=api.id,
    name="notes",
    type="AMAZON_DYNAMODB",
    service_role_arn=role.arn,
    dynamodb_config={"table_name": table.name},
)
aws.appsync.Resolver(
    "note",
    api_id=api.id,
    type="Query",
    field="note",
    data_source=source.name,
    request_template='{"version": "2017-02-28", "operation": "GetItem", "key": {"id": $util.dynamodb.toDynamoDBJson($ctx.args.id)}}',
    response_template="$util.toJson($ctx.result)",
)
pulumi.export("endpoint", api.uris["GRAPHQL"])
pulumi.export("key", key.key)
