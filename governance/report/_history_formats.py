"""The formats of `govern history trend` and `govern history finding` (_history.py renders them), apart so
the command line lists them without importing the terminal and HTML libraries."""

TREND_FORMATS = ("table", "json", "csv", "markdown", "html")
FINDING_FORMATS = ("table", "json")
