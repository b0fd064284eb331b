"""slack layer of slackctl."""
