"""Help for newcomers (issue 19, item 9): bare slackctl, `slackctl help`, full summaries, argument descriptions,
one suggestion list."""

from __future__ import annotations


def test_bare_slackctl_prints_the_help_on_stdout_and_exits_0(cli):
    result = cli()
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: slackctl [OPTIONS] COMMAND")
    assert "error" not in result.stderr and result.stderr == ""


def test_a_group_alone_prints_its_help_and_exits_0(cli):
    result = cli("auth")
    assert result.exit_code == 0 and result.stdout.startswith("Usage: slackctl auth [OPTIONS] COMMAND")


def test_help_command_shows_the_help_of_a_command(cli):
    result = cli("help", "api", "call")
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: slackctl api call")
    assert cli("help").stdout == cli("--help").stdout
    assert "help " in cli("--help").stdout  # listed among the commands
    unknown = cli("help", "nosuch")
    assert unknown.exit_code == 2 and "No such command 'nosuch'" in unknown.stderr


def test_summaries_are_not_cut_at_120_columns(run_slackctl):
    # A real process: click's test runner forces 80 columns.
    result = run_slackctl("api", "--help", env={"COLUMNS": "120"})
    assert (
        "Make many calls of one method from JSON lines; print each response as a JSON line, in input order."
        in result.stdout
    )
    assert "..." not in result.stdout.split("Commands:")[1]


def test_arguments_have_descriptions_once(cli):
    describe = cli("api", "describe", "--help").stdout
    assert "METHOD  Web API method." in describe
    assert "Positional arguments" not in describe and describe.count("METHOD  ") == 1
    assert "NAME  Profile to make active." in cli("auth", "switch", "--help").stdout
    assert "KIND  One of:" in cli("tokens", "add", "--help").stdout


def test_a_mistyped_command_gets_one_suggestion_list(cli):
    one = cli("auth", "statu")
    assert one.exit_code == 2
    assert one.stderr.count("Did you mean") == 1 and "Did you mean 'status'?" in one.stderr
    two = cli("ap")
    assert two.stderr.count("Did you mean") == 1 and "Did you mean 'api' or 'app'?" in two.stderr


def test_a_cut_short_option_suggests_the_option_it_starts(cli):
    result = cli("api", "call", "users.list", "--paginat")
    assert result.exit_code == 2
    assert "Did you mean '--paginate'?" in result.stderr and "--input" not in result.stderr
