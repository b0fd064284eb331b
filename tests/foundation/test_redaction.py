"""--verbose shows requests and responses, never a secret."""

from __future__ import annotations


def test_verbose_login_status_token_logout_never_show_the_token(cli, bot_token):
    for args in (
        ("auth", "login", "--with-token", "-v"),
        ("auth", "status", "--verbose"),
        ("-v", "auth", "list"),
        ("auth", "logout", "-v"),
    ):
        result = cli(*args, input=bot_token)  # the cli fixture fails the test if the token appears anywhere
        assert result.exit_code == 0, (args, result.stderr)
    verbose = cli("auth", "status", "-v", env={"SLACK_TOKEN": bot_token})
    assert "> POST" in verbose.stderr
    assert "authorization: Bearer [REDACTED]" in verbose.stderr


def test_redact_scrubs_token_shapes_and_known_secrets():
    from slackctl.slack.tokens import redact

    text = "a xoxb-123-456-abcdefABCDEF b xoxe.xoxp-1-abcdefgh c xapp-1-A1-2-abcdef d s3cr3tvalue"
    out = redact(text, ["s3cr3tvalue"])
    for secret in ("xoxb-123-456-abcdefABCDEF", "xoxe.xoxp-1-abcdefgh", "xapp-1-A1-2-abcdef", "s3cr3tvalue"):
        assert secret not in out
