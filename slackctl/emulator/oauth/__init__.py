"""The browser side of OAuth and Sign in with Slack (pages, OpenID keys) and the generic provider for external auth."""
