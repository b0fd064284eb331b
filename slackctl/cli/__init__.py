"""The command-line layer: terminals, flags, prompts, output and exit codes."""
