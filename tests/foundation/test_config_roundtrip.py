"""Property tests of config.toml: any config slackctl can hold is written and read back unchanged, a second save
is byte-identical, and any bytes on disk either load or fail as a ConfigError (exit 2), never as a crash."""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slackctl.config import Config, Profile, load_config, save_config
from slackctl.errors import ConfigError, ExitCode

# TOML text is UTF-8: lone surrogates cannot be written by anyone, so they are not a case to test.
text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)
toml_int = st.integers(min_value=-(2**63), max_value=2**63 - 1)
# NaN never equals itself; the infinities round-trip in TOML (inf, -inf).
toml_float = st.floats(allow_nan=False)
scalars = st.one_of(text, toml_int, toml_float, st.booleans())
toml_values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(text, inner, max_size=4)),
    max_leaves=12,
)

profiles = st.builds(
    Profile,
    name=text,
    team_id=text,
    team_name=text,
    user_id=text,
    user_name=text,
    bot_user_id=text,
    app_id=text,
    slack_url=text,
    storage=st.sampled_from(["keyring", "file"]),
    kinds=st.lists(text, max_size=4, unique=True),
    scopes=st.dictionaries(text, st.lists(text, max_size=4), max_size=3),
    expires=st.dictionaries(text, toml_int, max_size=3),
    extra=st.dictionaries(text, toml_values, max_size=3),
)


@st.composite
def configs(draw: st.DrawFn) -> tuple[str, dict[str, Profile], dict]:
    found = draw(st.lists(profiles, max_size=4, unique_by=lambda p: p.name))
    by_name = {p.name: p for p in found}
    active = draw(st.sampled_from(sorted(by_name)) if by_name else st.just(""))
    extra = draw(st.dictionaries(text.filter(lambda k: k not in ("active", "profiles")), toml_values, max_size=3))
    return active, by_name, extra


def _same(a: object, b: object) -> bool:
    """Equality where -0.0 == 0.0 is fine but a lost sign of infinity is not."""
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isinf(a) and a == b)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(configs())
def test_every_config_round_trips_through_config_toml(drawn):
    active, by_name, extra = drawn
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "config.toml"
        save_config(Config(path=path, active=active, profiles=by_name, extra=extra))
        first = path.read_bytes()
        loaded = load_config(path)
        assert loaded.active == active
        assert loaded.profiles.keys() == by_name.keys()
        for name, profile in by_name.items():
            assert _same(vars(loaded.profiles[name]), vars(profile)), name
        assert _same(loaded.extra, extra)
        # Loading and saving again changes nothing: a no-op `edit_config()` leaves the file as it was.
        save_config(loaded)
        assert path.read_bytes() == first


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=200),
        st.text(max_size=200).map(str.encode),
        # TOML-shaped text reaches the profile parsing, not just the TOML parser.
        st.lists(
            st.sampled_from(
                [
                    'active = "a"',
                    "active = 1",
                    "[profiles]",
                    "[profiles.a]",
                    "[profiles.b]",
                    'team_id = "T1"',
                    "kinds = ['bot']",
                    "kinds = 3",
                    "scopes = {bot = 1}",
                    "profiles = 1",
                    "expires = {bot = 'x'}",
                    "nope = 1",
                    "[x]",
                    "a = [",
                    "name = 'evil'",
                    "extra = {a = 1}",
                    "[profiles.a.extra]",
                ]
            ),
            max_size=8,
        ).map(lambda lines: "\n".join(lines).encode()),
    )
)
def test_any_bytes_on_disk_load_or_fail_as_a_config_error(raw):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "config.toml"
        path.write_bytes(raw)
        try:
            config = load_config(path)
        except ConfigError as exc:
            assert exc.exit_code == ExitCode.USAGE
            assert str(path) in exc.message
            return
        assert isinstance(config.profiles, dict) and isinstance(config.active, str)
