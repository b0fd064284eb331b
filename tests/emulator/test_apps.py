"""apps.manifest.* with configuration tokens, and hosted external auth through the emulator's provider."""

from __future__ import annotations

import json

from tests.emulator.conftest import call
from tests.emulator.oauth_helpers import authorize, redirect_params

MANIFEST = {
    "display_information": {"name": "Deploy Bot"},
    "features": {"bot_user": {"display_name": "deploybot"}},
    "oauth_config": {
        "redirect_urls": ["https://deploy.example/oauth"],
        "scopes": {"bot": ["chat:write"], "user": ["users:read"]},
    },
    "settings": {"token_rotation_enabled": True},
}


def test_manifest_create_makes_an_app_whose_credentials_work_for_oauth(emu, client):
    config = emu.mint_token("config")["token"]
    created = call(client, "apps.manifest.create", config, manifest=MANIFEST)
    assert created["ok"] and created["app_id"].startswith("A")
    creds = created["credentials"]
    assert set(creds) == {"client_id", "client_secret", "verification_token", "signing_secret"}
    assert created["oauth_authorize_url"].startswith(emu.url + "/oauth/v2/authorize?client_id=")
    code = redirect_params(
        authorize(client, client_id=creds["client_id"], scope="chat:write", redirect_uri="https://deploy.example/oauth")
    )["code"]
    body = client.post(
        "/api/oauth.v2.access",
        data={"code": code, "redirect_uri": "https://deploy.example/oauth"},
        auth=(creds["client_id"], creds["client_secret"]),
    ).json()
    assert body["app_id"] == created["app_id"]
    assert body["access_token"].startswith("xoxe.xoxb-")  # token rotation came from the manifest


def test_manifest_in_a_form_post_is_a_json_string(emu, client):
    config = emu.mint_token("config")["token"]
    body = client.post("/api/apps.manifest.validate", data={"token": config, "manifest": json.dumps(MANIFEST)}).json()
    assert body == {"ok": True}


def test_validate_reports_errors_with_pointers(emu, client):
    config = emu.mint_token("config")["token"]
    body = call(client, "apps.manifest.validate", config, manifest={"display_information": {}, "bogus": 1})
    assert body["error"] == "invalid_manifest"
    pointers = {e["pointer"] for e in body["errors"]}
    assert pointers == {"/display_information", "/bogus"}  # a missing key is reported on its object
    long_name = call(client, "apps.manifest.validate", config, manifest={"display_information": {"name": "x" * 36}})
    assert long_name["errors"][0]["pointer"] == "/display_information/name"


def test_manifest_methods_need_a_configuration_token(emu, client, bot):
    assert call(client, "apps.manifest.create", bot, manifest=MANIFEST)["error"] == "not_allowed_token_type"


def test_update_reports_permission_changes_and_export_round_trips(emu, client):
    config = emu.mint_token("config")["token"]
    app_id = call(client, "apps.manifest.create", config, manifest=MANIFEST)["app_id"]
    same = call(client, "apps.manifest.update", config, app_id=app_id, manifest=MANIFEST)
    assert same == {"ok": True, "app_id": app_id, "permissions_updated": False}
    more = json.loads(json.dumps(MANIFEST))
    more["oauth_config"]["scopes"]["bot"].append("channels:read")
    assert call(client, "apps.manifest.update", config, app_id=app_id, manifest=more)["permissions_updated"] is True
    assert call(client, "apps.manifest.export", config, app_id=app_id)["manifest"] == more
    assert call(client, "apps.manifest.delete", config, app_id=app_id) == {"ok": True}
    assert call(client, "apps.manifest.export", config, app_id=app_id)["error"] == "app_not_found"


def test_export_of_default_app_describes_it(emu, client):
    config = emu.mint_token("config")["token"]
    manifest = call(client, "apps.manifest.export", config, app_id="A0EMU00001")["manifest"]
    assert manifest["oauth_config"]["pkce_enabled"] is True


def test_external_auth_flow_through_the_emulator_provider(emu, client):
    config = emu.mint_token("config")["token"]
    # SLACK_PROVIDED: options are client_id and scope only (a CUSTOM provider must name https URLs, which the
    # schema requires and a loopback emulator cannot offer); the emulator stands in as the provider.
    manifest = dict(
        MANIFEST,
        external_auth_providers={
            "oauth2": {
                "github": {"provider_type": "SLACK_PROVIDED", "options": {"client_id": "gh-client", "scope": ["repo"]}}
            }
        },
    )
    app_id = call(client, "apps.manifest.create", config, manifest=manifest)["app_id"]
    user = emu.mint_token("user")["token"]
    assert call(client, "apps.auth.external.start", user, app_id=app_id, provider_key="github")["error"] == (
        "client_secret_not_found"
    )
    assert (
        call(
            client,
            "apps.auth.external.clientSecret.add",
            user,
            app_id=app_id,
            provider_key="github",
            client_secret="gh-secret",
        )["ok"]
        is True
    )
    url = call(client, "apps.auth.external.start", user, app_id=app_id, provider_key="github")["authorization_url"]
    assert url.startswith(emu.url + "/_emulator/provider/authorize?")
    back = client.get(url)
    assert back.status_code == 302
    done = client.get(back.headers["Location"])
    assert done.status_code == 200 and "Authorization complete" in done.text
    listed = call(client, "apps.auth.external.list", user, app_id=app_id)["authorizations"]
    assert listed[0]["provider_key"] == "github" and listed[0]["valid_token_exists"] is True
    assert "access_token" not in json.dumps(listed)
    token_id = listed[0]["external_tokens"][0]["external_token_id"]
    assert (
        call(
            client,
            "apps.auth.external.authMapping.update",
            user,
            app_id=app_id,
            provider_key="github",
            workflow_id="Wf123",
        )["ok"]
        is True
    )
    assert call(client, "apps.auth.external.delete", user, app_id=app_id, external_token_id=token_id)["ok"]
    assert (
        call(client, "apps.auth.external.list", user, app_id=app_id)["authorizations"][0]["valid_token_exists"] is False
    )
    assert call(client, "apps.auth.external.start", user, app_id=app_id, provider_key="nope")["error"] == (
        "provider_not_found"
    )
