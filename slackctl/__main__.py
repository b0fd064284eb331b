"""Allow `python -m slackctl`."""

from slackctl.cli import main

main()
