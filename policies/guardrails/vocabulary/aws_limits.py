"""Values that AWS APIs accept, shared by settings validation and the guardrails."""

LOG_RETENTION_DAYS = (
    1,
    3,
    5,
    7,
    14,
    30,
    60,
    90,
    120,
    150,
    180,
    365,
    400,
    545,
    731,
    1096,
    1827,
    2192,
    2557,
    2922,
    3288,
    3653,
)
"""retentionInDays values CloudWatch Logs accepts (PutRetentionPolicy); 0 in Pulumi means never expire."""

NEVER_EXPIRE = 0
