"""The emulated world: all state (workspace, apps, tokens, views, triggers, response URLs, driver tokens), seeds
and installs; `Emulator.save_state` and `Emulator.reset` cover every piece of it."""
