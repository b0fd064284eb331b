"""The one Prompter: questions for a person at a terminal (questionary), hidden input for secrets (getpass),
and, when nobody is there (no terminal, or CI set), an error naming the flag or variable to pass instead.
Prompts and answers stay on the terminal's stderr side: stdout is for data."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from slackctl.cli.io import IO
from slackctl.errors import UsageError

# What questionary calls to check an answer while it is typed: True, or the message to show.
Validator = Callable[[str], "bool | str"]


class Prompter:
    """Asks the person at the terminal; never asks when IO.can_prompt says nobody is there."""

    def __init__(self, io: IO) -> None:
        self.io = io

    @property
    def can_prompt(self) -> bool:
        return self.io.can_prompt

    def require(self, what: str, instead: str) -> None:
        """Raise the one "cannot ask" error unless a person is there: `what` is needed, `instead` says how to
        give it without a prompt (e.g. "--client-id ID or set SLACK_CLIENT_ID")."""
        if not self.io.can_prompt:
            raise UsageError(
                f"{what} is needed and slackctl cannot prompt here (no terminal, or CI is set)", f"pass {instead}"
            )

    def text(
        self, question: str, *, what: str, instead: str, default: str = "", validate: Validator | None = None
    ) -> str:
        """A line of text, typed at a terminal (questionary, with live validation). The default is shown beside
        the question and taken on an empty answer, not pre-filled: typed text would be appended to it."""
        self.require(what, instead)
        import questionary

        check = validate or (lambda _: True)
        answer = questionary.text(
            question,
            instruction=f"({default})" if default else None,
            validate=lambda text: check(text if text.strip() else default),
            **self._output(),
        ).unsafe_ask()
        return str(answer or "").strip() or default

    def secret(self, question: str, *, what: str, instead: str) -> str:
        """A secret, typed without echo (getpass, on stderr); stripped."""
        self.require(what, instead)
        import getpass

        return getpass.getpass(question, stream=self.io.stderr).strip()

    def confirm(self, question: str, *, flag: str) -> bool:
        """A typed yes or no (`[y/N]`, Enter), for the go-ahead before changing something remote (deploy, app
        delete); without a person at the keyboard, fail naming the flag that answers yes."""
        self._need_person(question, flag)
        self.io.err(f"{question} [y/N] ", end="")
        return self.io.stdin.readline().strip().lower() in ("y", "yes")

    def yes_no(self, question: str, *, flag: str, default: bool = False) -> bool:
        """A yes or no picked with one key (questionary), inside a run of questions (create's)."""
        self._need_person(question, flag)
        import questionary

        return bool(questionary.confirm(question, default=default, **self._output()).unsafe_ask())

    def _need_person(self, question: str, flag: str) -> None:
        if not self.io.can_prompt:
            raise UsageError(
                f"{question.rstrip('?')}: confirmation needed, but there is no terminal to ask on",
                f"pass {flag} to go ahead without asking",
            )

    def select(self, question: str, choices: Sequence[Any], *, what: str, instead: str, default: Any = None) -> Any:
        """One of `choices` (strings, or questionary.Choice for a title with a value)."""
        self.require(what, instead)
        import questionary

        return questionary.select(question, choices=list(choices), default=default, **self._output()).unsafe_ask()

    def profile_chooser(self) -> Callable[[list[str]], str] | None:
        """At a terminal, a question picking which of a workspace's profiles a login goes to; elsewhere None
        (the core then refuses, listing them and naming --profile)."""
        if not self.io.can_prompt:
            return None

        def choose(names: list[str]) -> str:
            return str(
                self.select(
                    "Which profile should this login go to?", names, what="the profile", instead="--profile NAME"
                )
            )

        return choose

    def pasted_line(self, question: str) -> str:
        """One raw line the user pastes (a long URL): asked on a terminal, else read from stdin as it comes."""
        if self.io.can_prompt:
            self.io.err(question, end="")
        return self.io.stdin.readline()

    def secret_lines(self, question: str) -> list[str]:
        """Secrets piped on stdin (one per line, blank lines skipped), or one typed at a hidden prompt when stdin
        is a terminal: the one way slackctl takes a secret, never from argv."""
        if self.io.stdin_is_tty:
            import getpass

            return [getpass.getpass(question, stream=self.io.stderr).strip()]
        return [line.strip() for line in self.io.stdin.read().splitlines() if line.strip()]

    def _output(self) -> dict[str, Any]:
        """Draw questionary's prompt on stderr (ours is a terminal whenever we prompt), keeping stdout for data."""
        from prompt_toolkit.output import create_output

        return {"output": create_output(stdout=self.io.stderr)}
