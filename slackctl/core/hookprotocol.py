"""Slack's hooks protocol: how a project tells a CLI what to run (`.slack/hooks.json`, the `get-hooks` hook) and
how a hook's answer is told apart from its logging. Slack's CLI and the SDKs' hook packages (`slack-cli-hooks`
on PyPI, `@slack/cli-hooks` on npm, the Deno SDK) define it; slackctl follows them:

- `.slack/hooks.json` holds `{"hooks": {NAME: COMMAND}, "config": {...}, "runtime": "..."}`. When it has a
  `get-hooks` hook, that hook (run with the default protocol) prints the SDK's own JSON of the same shape; the
  project's file is merged over it, so a hook written in hooks.json overrides the SDK's. A hook neither names is
  `sdk_hook_not_found`.
- `config.protocol-version` lists the protocols the SDK speaks, preferred first. `default`: the hook's stdout is
  its answer. `message-boundaries` (v2): the hook gets `--protocol=message-boundaries --boundary=B` and prints
  its answer between two copies of B; everything else on stdout and stderr is logging.
- Other hook arguments are `--name=value` flags after the command (e.g. get-manifest's `--source=DIR`).
- Commands are shell command lines, run in the project root.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shlex
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from slackctl import settings
from slackctl.errors import UsageError

PROTOCOL_DEFAULT = "default"
PROTOCOL_V2 = "message-boundaries"
KNOWN_PROTOCOLS = (PROTOCOL_DEFAULT, PROTOCOL_V2)
HOOKS_PATH = ".slack/hooks.json"
RUNTIME_HINTS = {
    "deno": "install Deno (https://docs.deno.com/runtime/getting_started/installation/), or add a manifest.json",
    "npx": "install Node.js and npm (e.g. apt-get install nodejs npm), then: npm install",
    "node": "install Node.js and npm (e.g. apt-get install nodejs npm), then: npm install",
}


@dataclass(frozen=True)
class Watch:
    """One `config.watch` entry: files under `paths` (relative to the project) whose path matches the regex."""

    paths: tuple[str, ...]
    filter_regex: str = ""

    def matches(self, root: Path, path: str) -> bool:
        p = Path(path)
        inside = any(p == (root / base) or (root / base) in p.parents for base in self.paths)
        if not inside:
            return False
        return (
            not self.filter_regex
            or re.search(self.filter_regex, p.name) is not None
            or re.search(self.filter_regex, str(p)) is not None
        )


@dataclass
class SDKConfig:
    """The merged answer of hooks.json and `get-hooks` (Slack CLI's SDKCLIConfig)."""

    hooks: dict[str, str] = field(default_factory=dict)
    runtime: str = ""
    protocols: list[str] = field(default_factory=list)
    sdk_managed_connection: bool = False
    watch_app: Watch | None = None
    watch_manifest: Watch | None = None
    trigger_paths: list[str] = field(default_factory=list)
    from_sdk: frozenset[str] = frozenset()  # hooks that came from get-hooks, not from hooks.json

    @property
    def protocol(self) -> str:
        """The first protocol of the SDK's list that slackctl speaks, else the default one."""
        return next((p for p in self.protocols if p in KNOWN_PROTOCOLS), PROTOCOL_DEFAULT)

    def hook(self, name: str) -> str | None:
        command = self.hooks.get(name, "").strip()
        return command or None

    def require(self, name: str) -> str:
        command = self.hook(name)
        if command is None:
            raise UsageError(
                f"sdk_hook_not_found: no '{name}' hook in {HOOKS_PATH}"
                + (" or in the answer of its get-hooks hook" if "get-hooks" in self.hooks else ""),
                f'add {{"hooks": {{"{name}": "COMMAND"}}}} to {HOOKS_PATH}',
            )
        return command


def parse_config(data: Any, origin: str) -> SDKConfig:
    """An SDKConfig from hooks.json-shaped JSON; a wrong shape is one line naming the key."""
    if not isinstance(data, dict):
        raise UsageError(f"{origin}: expected a JSON object", 'e.g. {"hooks": {"start": "python3 app.py"}}')
    hooks = data.get("hooks", {})
    if not isinstance(hooks, dict) or not all(isinstance(v, str) for v in hooks.values()):
        raise UsageError(f'{origin}: expected {{"hooks": {{"NAME": "COMMAND"}}}}', "fix the hooks' commands")
    config = data.get("config", {})
    if not isinstance(config, dict):
        raise UsageError(f"{origin}: 'config' must be an object", "fix or remove it")
    protocols = config.get("protocol-version", [])
    protocols = [protocols] if isinstance(protocols, str) else protocols
    if not isinstance(protocols, list) or not all(isinstance(p, str) for p in protocols):
        raise UsageError(f"{origin}: config.protocol-version must be a list of names", f'e.g. ["{PROTOCOL_V2}"]')
    watch = config.get("watch", {})
    if not isinstance(watch, dict):
        raise UsageError(f"{origin}: config.watch must be an object", "fix or remove it")
    manifest = _watch(watch.get("manifest"), origin, "manifest")
    if manifest is None and watch.get("paths"):  # Slack CLI's legacy top-level form watches the manifest
        manifest = _watch(
            {"paths": watch.get("paths"), "filter-regex": watch.get("filter-regex", "")}, origin, "manifest"
        )
    triggers = config.get("trigger-paths", [])
    if not isinstance(triggers, list) or not all(isinstance(p, str) for p in triggers):
        raise UsageError(f"{origin}: config.trigger-paths must be a list of paths", "fix or remove it")
    runtime = data.get("runtime", "")
    return SDKConfig(
        hooks=dict(hooks),
        runtime=runtime if isinstance(runtime, str) else "",
        protocols=protocols,
        sdk_managed_connection=config.get("sdk-managed-connection-enabled") is True,
        watch_app=_watch(watch.get("app"), origin, "app"),
        watch_manifest=manifest,
        trigger_paths=list(triggers),
    )


def _watch(data: Any, origin: str, name: str) -> Watch | None:
    if data is None:
        return None
    paths = data.get("paths") if isinstance(data, dict) else None
    regex = data.get("filter-regex", "") if isinstance(data, dict) else ""
    if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths) or not isinstance(regex, str):
        raise UsageError(
            f'{origin}: config.watch.{name} must be {{"paths": [...], "filter-regex": "..."}}', "fix or remove it"
        )
    try:
        re.compile(regex)
    except re.error as exc:
        raise UsageError(
            f"{origin}: config.watch.{name}.filter-regex is not a regular expression ({exc})", "fix it"
        ) from None
    return Watch(tuple(paths), regex) if paths else None


def merge(sdk: dict[str, Any], local: dict[str, Any]) -> dict[str, Any]:
    """The project's hooks.json over the SDK's answer: each hook, config key and watch entry of the project's
    file wins (Slack's CLI merges the same way)."""
    out: dict[str, Any] = {**sdk, **{k: v for k, v in local.items() if k not in ("hooks", "config")}}
    out["hooks"] = {**(sdk.get("hooks") or {}), **(local.get("hooks") or {})}
    config = dict(sdk.get("config") or {})
    for key, value in (local.get("config") or {}).items():
        config[key] = (
            {**config[key], **value} if isinstance(value, dict) and isinstance(config.get(key), dict) else value
        )
    out["config"] = config
    return out


# -- running a hook --------------------------------------------------------------------------------
def command_line(
    command: str, protocol: str = PROTOCOL_DEFAULT, boundary: str = "", args: dict[str, str] | None = None
) -> str:
    """The shell command line: the hook, then its `--name=value` arguments, then the protocol's flags."""
    extra = [f"--{k}={v}" for k, v in (args or {}).items()]
    if protocol == PROTOCOL_V2:
        extra += [f"--protocol={PROTOCOL_V2}", f"--boundary={boundary}"]
    return command + "".join(" " + shlex.quote(word) for word in extra)


def search_path(root: Path, bin_dir: str | None, base: dict[str, str]) -> dict[str, str]:
    """`base` with the project's tools first on PATH, as a developer's activated shell has them: the bin folder
    of the Python the app runs with (so a hook's `python3` is the project's) and node_modules/.bin."""
    env = dict(base)
    first = [p for p in (bin_dir, str(root / "node_modules" / ".bin")) if p]
    env["PATH"] = os.pathsep.join([*first, env.get("PATH", os.defpath)])
    venv = Path(bin_dir).parent if bin_dir else None
    if venv is not None and (venv / "pyvenv.cfg").is_file():
        env["VIRTUAL_ENV"] = str(venv)
    return env


def missing_program(command: str, env: dict[str, str]) -> str | None:
    """The program a hook starts when it is not on the hook's PATH (e.g. `deno` for a Deno project), else None.
    Shell syntax, builtins and paths are left for the shell to judge."""
    import shutil

    try:
        words = [w for w in shlex.split(command) if not ("=" in w and w.split("=", 1)[0].isidentifier())]
    except ValueError:
        return None
    if not words or "/" in words[0] or words[0] in SHELL_WORDS:
        return None
    return None if shutil.which(words[0], path=env.get("PATH")) else words[0]


# Shell syntax and builtins that start a command without being a program on PATH.
SHELL_WORDS = {
    "if",
    "for",
    "while",
    "until",
    "case",
    "(",
    "{",
    "!",
    "[[",
    "cd",
    "exec",
    "export",
    "exit",
    ".",
    "source",
    "true",
    "false",
    "echo",
    "printf",
    "test",
    "[",
    "set",
    "eval",
    "command",
    "env",
}


@dataclass
class HookAnswer:
    response: str  # the answer (between the boundaries under v2; all of stdout under the default protocol)
    logs: list[str]  # everything else the hook printed, for people


def call(
    root: Path, name: str, command: str, *, protocol: str, env: dict[str, str], args: dict[str, str] | None = None
) -> HookAnswer:
    """Run a hook to completion and return its answer; a failure is one line with the hook's last words."""
    timeout = hook_timeout()
    program = missing_program(command, env)
    if program is not None:
        raise UsageError(
            f"the {name} hook needs `{program}`, which is not installed (not on PATH): {command}",
            RUNTIME_HINTS.get(program, f"install {program}, or change the hook in {HOOKS_PATH}"),
        )
    boundary = secrets.token_hex(16)
    line = command_line(command, protocol, boundary, args)
    try:
        proc = subprocess.run(  # noqa: S602 - a hook is a shell command, as in Slack's CLI
            line,
            shell=True,
            cwd=root,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=timeout,
            stdin=subprocess.DEVNULL,
            env=env,
        )
    except subprocess.TimeoutExpired:
        raise UsageError(
            f"the {name} hook did not finish within {timeout:g}s: {command}",
            f"check the hook, or raise {settings.ENV_HOOK_TIMEOUT}",
        ) from None
    if proc.returncode != 0:
        tail = (proc.stderr.strip() or proc.stdout.strip()).splitlines()[-1:] or ["no output"]
        missing = " (command not found)" if proc.returncode == 127 else ""
        raise UsageError(
            f"the {name} hook failed (exit {proc.returncode}{missing}): {tail[0][:200]}",
            f"run it yourself to see why: {command}",
        )
    return split_answer(proc.stdout, proc.stderr, protocol, boundary)


def split_answer(stdout: str, stderr: str, protocol: str, boundary: str) -> HookAnswer:
    logs = [ln for ln in stderr.splitlines() if ln.strip()]
    if protocol != PROTOCOL_V2:
        return HookAnswer(stdout.strip(), logs)
    parts = stdout.split(boundary)
    response = parts[1] if len(parts) >= 3 else ""
    outside = parts[0] + "".join(parts[2:]) if len(parts) >= 3 else stdout
    return HookAnswer(response.strip(), [ln for ln in outside.splitlines() if ln.strip()] + logs)


def stream(
    root: Path,
    command: str,
    env: dict[str, str],
    on_line: Callable[[str], None],
    *,
    protocol: str = PROTOCOL_DEFAULT,
    args: dict[str, str] | None = None,
) -> int:
    """Run a hook that works rather than answers (deploy, build, install-update), each output line to
    `on_line` (under v2 the answer between the boundaries is not shown); returns its exit status."""
    boundary = secrets.token_hex(16)
    proc = subprocess.Popen(  # noqa: S602 - a hook is a shell command, as in Slack's CLI
        command_line(command, protocol, boundary, args),
        shell=True,
        cwd=root,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
        bufsize=1,
    )
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            if boundary not in line:
                on_line(line.rstrip("\n"))
        return proc.wait()
    except BaseException:
        proc.kill()
        proc.wait()
        raise


def hook_timeout() -> float:
    return float(os.environ.get(settings.ENV_HOOK_TIMEOUT, settings.HOOK_TIMEOUT_SECONDS))


def json_answer(answer: HookAnswer, name: str) -> Any:
    """The JSON object a hook answered; output before it (a hook that logs under the default protocol) is
    skipped, as Slack's CLI skips to the first `{`."""
    text = answer.response
    start = text.find("{")
    if start < 0:
        raise UsageError(f"the {name} hook answered no JSON object", "run the hook yourself to see its output")
    try:
        return json.JSONDecoder().raw_decode(text[start:])[0]
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"the {name} hook's answer is not valid JSON: {exc.msg}", "run the hook yourself to see its output"
        ) from None
