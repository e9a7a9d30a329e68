"""`--format json`: the machine contract of spec/README.md."""

from governance.result import RunResult

FORMAT = "json"


def render(result: RunResult, options) -> str:
    return result.to_json()
