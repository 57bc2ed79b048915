"""The one error type of the runtime: bad input, reported as one line."""


class RuntimeInputError(Exception):
    """Bad input or a failing part: str(e) is the one line to print (exit 1)."""
