"""Every environment variable name and every default, in one place (documented in the README)."""

from __future__ import annotations

# Environment variables.
ENV_PROFILE = "SLACKCTL_PROFILE"
ENV_SLACK_URL = "SLACKCTL_SLACK_URL"
ENV_CONFIG_DIR = "SLACKCTL_CONFIG_DIR"
ENV_CA_BUNDLE = "SLACKCTL_CA_BUNDLE"
ENV_KEYRING_SERVICE = "SLACKCTL_KEYRING_SERVICE"
ENV_KEYRING_TIMEOUT = "SLACKCTL_KEYRING_TIMEOUT"
ENV_TIMEOUT = "SLACKCTL_TIMEOUT"
# Tokens from the environment win over stored ones, in this order (CI-friendly).
ENV_TOKEN_ORDER = ("SLACK_TOKEN", "SLACK_BOT_TOKEN", "SLACK_USER_TOKEN")
ENV_CLIENT_ID = "SLACK_CLIENT_ID"
ENV_CLIENT_SECRET = "SLACK_CLIENT_SECRET"

# Defaults.
DEFAULT_SLACK_URL = "https://slack.com"
KEYRING_SERVICE = "slackctl"
KEYRING_TIMEOUT_SECONDS = 10.0
HTTP_TIMEOUT_SECONDS = 30.0
MAX_RETRIES = 5
CONFIG_FILE = "config.toml"
PLAINTEXT_FILE = "credentials.insecure.json"
LOCK_FILE = ".lock"
# Refresh rotating tokens this long before they expire (Slack's own CLI uses 5 minutes too).
REFRESH_MARGIN_SECONDS = 300

# Deploys (slackctl deploy / manifest / app): project hooks and environments.
ENV_DEPLOY_ENV = "SLACKCTL_ENV"  # default for --env
DEFAULT_DEPLOY_ENV = "dev"
ENV_HOOK_TIMEOUT = "SLACKCTL_HOOK_TIMEOUT"  # seconds the get-manifest hook may take
HOOK_TIMEOUT_SECONDS = 120.0
# Where people create app configuration tokens and see an app's settings.
APP_SETTINGS_URL = "https://api.slack.com/apps"
