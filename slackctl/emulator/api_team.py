"""Web API: team.info, bots.info, users.lookupByEmail, users.profile.get, assistant.threads.* and
functions.completeSuccess/completeError."""

from __future__ import annotations

import re
from typing import Any

from slackctl.emulator.api_chat import bot_profile, user_view, visible_channel
from slackctl.emulator.registry import ApiError, Call, method

TEAM_READ = {"bot": ["team:read"], "user": ["team:read"]}
USERS_READ = {"bot": ["users:read"], "user": ["users:read"]}
EMAIL_READ = {"bot": ["users:read.email"], "user": ["users:read.email"]}
PROFILE_READ = {"bot": ["users.profile:read"], "user": ["users.profile:read"]}
ASSISTANT_STATUS = {"bot": ["chat:write"]}
ASSISTANT_WRITE = {"bot": ["assistant:write"]}
_TS = re.compile(r"^\d{1,12}\.\d{1,6}$")
MAX_PROMPTS = 4


@method("team.info", scopes=TEAM_READ)
def team_info(call: Call) -> dict[str, Any]:
    team = call.world.team
    wanted = call.arg("team")
    if wanted and wanted != team["id"]:
        raise ApiError("team_not_found")
    domain = call.arg("domain")
    if domain and domain != team["domain"]:
        raise ApiError("team_not_found")
    return {"team": {
        "id": team["id"], "name": team["name"], "url": f"{call.emu.url}/", "domain": team["domain"],
        "email_domain": "example.com", "avatar_base_url": "https://ca.slack-edge.com/", "is_verified": False,
        "icon": {"image_34": "https://a.slack-edge.com/emulator_team_34.png",
                 "image_44": "https://a.slack-edge.com/emulator_team_44.png",
                 "image_68": "https://a.slack-edge.com/emulator_team_68.png",
                 "image_88": "https://a.slack-edge.com/emulator_team_88.png",
                 "image_102": "https://a.slack-edge.com/emulator_team_102.png",
                 "image_132": "https://a.slack-edge.com/emulator_team_132.png",
                 "image_default": True},
        "lob_sales_home_enabled": False, "is_sfdc_auto_slack": False,
    }}


@method("bots.info", scopes=USERS_READ)
def bots_info(call: Call) -> dict[str, Any]:
    bot_id = call.arg("bot") or call.auth.get("bot_id")
    team_id = call.arg("team_id")
    if team_id and team_id != call.world.team["id"]:
        raise ApiError("team_not_found")
    if not bot_id:
        raise ApiError("bot_not_found")
    profile = bot_profile(call, bot_id)
    if profile is None:
        raise ApiError("bot_not_found")
    app = call.world.apps[profile["app_id"]]
    return {"bot": {"id": bot_id, "deleted": False, "name": profile["name"], "updated": profile["updated"],
                    "app_id": profile["app_id"], "user_id": app["bot_user_id"], "icons": profile["icons"]}}


@method("users.lookupByEmail", scopes=EMAIL_READ)
def users_lookup_by_email(call: Call) -> dict[str, Any]:
    email = (call.arg("email", required=True, error="users_not_found") or "").lower()
    for uid in call.world.user_order:
        user = call.world.users[uid]
        if str(user["profile"].get("email", "")).lower() == email and not user.get("deleted"):
            return {"user": user_view(call, user)}
    local, _, domain = email.partition("@")
    if local.startswith("user") and local[4:].isdigit() and domain == "example.com":  # generated users
        generated = call.world.get_user(f"UG{int(local[4:]):08d}")
        if generated is not None:
            return {"user": user_view(call, generated)}
    raise ApiError("users_not_found")


@method("users.profile.get", scopes=PROFILE_READ)
def users_profile_get(call: Call) -> dict[str, Any]:
    uid = call.arg("user") or call.user_id or ""
    user = call.world.get_user(uid)
    if user is None:
        raise ApiError("user_not_found")
    profile = dict(user_view(call, user)["profile"])
    profile.setdefault("status_text", "")
    profile.setdefault("status_emoji", "")
    profile.setdefault("status_expiration", 0)
    profile.setdefault("title", "")
    profile.setdefault("phone", "")
    return {"profile": profile}


# ---- assistant threads ----------------------------------------------------------------------------------
def _thread(call: Call, required: bool = True) -> dict[str, Any]:
    channel = visible_channel(call, name="channel_id")
    ts = call.arg("thread_ts")
    if ts is None and not required:
        return call.world.assistant_threads.setdefault(channel["id"], {"channel_id": channel["id"]})
    if not ts or not _TS.match(ts):
        raise ApiError("invalid_thread_ts")
    key = f"{channel['id']}|{ts}"
    return call.world.assistant_threads.setdefault(key, {"channel_id": channel["id"], "thread_ts": ts})


@method("assistant.threads.setStatus", kinds=("bot",), scopes=ASSISTANT_STATUS)
def assistant_set_status(call: Call) -> dict[str, Any]:
    status = call.params.get("status")
    if status is None:
        raise ApiError("invalid_arguments", response_metadata={
            "messages": ["[ERROR] missing required field: status"]})
    thread = _thread(call)
    thread["status"] = str(status)  # "" clears it, as on Slack
    loading = call.json_arg("loading_messages")
    if loading is not None:
        thread["loading_messages"] = loading
    call.publish("assistant_status_set", channel_id=thread["channel_id"], thread_ts=thread["thread_ts"],
                 status=thread["status"], app_id=call.auth.get("app_id"))
    return {}


@method("assistant.threads.setTitle", kinds=("bot",), scopes=ASSISTANT_WRITE)
def assistant_set_title(call: Call) -> dict[str, Any]:
    title = call.arg("title", required=True) or ""
    thread = _thread(call)
    thread["title"] = title
    root = call.world.find_message(thread["channel_id"], thread["thread_ts"])
    if root is not None and isinstance(root.get("assistant_app_thread"), dict):
        root["assistant_app_thread"]["title"] = title  # what Slack's container lists the thread as
    call.publish("assistant_thread_changed", channel_id=thread["channel_id"], thread_ts=thread["thread_ts"],
                 app_id=call.auth.get("app_id"))
    return {}


@method("assistant.threads.setSuggestedPrompts", kinds=("bot",), scopes=ASSISTANT_WRITE)
def assistant_set_suggested_prompts(call: Call) -> dict[str, Any]:
    prompts = call.json_arg("prompts", required=True)
    if not isinstance(prompts, list) or not 1 <= len(prompts) <= MAX_PROMPTS or not all(
            isinstance(p, dict) and isinstance(p.get("title"), str) and isinstance(p.get("message"), str)
            for p in prompts):
        raise ApiError("invalid_arguments", response_metadata={"messages": [
            f"[ERROR] prompts must be 1-{MAX_PROMPTS} objects with title and message [json-pointer:/prompts]"]})
    thread = _thread(call, required=False)
    thread["prompts"] = prompts
    if call.arg("title"):
        thread["prompts_title"] = call.arg("title")
    call.publish("assistant_thread_changed", channel_id=thread["channel_id"], thread_ts=thread.get("thread_ts"),
                 app_id=call.auth.get("app_id"))
    return {}


# ---- custom steps (functions) -------------------------------------------------------------------------------
def start_execution(world: Any, app_id: str, callback_id: str, inputs: dict[str, Any]) -> dict[str, Any]:
    """A running function execution of APP (what a workflow step triggers); the driver sends the event."""
    from slackctl.emulator import ids

    execution = {"id": "Fx" + ids.slack_id("", 10), "app_id": app_id, "callback_id": callback_id,
                 "inputs": dict(inputs), "state": "running", "outputs": None, "error": None}
    world.function_executions[execution["id"]] = execution
    return execution


def _execution(call: Call) -> dict[str, Any]:
    execution_id = call.arg("function_execution_id", required=True) or ""
    execution = call.world.function_executions.get(execution_id)
    if execution is None:
        raise ApiError("function_execution_not_found")
    if execution["app_id"] != call.auth.get("app_id"):
        raise ApiError("access_denied")
    if execution["state"] != "running":
        raise ApiError("execution_not_in_running_state")
    return execution


@method("functions.completeSuccess")
def functions_complete_success(call: Call) -> dict[str, Any]:
    outputs = call.json_arg("outputs", required=True)
    if not isinstance(outputs, dict):
        raise ApiError("parameter_validation_failed")
    execution = _execution(call)
    execution.update(state="completed", outputs=outputs)
    call.publish("function_completed", execution=dict(execution))
    return {}


@method("functions.completeError")
def functions_complete_error(call: Call) -> dict[str, Any]:
    error = call.arg("error", required=True) or ""
    execution = _execution(call)
    execution.update(state="failed", error=error)
    call.publish("function_completed", execution=dict(execution))
    return {}
