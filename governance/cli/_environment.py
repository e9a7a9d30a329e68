"""Options from the environment: every option of every command can be set as
`GOVERN_<COMMAND>_<OPTION>` (docs/configuration.md), so CI can configure a run
without rewriting its command line.

The name follows the option's long flag (`--format` → GOVERN_CHECK_FORMAT),
not the Python parameter behind it (`formats`), which is what click's
`auto_envvar_prefix` would use; so each option is given its name explicitly
here. An option that has a name of its own (`--opa-token`: GOVERN_OPA_TOKEN)
keeps it. Precedence is click's: the command line, then the environment, then
the default; `check --fail-on` falls back on the manifest's `fail_on` only where
neither gave a value. (The manifest's `skip:` adds to `--skip` instead:
evaluate/selection.py.)

A bad value is a usage error (exit 2) that says where the value came from:
the option as typed on the command line, or its variable. The settings only
the environment holds (`ENVIRONMENT_ONLY`) are checked before any command
runs, with the same exit code; the manifest's own values are checked where it
is loaded, at its file:line:col.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import click
from click.core import ParameterSource

from governance.bug import DEBUG_WORDS
from governance.engine import MEMORY_FORMAT, parse_memory

PREFIX = "GOVERN"
# The options that governance.yaml also sets (the fallback of --fail-on, added to by skip:),
# for the documented table: (command, option name) -> manifest key.
FROM_MANIFEST = {("check", "fail_on"): "fail_on", ("check", "skips"): "skip"}


def long_flag(option: click.Option) -> str:
    return max((o for o in option.opts if o.startswith("--")), key=len)


def derived_name(command: str, option: click.Option) -> str:
    """GOVERN_<COMMAND>_<OPTION>, from the option's long flag (a group's command: GOVERN_HISTORY_LIST_FORMAT)."""
    return f"{PREFIX}_{command}_{long_flag(option)[2:]}".upper().replace("-", "_").replace(" ", "_")


def commands(group: click.Group) -> list[tuple[str, click.Command]]:
    """Every command by the name it is typed with (`history list` for one in a group), sorted."""
    found: list[tuple[str, click.Command]] = []
    for name in sorted(group.commands):
        command = group.commands[name]
        if isinstance(command, click.Group):
            found += [(f"{name} {sub}", c) for sub, c in commands(command)]
        else:
            found.append((name, command))
    return found


def env_names(option: click.Option) -> list[str]:
    envvar = option.envvar
    return [envvar] if isinstance(envvar, str) else list(envvar or [])


class GovernCommand(click.Command):
    """A command whose options each read one environment variable, shown in --help and named in
    every usage error about the option (the bad value may be in the environment, not typed)."""

    group_name = ""  # the group the command is typed after (`history`), part of its variables' names

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if isinstance(param, click.Option):
                if not param.envvar:
                    param.envvar = derived_name(f"{self.group_name} {self.name or ''}".strip(), param)
                param.allow_from_autoenv = False  # one name per option: never also click's derived one
                param.show_envvar = True

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.MissingParameter:
            raise  # no value came from anywhere: click names the option and its variable
        except click.BadParameter as exc:
            if isinstance(exc.param, click.Option) and exc.param_hint is None:
                exc.param_hint = sourced_hint(ctx, exc.param, f"'{long_flag(exc.param)}'")
            raise

    def invoke(self, ctx: click.Context) -> Any:  # whatever the callback returns, as click.Command.invoke
        try:
            check_environment()  # once its options are read (--help works whatever the variables hold)
            return super().invoke(ctx)
        except click.BadParameter as exc:
            raise self._hinted(ctx, exc) from None

    def _hinted(self, ctx: click.Context, exc: click.BadParameter) -> click.BadParameter:
        """A value the command itself refused (--format, --skip) says where it came from, as click's own errors do."""
        flag = exc.param_hint if exc.param is None and isinstance(exc.param_hint, str) else None
        option = next((p for p in self.params if isinstance(p, click.Option) and flag in p.opts), None)
        if option is not None and flag is not None:
            exc.param_hint = sourced_hint(ctx, option, flag)
        return exc


def sourced_hint(ctx: click.Context, option: click.Option, flag: str) -> str:
    """`flag`, and where the option's value came from: its variable, or the command line. click's own hint
    names the variable whatever the source, so a bad --timeout typed on the command line read as the variable's."""
    if ctx.get_parameter_source(option.name or "") is ParameterSource.ENVIRONMENT:
        return f"{flag} (env var: {', '.join(repr(n) for n in env_names(option))})"
    return f"{flag} (command line)"


def _memory(value: str) -> str | None:
    try:
        parse_memory(value)
    except ValueError:
        return f"{value!r} is not {MEMORY_FORMAT}"
    return None


def _debug(value: str) -> str | None:
    return None if value.strip().lower() in DEBUG_WORDS else f"{value!r} is not one of {', '.join(sorted(DEBUG_WORDS))}"


# The settings no option holds (docs/configuration.md, "Settings only the environment holds") whose value can be
# wrong on its face: variable -> what is wrong with a value, or None. GOVERN_OPA and GOVERN_CACHE are paths:
# one that holds no pinned OPA is OPA missing (exit 3, as the contract says), not a usage error.
ENVIRONMENT_ONLY: dict[str, Callable[[str], str | None]] = {"GOVERN_OPA_MEMORY": _memory, "GOVERN_DEBUG": _debug}


def check_environment() -> None:
    """A bad value of a setting only the environment holds is a usage error (exit 2) naming the variable,
    before any command runs. A variable that is set but empty counts as not set, as for the options."""
    for name, problem in ENVIRONMENT_ONLY.items():
        value = os.environ.get(name, "")
        why = problem(value) if value.strip() else None
        if why:
            raise click.BadParameter(why, param_hint=f"{name} (env var)")


def separator(option: click.Option) -> str:
    """How one environment variable holds several values of a repeatable option (click splits it)."""
    splitter = option.type.envvar_list_splitter
    return "whitespace" if splitter is None else f"`{splitter}`"


def value(option: click.Option) -> str:
    """What the variable holds, as the option's type reads it."""
    if option.is_flag:
        return "flag: 1/0, true/false, yes/no, on/off"
    if isinstance(option.type, click.Choice):
        shown = "one of " + ", ".join(f"`{c}`" for c in option.type.choices)
    else:
        shown = f"`{option.metavar or option.type.name.upper()}`"
    return f"{shown}, repeatable: separated by {separator(option)}" if option.multiple else shown


def table(group: click.Group) -> str:
    """docs/configuration.md's table of every option and its variable, from the commands themselves."""
    rows = ["| command | option | environment variable | value | governance.yaml |", "|---|---|---|---|---|"]
    for name, command in commands(group):
        for option in (p for p in command.params if isinstance(p, click.Option)):
            manifest = FROM_MANIFEST.get((name, option.name or ""))
            names = ", ".join(f"`{n}`" for n in env_names(option))
            rows.append(f"| {name} | `{long_flag(option)}` | {names} | {value(option)} | {f'`{manifest}`' if manifest else ''} |")
    return "\n".join(rows) + "\n"
