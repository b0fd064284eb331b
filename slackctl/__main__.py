"""Allow `python -m slackctl`."""

from slackctl.cli.entry import main

main()
