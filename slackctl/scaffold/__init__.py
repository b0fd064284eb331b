"""scaffold layer of slackctl."""
