"""The trusted-template list: URLs are compared as parsed, normalised components, never as string prefixes."""

from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slackctl.core.scaffold.discover import TemplateSource, is_trusted, resolve_template


def git_source(url: str) -> TemplateSource:
    return TemplateSource("git", url, url)


@pytest.mark.parametrize(
    "url, entry",
    [
        ("https://github.com/acme/../evil/x.git", "https://github.com/acme"),
        ("https://github.com/acme/%2e%2e/evil/x.git", "https://github.com/acme"),
        ("https://github.com/acme/.%2E/evil/x.git", "https://github.com/acme"),
        ("https://github.com/acme/x/../../evil/x.git", "https://github.com/acme"),
        ("https://github.com/acme-evil/x.git", "https://github.com/acme"),
        ("https://github.com/acme-evil/x.git", "acme/x"),
        ("https://github.com/acme/x-evil.git", "acme/x"),
        ("https://github.com@evil.com/acme/x.git", "https://github.com/acme"),
        ("https://github.com:443@evil.com/acme/x.git", "https://github.com/acme"),
        ("https://github.com%2F@evil.com/acme/x.git", "https://github.com"),
        ("https://evil.com/github.com/acme/x.git", "https://github.com"),
        ("https://github.com.evil.com/acme/x.git", "https://github.com"),
        ("https://github.com:8443/acme/x.git", "https://github.com/acme"),
        ("http://github.com/acme/x.git", "https://github.com/acme"),
        ("https://github.com/ACME/x.git", "https://github.com/acme"),
        ("https://github.com/acme", "https://github.com/acme/x"),
        ("https://github.com/acme%2F..%2Fevil/x.git", "https://github.com/acme"),
        ("https://github.com/acme/x\\..\\..\\evil\\y.git", "https://github.com/acme"),
        ("https://github.com/acme/x.git?ref=../../evil", "https://github.com/acme"),
        ("https://github.com/acme/x.git#../../evil", "https://github.com/acme"),
        ("https://bob@github.com/acme/x.git", "https://github.com/acme"),
        ("git@github.com:acme/../evil/x.git", "git@github.com:acme"),
        ("git@github.com:acme-evil/x.git", "git@github.com:acme"),
        ("evil@github.com:acme/x.git", "git@github.com:acme"),
        ("ssh://evil@github.com/acme/x.git", "ssh://git@github.com/acme"),
        ("ssh://git@github.com:2222/acme/x.git", "ssh://git@github.com/acme"),
        ("file:///srv/templates/../evil/x", "file:///srv/templates"),
        ("git@github.com:acme/x.git", "ssh://git@github.com/acme"),  # home-relative is not the absolute /acme
        ("https://github.com/acme/x.git", "https://github.com:notaport/acme"),
    ],
)
def test_urls_outside_a_trusted_entry_are_not_trusted(url: str, entry: str):
    assert is_trusted(git_source(url), [entry]) is False


@pytest.mark.parametrize(
    "url, entry",
    [
        ("https://github.com/acme/x.git", "https://github.com/acme"),
        ("https://github.com/acme/x.git", "https://github.com/acme/"),
        ("https://github.com/acme/x.git", "https://github.com/acme/x"),
        ("https://github.com/acme/x", "https://github.com/acme/x.git"),
        ("https://github.com/acme/x.git", "acme/x"),
        ("https://GitHub.COM/acme/x.git", "https://github.com/acme"),
        ("https://github.com./acme/x.git", "https://github.com/acme"),
        ("https://github.com:443/acme/x.git", "https://github.com/acme"),
        ("http://example.com:80/acme/x.git", "http://example.com/acme"),
        ("https://github.com/acme/./x.git", "https://github.com/acme"),
        ("https://github.com/acme/y/../x.git", "https://github.com/acme"),
        ("https://github.com/%61cme/x.git", "https://github.com/acme"),
        ("https://xn--bcher-kva.example/acme/x.git", "https://bücher.example/acme"),
        ("https://bücher.example/acme/x.git", "https://xn--bcher-kva.example/acme"),
        ("https://[::1]:8443/acme/x.git", "https://[0:0::1]:8443/acme"),
        ("git@github.com:acme/x.git", "git@github.com:acme"),
        ("git@github.com:acme/x.git", "ssh://git@github.com/~/acme"),
        ("git@GitHub.com:acme/x.git", "git@github.com:acme/x.git"),
        ("ssh://git@github.com/acme/x.git", "ssh://git@github.com:22/acme"),
        ("git://example.com:9418/acme/x.git", "git://example.com/acme"),
        ("file:///srv/templates/x", "file:///srv/templates"),
    ],
)
def test_urls_inside_a_trusted_entry_are_trusted(url: str, entry: str):
    assert is_trusted(git_source(url), [entry]) is True


def test_builtins_are_always_trusted_and_nothing_else_without_an_entry(tmp_path: Path):
    assert is_trusted(resolve_template("bolt-python"), [])
    assert not is_trusted(git_source("https://github.com/acme/x.git"), [])
    assert not is_trusted(git_source("https://github.com/acme/x.git"), ["", "   "])


def test_a_folder_is_trusted_under_a_trusted_folder_by_path_components(tmp_path: Path):
    (tmp_path / "mine" / "t").mkdir(parents=True)
    (tmp_path / "mine-evil" / "t").mkdir(parents=True)
    assert is_trusted(resolve_template(str(tmp_path / "mine" / "t")), [str(tmp_path / "mine")])
    assert is_trusted(resolve_template(str(tmp_path / "mine" / "t")), [f"{tmp_path}/other/../mine/"])
    assert not is_trusted(resolve_template(str(tmp_path / "mine-evil" / "t")), [str(tmp_path / "mine")])


def test_a_link_inside_a_trusted_folder_that_leads_elsewhere_is_not_trusted(tmp_path: Path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "elsewhere" / "t").mkdir(parents=True)
    (tmp_path / "mine" / "t").symlink_to(tmp_path / "elsewhere" / "t")
    assert not is_trusted(resolve_template(str(tmp_path / "mine" / "t")), [str(tmp_path / "mine")])


def test_a_file_url_and_a_folder_entry_name_the_same_place(tmp_path: Path):
    (tmp_path / "mine" / "t").mkdir(parents=True)
    assert is_trusted(git_source((tmp_path / "mine" / "t").as_uri()), [str(tmp_path / "mine")])
    assert not is_trusted(git_source((tmp_path / "mine" / "t").as_uri() + "/../../../x"), [str(tmp_path / "mine")])


# Path segments a hostile URL might use, raw or percent-encoded.
SEGMENTS = st.sampled_from(
    ["acme", "evil", "x", "acme-evil", ".", "..", "%2e", "%2E%2e", ".%2e", "%61cme", "y.git", "%2F", "a%2Fb"]
)


def oracle_inside_acme(segments: list[str]) -> bool:
    """Independent answer: where a server resolving dot segments after decoding would land."""
    decoded = [unquote(s) for s in segments]
    if any("/" in s for s in decoded):
        return False  # an encoded slash inside a segment is never taken as a separator by the trust check
    landed = posixpath.normpath("/" + "/".join(["acme", *decoded]))
    return landed == "/acme" or landed.startswith("/acme/")


@settings(max_examples=300, deadline=None)
@given(st.lists(SEGMENTS, max_size=8))
def test_property_a_path_is_trusted_exactly_when_it_resolves_inside_the_entry(segments: list[str]):
    url = "https://github.com/" + "/".join(["acme", *segments])
    assert is_trusted(git_source(url), ["https://github.com/acme"]) is oracle_inside_acme(segments)


USER = st.text(alphabet=st.sampled_from("abcGITHUB.com:%2F@-_"), min_size=1, max_size=20)


@settings(max_examples=200, deadline=None)
@given(USER, st.sampled_from(["evil.com", "github.com.evil.com", "evil.com:443", "127.0.0.1"]))
def test_property_user_info_never_makes_another_host_trusted(user: str, host: str):
    url = f"https://{quote(user, safe=':%')}@{host}/acme/x.git"
    assert is_trusted(git_source(url), ["https://github.com/acme", "https://github.com"]) is False


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["github.com", "GITHUB.COM", "GitHub.com", "github.com."]),
    st.sampled_from(["", ":443"]),
    st.sampled_from(["acme", "acme-evil", "acmE", "acme.git"]),
)
def test_property_host_case_and_default_port_do_not_matter_but_the_owner_does(host: str, port: str, owner: str):
    url = f"https://{host}{port}/{owner}/x.git"
    assert is_trusted(git_source(url), ["https://github.com/acme"]) is (owner == "acme")
