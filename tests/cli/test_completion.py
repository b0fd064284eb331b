"""Shell completion of profiles, templates and environments (issue 19, item 10), through click's bash protocol in
a real process."""

from __future__ import annotations

import json


def _complete(run_slackctl, words: str, cwd=None) -> list[str]:
    parts = words.split(" ")
    env = {"_SLACKCTL_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(len(parts) - 1)}
    result = run_slackctl(env=env, cwd=cwd)
    assert result.exit_code == 0, result.stderr
    # bash protocol: one "type,value" line per candidate (plain values for older click)
    return [line.split(",", 1)[-1] for line in result.stdout.splitlines() if line]


def test_profiles_complete_for_switch_logout_and_p(cli, run_slackctl, mint):
    for name in ("acme", "beta"):
        assert cli("auth", "login", "--with-token", "-p", name, input=mint("bot")["token"]).exit_code == 0
    assert _complete(run_slackctl, "slackctl auth switch ") == ["acme", "beta"]
    assert _complete(run_slackctl, "slackctl auth logout a") == ["acme"]
    assert _complete(run_slackctl, "slackctl -p b") == ["beta"]
    assert _complete(run_slackctl, "slackctl --profile ") == ["acme", "beta"]


def test_templates_complete_for_create_t(run_slackctl):
    got = _complete(run_slackctl, "slackctl create -t bolt-python")
    assert got == ["bolt-python", "bolt-python-custom-step", "bolt-python-http"]


def test_environments_complete_from_the_project(run_slackctl, tmp_path):
    (tmp_path / "manifest.json").write_text(json.dumps({"display_information": {"name": "x"}}))
    (tmp_path / ".slack").mkdir()
    (tmp_path / ".slack" / "environments.json").write_text(json.dumps({"staging": {}}))
    (tmp_path / ".slack" / "apps.json").write_text(json.dumps({"environments": {"qa": {}}}))
    assert _complete(run_slackctl, "slackctl deploy --env ", cwd=tmp_path) == ["dev", "prod", "qa", "staging"]
    assert _complete(run_slackctl, "slackctl manifest diff --env s", cwd=tmp_path) == ["staging"]
