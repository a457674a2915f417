"""Errors the offline engine reports to the user (exit code 2), without a traceback."""


class EngineError(Exception):
    """Bad project or stack files, bad arguments, or a program that failed to run."""
