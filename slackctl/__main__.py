"""Allow `python -m slackctl`."""

try:
    from slackctl.cli.entry import main

    main()
except KeyboardInterrupt:  # Ctrl-C while the entry point is importing, or before main() handles it: quiet, 130
    raise SystemExit(130) from None
