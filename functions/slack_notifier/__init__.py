"""Slack notifier Lambda: SNS records (CloudWatch alarms, EventBridge events, anything) to Slack posts.

Packaged as the `slack_notifier` directory; the handler is `slack_notifier.handler.handler`.
"""
