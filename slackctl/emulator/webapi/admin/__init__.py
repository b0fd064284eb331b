"""admin.*: an Enterprise Grid org admin's methods (users.py, conversations.py, teams.py, usergroups.py, apps.py);
outside Grid each answers as Slack answers a workspace not on an Enterprise plan (access.enterprise). The admin.*
methods without a module here answer through the generic layer (webapi/generic.py), behind the same check."""

ADMIN_KIND = ("user",)  # admin.* take an org admin's user token only
