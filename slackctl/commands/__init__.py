"""commands layer of slackctl."""
