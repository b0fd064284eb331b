"""An Enterprise Grid org (issue 28), opt-in: an org owning two workspaces, its admins, a channel both workspaces
see, Slack Connect between them, and the admin.* families an org admin uses — driven with the real slack_sdk."""

from __future__ import annotations

import json

import httpx
import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slackctl.emulator import start_emulator
from slackctl.emulator.world.grid import ENTERPRISE_ID, SHARED_ID, TEAM2_ADMIN_ID, TEAM2_ID

TEAM1_ID = "T0EMU0001"
ORG_ADMIN = "U0EMU00001"


@pytest.fixture
def emu():
    with start_emulator(grid=True) as emulator:
        yield emulator


def sdk(emu, kind: str = "user", **mint) -> WebClient:
    return WebClient(token=emu.mint_token(kind, **mint)["token"], base_url=emu.url + "/api/")


def error_of(call) -> str:
    with pytest.raises(SlackApiError) as err:
        call()
    return err.value.response["error"]


def test_an_org_admin_lists_users_across_both_workspaces(emu):
    users = sdk(emu).admin_users_list()["users"]
    by_id = {u["id"]: u for u in users}
    assert TEAM1_ID in by_id[ORG_ADMIN]["workspaces"] and by_id[TEAM2_ADMIN_ID]["workspaces"] == [TEAM2_ID]
    only_two = sdk(emu).admin_users_list(team_id=TEAM2_ID)["users"]
    assert {u["id"] for u in only_two} == {TEAM2_ADMIN_ID, "U0EMU00012"}
    assert {"id", "email", "is_admin", "is_owner", "is_bot", "username", "full_name", "workspaces"} <= set(users[0])


def test_a_message_in_the_shared_channel_is_seen_from_both_workspaces(emu):
    one, two = sdk(emu, "user"), sdk(emu, "user", team=TEAM2_ID)
    posted = one.chat_postMessage(channel=SHARED_ID, text="hello from workspace one")
    seen = two.conversations_history(channel=SHARED_ID)["messages"]
    assert [(m["ts"], m["text"], m["team"]) for m in seen] == [(posted["ts"], "hello from workspace one", TEAM1_ID)]
    reply = two.chat_postMessage(channel=SHARED_ID, text="and from two")
    assert one.conversations_history(channel=SHARED_ID)["messages"][0]["team"] == TEAM2_ID
    assert reply["message"]["team"] == TEAM2_ID
    info = two.conversations_info(channel=SHARED_ID)["channel"]
    assert info["is_shared"] and info["is_org_shared"] and info["shared_team_ids"] == [TEAM1_ID, TEAM2_ID]


def test_auth_test_and_team_info_carry_the_org(emu):
    two = sdk(emu, "bot", team=TEAM2_ID)
    auth = two.auth_test()
    assert (auth["team_id"], auth["enterprise_id"], auth["is_enterprise_install"]) == (TEAM2_ID, ENTERPRISE_ID, False)
    assert auth["team"] == "Emulated Workspace Two"
    team = two.team_info()["team"]
    assert (team["id"], team["enterprise_id"]) == (TEAM2_ID, ENTERPRISE_ID)
    org_wide = sdk(emu, "bot", enterprise_install=True).auth_test()
    assert org_wide["is_enterprise_install"] is True and org_wide["enterprise_id"] == ENTERPRISE_ID


def test_auth_teams_list_is_every_workspace_for_an_org_wide_install_and_one_otherwise(emu):
    org_wide = sdk(emu, "bot", enterprise_install=True).auth_teams_list()["teams"]
    assert [t["id"] for t in org_wide] == [TEAM1_ID, TEAM2_ID]
    assert [t["id"] for t in sdk(emu, "bot", team=TEAM2_ID).auth_teams_list()["teams"]] == [TEAM2_ID]


def test_grid_users_carry_their_enterprise_user_block(emu):
    user = sdk(emu, "bot").users_info(user=TEAM2_ADMIN_ID)["user"]
    assert user["enterprise_user"]["enterprise_id"] == ENTERPRISE_ID
    assert user["enterprise_user"]["teams"] == [TEAM2_ID] and user["enterprise_user"]["is_admin"] is False


def test_slack_connect_invite_accept_and_list_between_the_two_workspaces(emu):
    one, two = sdk(emu, "bot"), sdk(emu, "bot", team=TEAM2_ID)
    channel = one.conversations_create(name="launch")["channel"]["id"]
    invite = one.conversations_inviteShared(channel=channel, user_ids=[TEAM2_ADMIN_ID])["invite_id"]
    (pending,) = two.conversations_listConnectInvites()["invites"]
    assert (pending["invite"]["id"], pending["direction"], pending["status"]) == (invite, "incoming", "pending")
    accepted = two.conversations_acceptSharedInvite(channel_name="launch", invite_id=invite)
    assert accepted["channel_id"] == channel
    (done,) = one.conversations_listConnectInvites()["invites"]
    assert (done["direction"], done["status"]) == ("outgoing", "approved")
    assert done["acceptances"][0]["accepting_team"]["id"] == TEAM2_ID
    shared = one.conversations_info(channel=channel)["channel"]
    assert shared["is_ext_shared"] and TEAM2_ID in shared["shared_team_ids"]
    one.chat_postMessage(channel=channel, text="welcome")
    assert [m["text"] for m in two.conversations_history(channel=channel)["messages"]] == ["welcome"]
    assert (
        error_of(lambda: two.conversations_acceptSharedInvite(channel_name="launch", invite_id=invite)) == "invite_used"
    )


def test_admin_conversations_create_search_rename_invite_set_teams_archive(emu):
    admin = sdk(emu)
    cid = admin.admin_conversations_create(name="ops", is_private=False, team_id=TEAM2_ID)["channel_id"]
    found = admin.admin_conversations_search(query="ops")["conversations"]
    assert [c["id"] for c in found] == [cid] and found[0]["connected_team_ids"] == [TEAM2_ID]
    admin.admin_conversations_rename(channel_id=cid, name="ops-room")
    admin.admin_conversations_invite(channel_id=cid, user_ids=["U0EMU00012"])
    admin.admin_conversations_setTeams(channel_id=cid, team_id=TEAM2_ID, target_team_ids=[TEAM1_ID])
    assert admin.admin_conversations_getTeams(channel_id=cid)["team_ids"] == [TEAM1_ID, TEAM2_ID]
    (row,) = admin.admin_conversations_search(query="ops-room", team_ids=[TEAM1_ID])["conversations"]
    assert row["member_count"] == 1 and row["is_org_shared"] is True
    admin.admin_conversations_archive(channel_id=cid)
    assert admin.admin_conversations_search(query="ops-room", search_channel_types=["archived"])["conversations"]
    assert error_of(lambda: admin.admin_conversations_archive(channel_id=cid)) == "already_archived"


def test_admin_users_invite_assign_set_admin_and_remove(emu):
    admin = sdk(emu)
    admin.admin_users_invite(team_id=TEAM2_ID, email="new@example.com", channel_ids=[SHARED_ID])
    (new,) = [u for u in admin.admin_users_list(team_id=TEAM2_ID)["users"] if u["email"] == "new@example.com"]
    admin.admin_users_assign(team_id=TEAM1_ID, user_id=new["id"])
    admin.admin_users_setAdmin(team_id=TEAM1_ID, user_id=new["id"])
    assert new["id"] in admin.admin_teams_admins_list(team_id=TEAM1_ID)["admin_ids"]
    assert error_of(lambda: admin.admin_users_assign(team_id=TEAM1_ID, user_id=new["id"])) == "user_already_team_member"
    admin.admin_users_remove(team_id=TEAM2_ID, user_id=new["id"])
    (after,) = [u for u in admin.admin_users_list()["users"] if u["id"] == new["id"]]
    assert after["workspaces"] == [TEAM1_ID] and after["is_admin"] is True


def test_admin_teams_list_create_admins_owners_and_settings(emu):
    admin = sdk(emu)
    assert [t["id"] for t in admin.admin_teams_list()["teams"]] == [TEAM1_ID, TEAM2_ID]
    created = admin.admin_teams_create(team_domain="third", team_name="Third Workspace")["team"]
    assert created in [t["id"] for t in admin.admin_teams_list()["teams"]]
    assert admin.admin_teams_owners_list(team_id=TEAM2_ID)["owner_ids"] == [TEAM2_ADMIN_ID]
    admin.admin_teams_settings_setName(team_id=created, name="Renamed")
    info = admin.admin_teams_settings_info(team_id=created)["team"]
    assert (info["name"], info["domain"], info["enterprise_id"]) == ("Renamed", "third", ENTERPRISE_ID)
    assert error_of(lambda: admin.admin_teams_create(team_domain="third", team_name="x")) == "domain_taken"


def test_admin_usergroups_add_list_remove_channels(emu):
    group = sdk(emu).usergroups_create(name="On call")["usergroup"]["id"]
    admin = sdk(emu)
    admin.admin_usergroups_addChannels(usergroup_id=group, channel_ids=[SHARED_ID, "C0EMU00002"])
    listed = admin.admin_usergroups_listChannels(usergroup_id=group)["channels"]
    assert [c["id"] for c in listed] == [SHARED_ID, "C0EMU00002"]
    admin.admin_usergroups_removeChannels(usergroup_id=group, channel_ids=[SHARED_ID])
    assert [c["id"] for c in admin.admin_usergroups_listChannels(usergroup_id=group)["channels"]] == ["C0EMU00002"]
    admin.admin_usergroups_addTeams(usergroup_id=group, team_ids=[TEAM2_ID])


def test_admin_apps_requests_approve_restrict(emu):
    admin = sdk(emu)
    (request,) = admin.admin_apps_requests_list()["app_requests"]
    app_id = request["app"]["id"]
    admin.admin_apps_approve(request_id=request["id"], team_id=TEAM1_ID)
    assert admin.admin_apps_requests_list()["app_requests"] == []
    assert [a["app"]["id"] for a in admin.admin_apps_approved_list()["approved_apps"]] == [app_id]
    admin.admin_apps_restrict(app_id=app_id)
    assert admin.admin_apps_approved_list()["approved_apps"] == []
    assert [a["app"]["id"] for a in admin.admin_apps_restricted_list()["restricted_apps"]] == [app_id]


def test_a_workspace_admin_is_not_an_org_admin(emu):
    workspace_admin = sdk(emu, "user", team=TEAM2_ID)  # Katherine: admin of workspace two only
    assert error_of(lambda: workspace_admin.admin_teams_list()) == "not_an_admin"
    assert error_of(lambda: workspace_admin.admin_users_list(team_id=TEAM1_ID)) == "not_an_admin"
    own = workspace_admin.admin_users_list(team_id=TEAM2_ID)["users"]
    assert TEAM2_ADMIN_ID in [u["id"] for u in own]
    assert error_of(lambda: sdk(emu, "user", user="U0EMU00002").admin_users_list()) == "not_an_admin"


def test_generic_admin_methods_are_behind_the_same_org_admin_check(emu):
    assert sdk(emu).admin_barriers_list()["ok"] is True
    assert error_of(lambda: sdk(emu, "user", user="U0EMU00002").admin_barriers_list()) == "not_an_admin"


def test_without_grid_admin_methods_answer_as_slack_does_outside_an_enterprise():
    with start_emulator() as plain:
        user = sdk(plain, "user", scopes=["admin.conversations:read", "admin.users:read", "admin.barriers:read"])
        assert error_of(lambda: user.admin_conversations_search()) == "not_an_enterprise"
        assert error_of(lambda: user.admin_users_list()) == "feature_not_enabled"
        assert error_of(lambda: user.admin_barriers_list()) in ("not_an_enterprise", "feature_not_enabled")
        bot = sdk(plain, "bot", scopes=["conversations.connect:write"])
        assert error_of(lambda: bot.conversations_inviteShared(channel="C0EMU00001", emails=["a@b.c"])) == "not_paid"
        auth = sdk(plain, "bot").auth_test()
        assert "enterprise_id" not in auth and auth["is_enterprise_install"] is False


def test_grid_survives_a_state_restart_and_reset_keeps_the_org(tmp_path):
    state = tmp_path / "state.json"
    with start_emulator(grid=True, state_file=state) as emu:
        created = sdk(emu).admin_teams_create(team_domain="kept", team_name="Kept")["team"]
        emu.save_state()
    assert json.loads(state.read_text())["enterprise"]["id"] == ENTERPRISE_ID
    with start_emulator(state_file=state) as again:
        assert [t["id"] for t in sdk(again).admin_teams_list()["teams"]] == [TEAM1_ID, TEAM2_ID, created]
    with start_emulator(grid=True) as emu:
        sdk(emu).admin_teams_create(team_domain="gone", team_name="Gone")
        emu.reset()
        assert [t["id"] for t in sdk(emu).admin_teams_list()["teams"]] == [TEAM1_ID, TEAM2_ID]


def test_a_seed_file_and_the_control_surface_turn_grid_on(tmp_path):
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps({"grid": True}))
    with start_emulator(seed=seed) as emu:
        body = httpx.post(f"{emu.url}/_emulator/tokens", json={"kind": "bot", "team": TEAM2_ID}).json()
        assert body["team_id"] == TEAM2_ID
        assert WebClient(token=body["token"], base_url=emu.url + "/api/").auth_test()["enterprise_id"] == ENTERPRISE_ID


@pytest.mark.parametrize("org_ready", [False, True])
def test_events_carry_the_org_and_an_org_wide_install_says_so(org_ready):
    from tests.emulator.test_delivery_http import Receiver, manifest

    receiver = Receiver()
    try:
        with start_emulator(grid=True, time_scale=600) as emu:
            app_manifest = manifest(receiver.url, ["message.channels"], ["channels:history", "chat:write"])
            app_manifest["settings"]["org_deploy_enabled"] = org_ready
            app = emu.install_app(app_manifest)
            assert json.loads(receiver.next()["body"])["type"] == "url_verification"
            emu.user("ada").post("#general", "to the org")
            body = json.loads(receiver.next()["body"])
            auth = WebClient(token=app["bot_token"], base_url=emu.url + "/api/").auth_test()
    finally:
        receiver.close()
    assert body["enterprise_id"] == ENTERPRISE_ID and body["context_enterprise_id"] == ENTERPRISE_ID
    assert body["authorizations"] == [
        {
            "enterprise_id": ENTERPRISE_ID,
            "team_id": None if org_ready else TEAM1_ID,
            "user_id": app["bot_user_id"],
            "is_bot": True,
            "is_enterprise_install": org_ready,
        }
    ]
    assert auth["is_enterprise_install"] is org_ready and auth["enterprise_id"] == ENTERPRISE_ID


def test_the_driven_user_of_the_second_workspace_posts_as_that_workspace(emu):
    posted = emu.user("katherine").post("#org-shared", "from workspace two")
    seen = sdk(emu, "user").conversations_history(channel=SHARED_ID)["messages"][0]
    assert (seen["ts"], seen["user"], seen["team"]) == (posted["ts"], TEAM2_ADMIN_ID, TEAM2_ID)
