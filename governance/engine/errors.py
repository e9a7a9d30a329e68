class EngineError(Exception):
    """Evaluation could not be completed (exit 3). The message says why and what to do."""
