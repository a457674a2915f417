"""Where the baseline keeps API Gateway access logs (settings and components agree on the name)."""


def access_log_group_name(api_label: str) -> str:
    return f"/aws/apigateway/{api_label}"
