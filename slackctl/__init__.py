"""slackctl: the Slack developer CLI."""

__version__ = "0.1.0"
