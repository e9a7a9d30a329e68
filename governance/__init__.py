"""govern: digital-operations governance as code, checked by Open Policy Agent."""

__version__ = "0.1.0"
