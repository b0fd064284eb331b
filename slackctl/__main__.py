"""Allow `python -m slackctl`."""

try:
    from slackctl.cli import main
except KeyboardInterrupt:  # Ctrl-C while the entry point itself was importing: quiet, like any interrupt
    raise SystemExit(130) from None

main()
