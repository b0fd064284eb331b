"""The emulator's rooms: Web API method a.b.c is handled in slackctl.emulator.webapi.a (a module, or a module
inside the package of that name), so a reader who knows a method's name finds its handler in one hop; and every
module under webapi/ is imported by dispatch, so a namespace module registers its methods just by existing."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from types import SimpleNamespace

import slackctl.emulator.webapi as webapi
from slackctl.emulator.webapi import dispatch  # noqa: F401 - importing it discovers and registers every handler
from slackctl.emulator.webapi.registry import REGISTRY

PREFIX = "slackctl.emulator.webapi."


def misplaced(registry: dict[str, object]) -> list[str]:
    """'METHOD in MODULE' for each handler outside the module or package its first name segment names."""
    out = []
    for name, spec in sorted(registry.items()):
        module = spec.handler.__module__  # type: ignore[attr-defined]
        home = PREFIX + name.split(".")[0]
        if module != home and not module.startswith(home + "."):
            out.append(f"{name} in {module}")
    return out


def test_every_method_is_handled_in_its_namespace_module() -> None:
    assert len(REGISTRY) > 60
    assert misplaced(REGISTRY) == []


def test_a_handler_outside_its_namespace_is_reported() -> None:
    def handler() -> None: ...

    for module in ("slackctl.emulator.webapi.chat.messages", "slackctl.emulator.webapi.users"):
        handler.__module__ = module
        fake = {"users.info": SimpleNamespace(handler=handler)}
        expected = [] if module.endswith(".users") else [f"users.info in {module}"]
        assert misplaced(fake) == expected
    handler.__module__ = "slackctl.emulator.webapi.usersgroups"  # a prefix of the name is not its package
    assert misplaced({"users.info": SimpleNamespace(handler=handler)}) == ["users.info in " + handler.__module__]


def test_dispatch_imports_every_module_under_webapi() -> None:
    names = [info.name for info in pkgutil.walk_packages(webapi.__path__, PREFIX)]
    assert "slackctl.emulator.webapi.apps.manifest" in names
    # In a fresh interpreter: importing dispatch alone loads every module (no hand-kept list to forget one in).
    probe = "import sys, slackctl.emulator.webapi.dispatch; print(' '.join(sorted(sys.modules)))"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()
    assert [n for n in names if n not in loaded] == []
