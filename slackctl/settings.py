"""Every environment variable name and every default, in one place. ENVIRONMENT below is the manual's one
environment-variable table (docs/reference/environment.md and each command's page are generated from it by
scripts/gen_reference.py; tests/docs/test_environment_table.py checks that every variable slackctl reads is in it)."""

from __future__ import annotations

# Environment variables.
ENV_PROFILE = "SLACKCTL_PROFILE"
ENV_SLACK_URL = "SLACKCTL_SLACK_URL"
ENV_CONFIG_DIR = "SLACKCTL_CONFIG_DIR"
ENV_CA_BUNDLE = "SLACKCTL_CA_BUNDLE"
ENV_KEYRING_SERVICE = "SLACKCTL_KEYRING_SERVICE"
ENV_KEYRING_TIMEOUT = "SLACKCTL_KEYRING_TIMEOUT"
ENV_TIMEOUT = "SLACKCTL_TIMEOUT"
MAX_TIMEOUT_SECONDS = 86400.0  # a day: anything longer is a typo (and past what a socket timeout can hold)
# Transport (slackctl/slack/transport.py): proxy for slackctl alone, response size limit, longest Retry-After wait.
ENV_PROXY = "SLACKCTL_PROXY"
ENV_MAX_RESPONSE_MB = "SLACKCTL_MAX_RESPONSE_MB"
ENV_MAX_RETRY_WAIT = "SLACKCTL_MAX_RETRY_WAIT"
# Tokens from the environment win over stored ones, in this order (CI-friendly).
ENV_TOKEN_ORDER = ("SLACK_TOKEN", "SLACK_BOT_TOKEN", "SLACK_USER_TOKEN")
# The app configuration token (deploy, manifest, app) from the environment, and its refresh token: with only
# the refresh token, or an expired access token, slackctl rotates it in memory for the run (nothing stored).
ENV_CONFIG_TOKEN = "SLACK_CONFIG_TOKEN"
ENV_CONFIG_REFRESH_TOKEN = "SLACK_CONFIG_REFRESH_TOKEN"
ENV_CLIENT_ID = "SLACK_CLIENT_ID"
ENV_CLIENT_SECRET = "SLACK_CLIENT_SECRET"
# The development loop (run, emulator exec, events): what Bolt apps read, and what slackctl reads the same way.
ENV_SIGNING_SECRET = "SLACK_SIGNING_SECRET"
ENV_APP_TOKEN = "SLACK_APP_TOKEN"
ENV_BOT_TOKEN = "SLACK_BOT_TOKEN"

# Defaults.
DEFAULT_SLACK_URL = "https://slack.com"
DEFAULT_EMULATOR_PORT = 8787  # `emulator start` listens here; the driver verbs and `emulator open` look here
DEFAULT_EMULATOR_URL = f"http://127.0.0.1:{DEFAULT_EMULATOR_PORT}"
KEYRING_SERVICE = "slackctl"
KEYRING_TIMEOUT_SECONDS = 10.0
HTTP_TIMEOUT_SECONDS = 30.0
MAX_RETRIES = 5
# A Web API answer is a few MB at most (a 1000-item page); the limit stops a broken or hostile server from
# filling memory, and applies after gzip decompression too.
MAX_RESPONSE_MB = 64
# Slack asks for waits of seconds, a minute at most; a longer Retry-After is reported instead of slept through.
MAX_RETRY_WAIT_SECONDS = 120.0
CONFIG_FILE = "config.toml"
PLAINTEXT_FILE = "credentials.insecure.json"
LOCK_FILE = ".lock"
# Refresh rotating tokens this long before they expire (Slack's own CLI uses 5 minutes too).
REFRESH_MARGIN_SECONDS = 300

# Deploys (slackctl deploy / manifest / app): project hooks and environments.
ENV_DEPLOY_ENV = "SLACKCTL_ENV"  # default for --env
DEFAULT_DEPLOY_ENV = "dev"
# The manifest file names a project may hold, in the order they are looked for (core/project.py, the pytest plugin).
MANIFEST_FILES = ("manifest.json", "manifest.yaml", "manifest.yml")
ENV_HOOK_TIMEOUT = "SLACKCTL_HOOK_TIMEOUT"  # seconds the get-manifest hook may take
HOOK_TIMEOUT_SECONDS = 120.0
# Projects whose hooks run although another user owns (or may write) their .slack/ (os.pathsep-separated
# paths of project roots, or "*" for any): git's safe.directory, for hooks.
ENV_TRUSTED_PROJECTS = "SLACKCTL_TRUSTED_PROJECTS"
# Where people create app configuration tokens and see an app's settings.
APP_SETTINGS_URL = "https://api.slack.com/apps"
_APP_SETTINGS_BY_HOST = {
    "slack.com": APP_SETTINGS_URL,
    "www.slack.com": APP_SETTINGS_URL,
    "slack-gov.com": "https://api.slack-gov.com/apps",
}


def _slack_apps_page(slack_url: str) -> str | None:
    """Slack's app pages for slack.com and GovSlack; None for any other host, which slackctl takes for an
    emulator (a real Slack is only ever on those hosts)."""
    from urllib.parse import urlsplit

    return _APP_SETTINGS_BY_HOST.get((urlsplit(slack_url).hostname or "").lower())


def is_emulator_url(slack_url: str) -> bool:
    return _slack_apps_page(slack_url) is None


def app_settings_url(slack_url: str, app_id: str | None = None) -> str:
    """Where a person sees an app's settings on the Slack host in use: Slack's own pages for slack.com and
    GovSlack; for any other host (the emulator) its list of apps with their credentials, /_emulator/apps."""
    base = _slack_apps_page(slack_url)
    if base is None:
        return f"{slack_url.rstrip('/')}/_emulator/apps"
    return f"{base}/{app_id}" if app_id else base


def config_token_source(slack_url: str) -> str:
    """Where a person gets an app configuration token on the host in use: Slack's app pages, or from an emulator
    the command that mints one (its /_emulator/apps listing holds none)."""
    base = _slack_apps_page(slack_url)
    if base is None:
        return (
            "get an app configuration token from the emulator: slackctl emulator token --kind config "
            f"--slack-url {slack_url.rstrip('/')}"
        )
    return f"create an app configuration token on {base} (Your App Configuration Tokens)"


# External authentication (slackctl external-auth): local OAuth2 flows against third-party providers.
ENV_EXTERNAL_AUTH_PORT = "SLACKCTL_EXTERNAL_AUTH_PORT"
# The loopback port of the local flow's redirect (http://127.0.0.1:PORT/callback), registered at the provider.
DEFAULT_EXTERNAL_AUTH_PORT = 8765
EXTERNAL_AUTH_TIMEOUT_SECONDS = 300.0
# How often the hosted flow asks Slack whether the new account has appeared.
EXTERNAL_AUTH_POLL_SECONDS = 2.0
# `slackctl tokens export` names: SLACK_EXTERNAL_<PROVIDER>_TOKEN (and ..._TOKEN_<ACCOUNT> per account).
EXTERNAL_TOKEN_ENV_PREFIX = "SLACK_EXTERNAL_"
# How long a BROWSER command may take to hand the URL over before slackctl stops waiting for it.
BROWSER_WAIT_SECONDS = 15.0

# OAuth login (`slackctl auth login`): loopback redirect ports; register the matching redirect URL on the app.
OAUTH_PKCE_PORT = 8765  # http://localhost:8765/callback (PKCE apps, "desktop" redirect)
OAUTH_CONFIDENTIAL_PORT = 8766  # https://localhost:8766/callback (client secret, self-signed certificate)
OAUTH_CALLBACK_PATH = "/callback"
OAUTH_TIMEOUT_SECONDS = 300

# Interrupts (Ctrl-C, SIGTERM) during a write to Slack: the request in flight may finish for this long before
# slackctl gives up on it, so what it created can be recorded or what it changed rolled back.
WRITE_GRACE_SECONDS = 30.0

# `slackctl webhook send`: the incoming webhook's URL (a secret: from the environment or --url-file, never argv).
ENV_WEBHOOK_URL = "SLACK_WEBHOOK_URL"
# `slackctl doctor`: the clock may differ from Slack's by this much before request signatures start failing
# (Slack refuses signed requests more than 5 minutes old); a warning from a quarter of that.
DOCTOR_SKEW_FAIL_SECONDS = 300.0
DOCTOR_SKEW_WARN_SECONDS = 60.0

# The manual's environment-variable table: (name, the commands that read it, comma-separated, "" for every command;
# default; meaning). A command is named as typed ("auth login"), a group for all its verbs ("deploy", "emulator").
# Plain tuples: this module is imported on every start-up.
ENVIRONMENT: tuple[tuple[str, str, str, str], ...] = (
    ("SLACK_TOKEN", "", "", "a token that wins over stored profiles (the first of three, in this order)"),
    (
        "SLACK_BOT_TOKEN",
        "",
        "",
        "a bot token that wins over stored profiles, after SLACK_TOKEN; set by `run` and `emulator exec` for the app",
    ),
    ("SLACK_USER_TOKEN", "", "", "a user token that wins over stored profiles, after SLACK_BOT_TOKEN"),
    (
        ENV_CONFIG_TOKEN,
        "deploy, manifest, app, run, api call",
        "",
        "app configuration token; wins over stored profiles (CI)",
    ),
    (
        ENV_CONFIG_REFRESH_TOKEN,
        "deploy, manifest, app, run",
        "",
        "its refresh token: an expired (or absent) "
        "SLACK_CONFIG_TOKEN is rotated in memory for the run, spending the refresh token",
    ),
    (ENV_CLIENT_ID, "auth login", "the project's app, else a prompt", "the app's client id"),
    (
        ENV_CLIENT_SECRET,
        "auth login",
        "the project's app, else a hidden prompt",
        "the app's client secret (confidential flow)",
    ),
    (
        ENV_APP_TOKEN,
        "events forward, run",
        "the profile's `app` token",
        "app-level token (`xapp-`); set by `run` and `emulator exec` for the app",
    ),
    (
        ENV_SIGNING_SECRET,
        "events",
        "the project's deployed app",
        "signing secret for `events sign`, `verify` and `forward`; set by `run` and `emulator exec` for the app",
    ),
    (ENV_WEBHOOK_URL, "webhook send", "", "the incoming webhook's URL (a secret: never taken from the command line)"),
    (ENV_PROFILE, "", "the active profile", "profile to use (`--profile`)"),
    (ENV_SLACK_URL, "", DEFAULT_SLACK_URL, "Slack host root (`--slack-url`): slack.com, slack-gov.com or an emulator"),
    (ENV_CA_BUNDLE, "", "", "PEM file of CAs to trust for HTTPS (`--ca-bundle`)"),
    (
        "SSL_CERT_FILE",
        "",
        "",
        "CAs to trust when `--ca-bundle`/SLACKCTL_CA_BUNDLE is not set (as OpenSSL reads "
        "it); else certifi's Mozilla list",
    ),
    ("SSL_CERT_DIR", "", "", "a folder of CAs to trust, read like SSL_CERT_FILE"),
    (ENV_PROXY, "", "", "HTTP proxy for slackctl alone (`--proxy`)"),
    ("HTTPS_PROXY", "", "", "proxy for https URLs, as curl reads it (lower case wins), when `--proxy` is not given"),
    ("HTTP_PROXY", "", "", 'proxy for http URLs (ignored when REQUEST_METHOD is set: CGI, "httpoxy")'),
    ("ALL_PROXY", "", "", "proxy for either scheme"),
    ("NO_PROXY", "", "", "hosts that go direct: `*`, names, IP addresses, CIDR blocks"),
    (ENV_MAX_RESPONSE_MB, "", str(MAX_RESPONSE_MB), "largest response body slackctl reads, after gzip, in MB"),
    (ENV_MAX_RETRY_WAIT, "", f"{MAX_RETRY_WAIT_SECONDS:g}", "longest `Retry-After` slackctl waits, in seconds"),
    (
        ENV_TIMEOUT,
        "api, webhook send",
        f"{HTTP_TIMEOUT_SECONDS:g}",
        "deadline for each response in seconds (`--timeout`)",
    ),
    (ENV_CONFIG_DIR, "", "the platform's user config dir (`~/.config/slackctl`)", "relocates all of slackctl's state"),
    (ENV_KEYRING_SERVICE, "", KEYRING_SERVICE, "keyring service name (tests use it to stay apart)"),
    (ENV_KEYRING_TIMEOUT, "", f"{KEYRING_TIMEOUT_SECONDS:g}", "seconds to wait for the keyring"),
    (
        ENV_DEPLOY_ENV,
        "deploy, manifest, app, run, tokens export, external-auth",
        DEFAULT_DEPLOY_ENV,
        "default `--env`; set for the deploy hook",
    ),
    (
        ENV_HOOK_TIMEOUT,
        "deploy, manifest, app, run, external-auth",
        f"{HOOK_TIMEOUT_SECONDS:g}",
        "seconds the `get-manifest` hook may take",
    ),
    (
        ENV_EXTERNAL_AUTH_PORT,
        "external-auth",
        str(DEFAULT_EXTERNAL_AUTH_PORT),
        "loopback port of the local OAuth2 redirect",
    ),
    (
        EXTERNAL_TOKEN_ENV_PREFIX + "<PROVIDER>_TOKEN",
        "tokens export",
        "",
        "printed by `tokens export` for locally authorized external-auth accounts (also `…_TOKEN_<ACCOUNT>`)",
    ),
    ("SLACK_APP_ID", "deploy, tokens export", "", "set for the deploy hook; printed by `tokens export`"),
    ("SLACK_TEAM_ID", "deploy", "", "set for the deploy hook"),
    (
        "SLACKCTL_NODE_PROXY",
        "emulator exec, run",
        "",
        "set by `emulator exec` / `run --emulator` for the app: the "
        "proxy its Node preload sends Slack's hosts to (NODE_OPTIONS gains `--require` of the preload)",
    ),
    ("VIRTUAL_ENV", "run", "", "the Python that runs the app when the project has no `.venv`"),
    (
        "CONDA_PREFIX",
        "run",
        "",
        "the Python that runs the app when the project has no `.venv` and no VIRTUAL_ENV "
        "is set (else the `python3` on PATH)",
    ),
    ("NO_COLOR", "", "", "no colour (`--no-color`); so does TERM=dumb"),
    ("CI", "", "", "never prompt: a missing input is an exit-2 error naming its flag"),
    (
        "BROWSER",
        "auth login, app settings, emulator open, external-auth",
        "the system browser",
        "the command that opens URLs (`%s` is the URL; Python's `webbrowser` rules)",
    ),
    (
        "SSH_CONNECTION",
        "auth login, app settings, emulator open, external-auth",
        "",
        "a remote session (so is SSH_TTY): the URL is printed instead of opening a browser",
    ),
    (
        "DISPLAY",
        "auth login, app settings, emulator open, external-auth",
        "",
        "with WAYLAND_DISPLAY: whether a browser can be opened on Linux",
    ),
    (
        "PYTHON_KEYRING_BACKEND",
        "",
        "the Secret Service on Linux",
        "keyring's own choice of backend; when set, "
        "slackctl uses it instead of reading the Secret Service directly (as do keyring's config file and "
        "`$XDG_CONFIG_HOME/python_keyring`)",
    ),
    ("DBUS_SESSION_BUS_ADDRESS", "", "", "the D-Bus session where the Secret Service (the Linux keyring) is found"),
    ("TERM", "", "", "`dumb`: no colour"),
    (
        ENV_TRUSTED_PROJECTS,
        "",
        "",
        "project roots (separated by `:`, or `*`) whose hooks may run although "
        "another user owns or may write their `.slack/`",
    ),
    ("SLACKCTL_DEBUG", "", "", "print a (redacted) traceback for unexpected errors"),
)
