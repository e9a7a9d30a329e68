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
"""

from __future__ import annotations

from typing import Any

import click

PREFIX = "GOVERN"
# The options that governance.yaml also sets (the fallback of --fail-on, added to by skip:),
# for the documented table: (command, option name) -> manifest key.
FROM_MANIFEST = {("check", "fail_on"): "fail_on", ("check", "skips"): "skip"}


def long_flag(option: click.Option) -> str:
    return max((o for o in option.opts if o.startswith("--")), key=len)


def derived_name(command: str, option: click.Option) -> str:
    """GOVERN_<COMMAND>_<OPTION>, from the option's long flag."""
    return f"{PREFIX}_{command}_{long_flag(option)[2:]}".upper().replace("-", "_")


def env_names(option: click.Option) -> list[str]:
    envvar = option.envvar
    return [envvar] if isinstance(envvar, str) else list(envvar or [])


class GovernCommand(click.Command):
    """A command whose options each read one environment variable, shown in --help and named in
    every usage error about the option (the bad value may be in the environment, not typed)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if isinstance(param, click.Option):
                if not param.envvar:
                    param.envvar = derived_name(self.name or "", param)
                param.allow_from_autoenv = False  # one name per option: never also click's derived one
                param.show_envvar = True

    def invoke(self, ctx: click.Context) -> Any:  # whatever the callback returns, as click.Command.invoke
        try:
            return super().invoke(ctx)
        except click.BadParameter as exc:
            raise self._hinted(ctx, exc) from None

    def _hinted(self, ctx: click.Context, exc: click.BadParameter) -> click.BadParameter:
        """A value the command itself refused (--format, --skip) names its variable too, as click's own
        errors do: the value may have come from there rather than from what the user typed."""
        flag = exc.param_hint if exc.param is None and isinstance(exc.param_hint, str) else None
        option = next((p for p in self.params if isinstance(p, click.Option) and flag in p.opts), None)
        if option is not None:
            exc.param_hint = f"{flag} (env var: {', '.join(repr(n) for n in env_names(option))})"
        return exc


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
    for name in sorted(group.commands):
        for option in (p for p in group.commands[name].params if isinstance(p, click.Option)):
            manifest = FROM_MANIFEST.get((name, option.name or ""))
            names = ", ".join(f"`{n}`" for n in env_names(option))
            rows.append(f"| {name} | `{long_flag(option)}` | {names} | {value(option)} | {f'`{manifest}`' if manifest else ''} |")
    return "\n".join(rows) + "\n"
