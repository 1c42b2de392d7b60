"""``Lifecycle``: how case statuses pause and stop the clocks, auto-close and reopen."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Annotated, Any, ClassVar, Final, Literal

from pydantic import AfterValidator, BeforeValidator, Field

from slocalc.errors import did_you_mean
from slocalc.policies._base import PolicyModel, Problem, invalid
from slocalc.policies._clock import Clocks
from slocalc.policies._customer import Customer
from slocalc.policies._target import Target

__all__ = ["STATUSES", "Lifecycle"]

#: the case statuses of the guidebook ("Tracking A Case"), in the order it lists them
STATUSES: Final = (
    "open",
    "in_progress",
    "waiting_on_customer",
    "solution_offered",
    "in_engineering_backlog",
    "closed",
    "closed_no_response",
    "closed_enhancement_request",
    "reopened",
)
#: statuses the case engine itself moves cases to, so every lifecycle must list them
REQUIRED_STATUSES: Final = ("open", "in_progress", "reopened")

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def _check_name(value: str) -> str:
    if not _NAME.match(value):
        raise invalid(f"status {value!r}: expected a lower_snake_case name such as 'in_progress'")
    return value


def _never(value: Any) -> Any:
    return None if value == "never" else value


def _never_schema(schema: dict[str, Any]) -> None:
    schema["anyOf"].insert(-1, {"const": "never"})
    schema["default"] = "10 calendar days"


StatusName = Annotated[str, AfterValidator(_check_name)]
MaybeTarget = Annotated[Target | None, BeforeValidator(_never)]

_STATUS_LISTS: Final = (
    "pause_statuses",
    "stop_statuses",
    "closed_statuses",
    "auto_close_statuses",
    "reopen_statuses",
)


class Lifecycle(PolicyModel):
    """The status rules of a policy. The defaults are the guidebook's, except
    ``reopen_statuses`` (every closed status, as before the field existed; ``RAPID7`` lists
    the guidebook's two).

    * ``statuses``: every legal case status;
    * ``pause_statuses``: update clocks pause while a case is in one of these;
    * ``stop_statuses``: update clocks stop; leaving one starts a new update cycle;
    * ``closed_statuses``: the case is closed (each is also a stop status);
    * ``auto_close_after``: how long a case may sit in one of ``auto_close_statuses`` without
      customer activity before it may be closed as ``auto_close_to``; ``None`` (``"never"``
      in files) for never;
    * ``reopen_window``: how long after closure a customer update reopens the case;
      ``None`` (``"never"``) if closed cases never reopen;
    * ``reopen_statuses``: the closed statuses that reopen; ``None`` (omitted) for every
      closed status;
    * ``severity_change``: ``"rebase"`` recomputes running targets from their original
      start as if the case always had the new severity; ``"restart"`` starts them afresh.

    >>> Lifecycle().pause_statuses
    ('waiting_on_customer', 'solution_offered')
    >>> str(Lifecycle().reopen_window)
    '10 calendar days'
    """

    _what: ClassVar[str] = "lifecycle"

    statuses: tuple[StatusName, ...] = Field(default=STATUSES, description="Every legal case status.")
    pause_statuses: tuple[str, ...] = Field(
        default=("waiting_on_customer", "solution_offered"),
        description="Statuses in which update clocks pause.",
    )
    stop_statuses: tuple[str, ...] = Field(
        default=("in_engineering_backlog", "closed", "closed_no_response", "closed_enhancement_request"),
        description="Statuses in which update clocks stop; leaving one starts a new cycle.",
    )
    closed_statuses: tuple[str, ...] = Field(
        default=("closed", "closed_no_response", "closed_enhancement_request"),
        description="Statuses that close the case (each must also be a stop status).",
    )
    auto_close_after: MaybeTarget = Field(
        default=Target(amount=10, unit="calendar_days", clock="customer"),
        description="Inactivity after which a waiting case may be closed, or 'never'.",
        json_schema_extra=_never_schema,
    )
    auto_close_statuses: tuple[str, ...] = Field(
        default=("waiting_on_customer",),
        description="Statuses in which the auto-close timer runs.",
    )
    auto_close_to: str = Field(
        default="closed_no_response", description="The closed status an auto-closed case gets."
    )
    reopen_statuses: tuple[str, ...] | None = Field(
        default=None,
        description="Closed statuses a customer update reopens (within reopen_window); every closed status if omitted.",
    )
    reopen_window: MaybeTarget = Field(
        default=Target(amount=10, unit="calendar_days", clock="customer"),
        description="How long after closure a customer update reopens the case, or 'never'.",
        json_schema_extra=_never_schema,
    )
    severity_change: Literal["rebase", "restart"] = Field(
        default="rebase",
        description="'rebase': running targets recomputed from their start; 'restart': from the change.",
    )

    @classmethod
    def _cross_check(cls, data: Mapping[str, Any]) -> list[Problem]:
        def listed(field: str) -> Sequence[Any] | None:
            value = data.get(field, cls.model_fields[field].default)
            if isinstance(value, Sequence) and not isinstance(value, str):
                return value
            return None

        out: list[Problem] = []
        statuses = listed("statuses")
        if statuses is None:
            return out
        known = [s for s in statuses if isinstance(s, str)]
        for i, s in enumerate(statuses):
            if s in statuses[:i]:
                out.append(Problem(("statuses", i), f"duplicate status {s!r}"))
        missing = [s for s in REQUIRED_STATUSES if s not in known]
        if missing:
            out.append(
                Problem(
                    ("statuses",),
                    f"missing {', '.join(map(repr, missing))}; every lifecycle needs "
                    f"{', '.join(REQUIRED_STATUSES)} (cases are opened, resumed and reopened into them)",
                )
            )
        for field in _STATUS_LISTS:
            bad = [(i, s) for i, s in enumerate(listed(field) or ()) if isinstance(s, str) and s not in known]
            if bad and field not in data:  # the default list no longer fits: one problem
                names = ", ".join(repr(s) for _, s in bad)
                out.append(
                    Problem(
                        (field,),
                        f"the default list names {names}, which statuses lacks; set {field} explicitly",
                    )
                )
                continue
            out += [Problem((field, i), _unknown_status(s, known)) for i, s in bad]
        pause = listed("pause_statuses") or ()
        stop = listed("stop_statuses") or ()
        closed = listed("closed_statuses") or ()
        shown = ", ".join(map(str, closed))
        # each status of a list must agree with another list: (list, agrees, what is wrong)
        rules: tuple[tuple[str, Callable[[Any], bool], Callable[[Any], str]], ...] = (
            (
                "stop_statuses",
                lambda s: s not in pause,
                lambda s: f"{s!r} is also a pause status; a status either pauses or stops the clocks",
            ),
            (
                "closed_statuses",
                lambda s: s not in known or s in stop,
                lambda s: f"{s!r} must also be a stop status: a closed case runs no update clock",
            ),
            (
                "reopen_statuses",
                lambda s: s not in known or s in closed,
                lambda s: f"{s!r} is not a closed status; only closed statuses reopen ({shown})",
            ),
        )
        for field, agrees, wrong in rules:
            out += [Problem((field, i), wrong(s)) for i, s in enumerate(listed(field) or ()) if not agrees(s)]
        to = data.get("auto_close_to", cls.model_fields["auto_close_to"].default)
        if isinstance(to, str) and to not in closed:
            out.append(
                Problem(
                    ("auto_close_to",),
                    f"{to!r} is not one of the closed statuses ({shown})",
                )
            )
        return out

    def pauses(self, status: str) -> bool:
        """Whether update clocks pause in ``status``."""
        return status in self.pause_statuses

    def stops(self, status: str) -> bool:
        """Whether update clocks stop in ``status``."""
        return status in self.stop_statuses

    def is_closed(self, status: str) -> bool:
        """Whether ``status`` closes the case.

        >>> Lifecycle().is_closed("closed_no_response"), Lifecycle().is_closed("in_engineering_backlog")
        (True, False)
        """
        return status in self.closed_statuses

    def auto_close_at(
        self, since: datetime, customer: Customer | None = None, clocks: Clocks | None = None
    ) -> datetime | None:
        """When a case waiting since ``since`` becomes eligible for ``auto_close_to``.

        ``clocks``: the policy's centers and named calendars (``policy.clocks``).
        """
        return None if self.auto_close_after is None else self.auto_close_after.due(since, customer, clocks)

    def reopens(self, status: str) -> bool:
        """Whether a customer update (within the window) reopens a case closed as ``status``.

        >>> Lifecycle().reopens("closed_enhancement_request")
        True
        >>> Lifecycle(reopen_statuses=["closed"]).reopens("closed_no_response")
        False
        """
        statuses = self.closed_statuses if self.reopen_statuses is None else self.reopen_statuses
        return status in statuses

    def reopen_until(
        self, closed_at: datetime, customer: Customer | None = None, clocks: Clocks | None = None
    ) -> datetime | None:
        """The end of the reopen window of a case closed at ``closed_at``.

        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> closed = datetime(2026, 10, 20, 9, 30, tzinfo=ZoneInfo("Europe/Berlin"))
        >>> Lifecycle().reopen_until(closed, Customer(tz="Europe/Berlin")).isoformat()
        '2026-10-30T09:30:00+01:00'
        """
        return None if self.reopen_window is None else self.reopen_window.due(closed_at, customer, clocks)

    def to_dict(self) -> dict[str, Any]:
        """The wire form: plain lists, durations as text, ``"never"`` for none."""
        out: dict[str, Any] = {}
        for field in type(self).model_fields:
            value = getattr(self, field)
            if field == "reopen_statuses" and value is None:
                continue
            if isinstance(value, tuple):
                value = list(value)
            elif isinstance(value, Target):
                value = str(value)
            elif value is None:
                value = "never"
            out[field] = value
        return out


def _unknown_status(status: str, known: list[str]) -> str:
    return (
        f"unknown status {status!r}; expected one of the lifecycle statuses ({', '.join(known)})"
        f"{did_you_mean(status, known)}"
    )
