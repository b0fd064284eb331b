"""External authentication: OAuth2 providers declared in the app manifest, authorized hosted (by Slack) or locally."""
