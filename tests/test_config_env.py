"""Configuration from the environment (docs/configuration.md): every option of every command reads
GOVERN_<COMMAND>_<OPTION>; the command line wins over it, and it wins over governance.yaml; a bad value is
a usage error naming the variable. Also: the documented table is the commands' own, and shell completion works.

Run as `python -m tests.test_config_env` to rewrite the table in docs/configuration.md.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest

from governance.cli import main as cli
from governance.cli._environment import FROM_MANIFEST, commands, derived_name, env_names, table
from governance.model.governance import Manifest
from tests.conftest import REPO, check, govern

DOC = REPO / "docs" / "configuration.md"
BEGIN, END = "<!-- BEGIN options", "<!-- END options -->"
COMMANDS = dict(commands(cli))  # a group's commands by their full name: "history record"
OPTIONS = [(name, p) for name, command in COMMANDS.items() for p in command.params if isinstance(p, click.Option)]


def env(**variables: str) -> dict[str, str]:
    """This process's environment (GOVERN_OPA and all) with `variables` added, and no other GOVERN_<COMMAND>_ one."""
    kept = {k: v for k, v in os.environ.items() if not re.match(r"GOVERN_[A-Z]+_", k) or k.startswith("GOVERN_OPA")}
    return {**kept, **variables}


def documented_table(text: str) -> str:
    start = text.index(BEGIN)
    return text[text.index("\n", start) + 1:text.index(END)]


def rewrite_doc() -> None:
    text = DOC.read_text(encoding="utf-8")
    DOC.write_text(text.replace(documented_table(text), table(cli)), encoding="utf-8")


# ---------------------------------------------------------------- names


def test_the_documented_table_is_the_commands_own():
    assert documented_table(DOC.read_text(encoding="utf-8")) == table(cli), (
        "docs/configuration.md's table of options is stale: rewrite it with `.venv/bin/python -m tests.test_config_env`")


def test_every_option_of_every_command_has_one_govern_variable():
    assert len(OPTIONS) >= 15
    for command, option in OPTIONS:
        names = env_names(option)
        assert len(names) == 1 and names[0].startswith("GOVERN_"), (command, option.name, names)
        # three variables serve several commands under one name: the OPA token, the repository path prefix,
        # the history store (docs/history.md)
        assert names[0] in {derived_name(command, option), "GOVERN_OPA_TOKEN", "GOVERN_PATH_PREFIX", "GOVERN_DB"}, names
        assert not option.allow_from_autoenv  # never also click's name from the Python parameter (GOVERN_CHECK_FORMATS)
    assert derived_name("check", next(p for c, p in OPTIONS if c == "check" and p.name == "formats")) == "GOVERN_CHECK_FORMAT"


@pytest.mark.parametrize(("command", "option"), OPTIONS, ids=lambda x: x if isinstance(x, str) else x.name)
def test_each_option_takes_its_value_from_its_variable(command, option, monkeypatch):
    """What click reads for the option when only its variable is set: the variable's value, split if repeatable."""
    (name,) = env_names(option)
    monkeypatch.setenv(name, "value-one value-two")
    read = option.value_from_envvar(click.Context(COMMANDS[command]))
    if option.is_flag:
        monkeypatch.setenv(name, "yes")
        read = option.value_from_envvar(click.Context(COMMANDS[command]))
        assert read in (True, "yes"), read
    elif option.multiple:
        assert list(read) == ["value-one", "value-two"]
    else:
        assert read == "value-one value-two"


def test_the_settings_that_fall_back_on_the_manifest_are_manifest_keys():
    assert set(FROM_MANIFEST.values()) <= set(Manifest.model_fields)
    for command, option in FROM_MANIFEST:
        assert any(c == command and p.name == option for c, p in OPTIONS), (command, option)


def test_every_variable_the_code_reads_is_documented():
    """A GOVERN_* setting read from os.environ anywhere in the package is in docs/configuration.md."""
    read = set()
    for path in (REPO / "governance").rglob("*.py"):
        read |= set(re.findall(r"""environ\.get\(\s*["'](GOVERN_[A-Z_]+)["']""", path.read_text(encoding="utf-8")))
    assert {"GOVERN_OPA", "GOVERN_DEBUG", "GOVERN_OPA_MEMORY"} <= read
    text = DOC.read_text(encoding="utf-8")
    assert [n for n in sorted(read) if f"`{n}`" not in text] == []


# ---------------------------------------------------------------- precedence: command line > environment > governance.yaml


def test_fail_on_from_the_environment_wins_over_the_manifest_and_loses_to_the_command_line(example):
    assert "fail_on: low" in (example / "governance.yaml").read_text(encoding="utf-8")
    manifest = check(example, "--format", "json", env=env())
    assert manifest.returncode == 1 and json.loads(manifest.stdout)["fail_on"] == "low"
    from_env = check(example, "--format", "json", env=env(GOVERN_CHECK_FAIL_ON="never"))
    assert from_env.returncode == 0, from_env.stderr
    assert json.loads(from_env.stdout)["fail_on"] == "never"
    typed = check(example, "--format", "json", "--fail-on", "critical", env=env(GOVERN_CHECK_FAIL_ON="never"))
    assert typed.returncode == 1 and json.loads(typed.stdout)["fail_on"] == "critical"


def test_an_empty_variable_is_not_set(example):
    ran = check(example, "--format", "json", env=env(GOVERN_CHECK_FAIL_ON=""))
    assert ran.returncode == 1 and json.loads(ran.stdout)["fail_on"] == "low"


def test_repeatable_options_take_whitespace_separated_values(example, tmp_path):
    ran = check(example, env=env(GOVERN_CHECK_FORMAT=f"json  sarif={tmp_path / 'g.sarif'}\tjunit={tmp_path / 'g.xml'}",
                                 GOVERN_CHECK_LANG="en"))
    assert ran.returncode == 1, ran.stderr
    assert json.loads(ran.stdout)["schema_version"] == 1
    assert json.loads((tmp_path / "g.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"
    assert (tmp_path / "g.xml").read_text(encoding="utf-8").startswith("<?xml")
    assert (tmp_path / "evidence.json").exists()
    # the command line replaces the variable's values
    typed = check(example, "--format", "csv", env=env(GOVERN_CHECK_FORMAT="json"))
    assert typed.stdout.startswith("\ufeffseverity,")


def test_a_flag_from_the_environment_is_read():
    ran = govern("check", "examples/acme", env=env(GOVERN_CHECK_FAIL_ON_NEW_ONLY="true"))
    assert ran.returncode == 2 and "--fail-on-new-only needs --baseline" in ran.stderr


def test_options_of_other_commands_are_read_too(tmp_path):
    ran = govern("init", str(tmp_path / "ws"), env=env(GOVERN_INIT_NAME="From The Environment"))
    assert ran.returncode == 0, ran.stderr
    assert 'name: "From The Environment"' in (tmp_path / "ws" / "governance.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(("variable", "value", "option"), [
    ("GOVERN_CHECK_FAIL_ON", "severe", "'--fail-on'"),
    ("GOVERN_CHECK_AS_OF", "2026-02-30", "'--as-of'"),
    ("GOVERN_CHECK_TIMEOUT", "soon", "'--timeout'"),
    ("GOVERN_CHECK_LANG", "fr", "'--lang'"),
    ("GOVERN_CHECK_FAIL_ON_NEW_ONLY", "maybe", "'--fail-on-new-only'"),
    ("GOVERN_CHECK_OPA_URL", "ftp://opa", "'--opa-url'"),
    ("GOVERN_CHECK_FORMAT", "json pdf", "--format"),  # refused by the command itself, not by click's type
    ("GOVERN_REPORT_LANG", "fr", "'--lang'"),
    ("GOVERN_AGGREGATE_FAIL_ON", "severe", "'--fail-on'"),
])
def test_a_bad_value_in_a_variable_is_a_usage_error_naming_it(variable, value, option):
    command = variable.split("_")[1].lower()
    args = [command, "examples/acme"] if command == "check" else [command, "tests/golden/acme.json"]
    ran = govern(*args, env=env(**{variable: value}))
    assert ran.returncode == 2, (ran.stdout, ran.stderr)
    assert f"Error: Invalid value for {option} (env var: '{variable}')" in ran.stderr
    assert "Traceback" not in ran.stderr and ran.stdout == ""


@pytest.mark.parametrize(("args", "option", "variable"), [
    (["--timeout", "0"], "'--timeout'", "GOVERN_CHECK_TIMEOUT"),
    (["--fail-on", "severe"], "'--fail-on'", "GOVERN_CHECK_FAIL_ON"),
    (["--format", "pdf"], "--format", "GOVERN_CHECK_FORMAT"),  # refused by the command itself
    (["--skip", "NOPE-001"], "--skip", "GOVERN_CHECK_SKIP"),  # likewise, once the checks are known
])
def test_a_bad_value_typed_on_the_command_line_is_said_to_come_from_there(args, option, variable):
    """The variable may be set (to a good value) or not: the bad value is the typed one, and the message says so."""
    for variables in ({}, {variable: {"'--timeout'": "30", "'--fail-on'": "high"}.get(option, "")}):
        ran = govern("check", "examples/acme", *args, env=env(**variables))
        assert ran.returncode == 2, (ran.stdout, ran.stderr)
        assert f"Error: Invalid value for {option} (command line)" in ran.stderr
        assert variable not in ran.stderr and "env var" not in ran.stderr and ran.stdout == ""


@pytest.mark.parametrize(("variable", "value"), [
    ("GOVERN_OPA_MEMORY", "garbage"), ("GOVERN_OPA_MEMORY", "8X"), ("GOVERN_OPA_MEMORY", "1M"),  # below 64M
    ("GOVERN_OPA_MEMORY", "inf"), ("GOVERN_OPA_MEMORY", "nan"), ("GOVERN_DEBUG", "maybe"),
])
@pytest.mark.parametrize("command", ["check", "test", "validate"])
def test_a_bad_setting_only_the_environment_holds_is_a_usage_error_naming_it(variable, value, command, tmp_path):
    out = tmp_path / "r.json"
    args = [command, "examples/acme"] + (["--format", f"json={out}"] if command == "check" else [])
    ran = govern(*args, env=env(**{variable: value}))
    assert ran.returncode == 2, (ran.stdout, ran.stderr)  # GOVERN_OPA_MEMORY=garbage was exit 3, an engine failure
    assert f"Error: Invalid value for {variable} (env var): {value!r} is not " in ran.stderr
    assert "Traceback" not in ran.stderr and ran.stdout == "" and not out.exists()


def test_good_settings_only_the_environment_holds_are_taken_and_help_works_whatever_they_hold():
    assert govern("validate", "examples/acme", env=env(GOVERN_OPA_MEMORY="512m", GOVERN_DEBUG="off")).returncode == 0
    assert govern("validate", "examples/acme", env=env(GOVERN_OPA_MEMORY="", GOVERN_DEBUG="")).returncode == 0  # empty: not set
    helped = govern("check", "--help", env=env(GOVERN_OPA_MEMORY="garbage"))
    assert helped.returncode == 0 and "--fail-on" in helped.stdout


def test_a_bad_value_in_the_manifest_is_an_error_at_its_line():
    """The manifest's own settings are workspace content: refused where it is loaded, at its file:line:col."""
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        ws = Path(shutil.copytree(REPO / "examples" / "acme", Path(tmp) / "acme"))
        manifest = ws / "governance.yaml"
        text = manifest.read_text(encoding="utf-8")
        line = text.splitlines().index("fail_on: low") + 1
        manifest.write_text(text.replace("fail_on: low", "fail_on: severe"), encoding="utf-8")
        ran = govern("check", str(ws), env=env(GOVERN_CHECK_FAIL_ON="high"))  # the variable wins, but the manifest is read
        assert ran.returncode == 2 and ran.stderr.startswith(f"governance.yaml:{line}:1: fail_on: ")


def test_every_govern_variable_is_checked_somewhere():
    """Each GOVERN_* the package reads is an option's variable (click checks it), a setting checked before
    every command (ENVIRONMENT_ONLY), or a path whose lack of an OPA is exit 3 (OPA missing)."""
    from governance.cli._environment import ENVIRONMENT_ONLY

    read = set()
    for path in (REPO / "governance").rglob("*.py"):
        read |= set(re.findall(r"""environ\.get\(\s*["'](GOVERN_[A-Z_]+)["']""", path.read_text(encoding="utf-8")))
    options = {n for _, option in OPTIONS for n in env_names(option)}
    assert read - options - set(ENVIRONMENT_ONLY) == {"GOVERN_OPA", "GOVERN_CACHE"}


def test_an_opa_named_by_govern_opa_that_is_not_there_says_so(tmp_path):
    ran = govern("check", "examples/acme", env=env(GOVERN_OPA=str(tmp_path / "no-opa")))
    assert ran.returncode == 3 and f"GOVERN_OPA={tmp_path / 'no-opa'} (not runnable)" in ran.stderr


def test_an_unrelated_govern_version_variable_changes_nothing():
    """A CI job's own GOVERN_VERSION (its pin of govern) is no option of the group: click's derived names are off."""
    ran = govern("validate", "examples/acme", env=env(GOVERN_VERSION="0.1.0", GOVERN_HELP="1"))
    assert ran.returncode == 0 and "valid" in ran.stdout, ran.stderr


# ---------------------------------------------------------------- shell completion
# The installed `govern` script, in a process of its own: click names the completion variable after the
# program it runs as (`_GOVERN_COMPLETE` for `govern`), which only the real entry point shows.

INSTALLED = Path(sys.executable).parent / "govern"


def installed(variables: dict[str, str], *command: str) -> subprocess.CompletedProcess:
    assert INSTALLED.exists(), f"no installed `govern` beside {sys.executable}: run `make install`"
    path = f"{INSTALLED.parent}{os.pathsep}{os.environ.get('PATH', '')}"
    return subprocess.run(list(command) or [str(INSTALLED)], capture_output=True, text=True, timeout=60,
                          env=env(PATH=path, **variables))


@pytest.mark.parametrize(("shell", "marker"), [
    ("bash_source", "complete -o nosort -F _govern_completion govern"),
    ("zsh_source", "#compdef govern"),
    ("fish_source", "complete --no-files --command govern"),
])
def test_the_completion_script_is_produced(shell, marker):
    ran = installed({"_GOVERN_COMPLETE": shell})
    assert ran.returncode == 0 and marker in ran.stdout, (ran.stdout, ran.stderr)


@pytest.mark.parametrize(("words", "cword", "expected"), [
    ("govern con", 1, {"controls"}),
    ("govern check --fail-on", 2, {"--fail-on", "--fail-on-new-only"}),
    ("govern check --fail-on h", 3, {"high"}),
    ("govern test --thr", 2, {"--threshold"}),
])
def test_completion_completes_commands_options_and_choices(words, cword, expected):
    ran = installed({"_GOVERN_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": str(cword)})
    offered = {line.split(",", 1)[1] for line in ran.stdout.splitlines() if "," in line}
    assert expected <= offered, (ran.stdout, ran.stderr)


def test_bash_loads_the_script_and_registers_the_completion():
    """The script as a user's ~/.bashrc evals it, in a real bash."""
    ran = installed({}, "bash", "--norc", "-c", 'eval "$(_GOVERN_COMPLETE=bash_source govern)" && complete -p govern')
    assert ran.returncode == 0, ran.stderr
    assert "-F _govern_completion govern" in ran.stdout


if __name__ == "__main__":
    rewrite_doc()
    print(f"wrote {DOC.relative_to(REPO)}")
