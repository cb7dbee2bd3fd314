"""What the central client raises: the server refused, could not be reached, or answered
something the kiosk cannot read."""

from __future__ import annotations


class CentralError(Exception):
    """The central API refused or could not answer; ``code`` is stable, ``field`` optional."""

    def __init__(
        self, code: str, detail: str = "", field: str = "", status: int | None = None
    ) -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail
        self.field = field
        self.status = status
        self.attempts_remaining: int | None = None
        self.locked_until = ""
        # The problem's own words (title, and detail when it had one), for staff to read on
        # the outbox screen; ``detail`` above falls back to the title or the HTTP reason.
        self.problem_title = ""
        self.problem_detail = ""


class CentralUnreachable(CentralError):
    """No answer at all (network down, server stopped, or timed out): worth retrying later."""


class MalformedAnswer(CentralError):
    """The server said yes, but its answer is not what the kiosk reads: a field is missing
    or has the wrong type. Its code is ``server_error`` (the family is told something went
    wrong on the server's side; the outbox tries again later) and ``detail`` names the
    answer and the field, for the log."""

    def __init__(self, answer: str, path: str, expected: str) -> None:
        super().__init__("server_error", f"malformed {answer}: {path} is not {expected}")
        self.answer = answer
        self.path = path
