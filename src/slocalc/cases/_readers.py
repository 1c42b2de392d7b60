"""Streaming readers of case exports: JSON Lines, the flat CSV layout, and pandas frames.

Each reader yields, in input order, a :class:`CaseRecord` (a valid case and the physical
line numbers it came from) or an :class:`InvalidLine` (a line number and the reason), and
never raises on bad input: every bad line is reported, nothing is skipped silently (a
blank line carries no data and is the only thing passed over). Files are read line by
line, never whole; cases are built by the fast path of :class:`CaseBuilder`, which gives
the same ``Case`` (or the same error message) as ``Case.model_validate``. See
docs/scaling.md and docs/cli.md (the CSV layout).

CSV's fast path (``CaseReader.batches`` only: iterating reads each case by the rules of
one row). A first look at the case ids tells whether each case's rows are adjacent (a
stream the reader opened, or a pipe copied to a temporary file, is looked at a megabyte
at a time with numpy: :func:`_runs_in_text`; a UTF-8 file the reader opened, a megabyte
of its bytes at a time, not decoded: :func:`_runs_in_bytes`). If they are, the rows are
read a block at a time: from such a stream a piece of 1 MiB of text (:data:`_TEXT_BLOCK`:
no string per line) as long as each piece is of the common shape, else 8192 lines
(:data:`_COLUMN_BLOCK`); a block is read a column at a time, with numpy over its bytes
(:meth:`_Rows._cases`), into :class:`_CsvCases`: no mapping, tuple or string per field,
only per case and per distinct value. The fast path assumes the block's text is
ASCII with no quote, carriage return or NUL, each line has the header's width and names
its case, event values have no spaces around them, a case's later rows repeat its case
columns or leave them blank, a case's first row gives severity, opened_at and tz, and
each new severity is a whole number. Any other block falls back to the rules (the whole
block, and from a piece on, line by line: :meth:`_Rows._lines`), so every bad row gets
the same reason on the same line. What
the fast path leaves to the column builder (an unknown kind, a bad instant, a status
missing...) sends the case's mapping, made on demand by the rules (:meth:`_CsvCases.data`),
down the builder's own path. The rows of a block's last case wait for the next block
(up to :data:`_CARRY` rows, else the rules keep the case open). The same batches, lines,
reasons and counters as before; the bytes read at a batch may be ahead by a block.
"""

from __future__ import annotations

import bisect
import codecs
import contextlib
import copy
import csv
import functools
import io
import itertools
import json
import os
import re
import sys
import tempfile
from collections.abc import Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from operator import is_not, itemgetter, ne, not_
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Final, Literal, final

from slocalc.cases._fast import CaseBuilder
from slocalc.cases._models import Case
from slocalc.cases._seen import SeenIds
from slocalc.errors import NaiveDatetimeError, SlocalcError, SlocalcTypeError, SlocalcValueError, shorten

if TYPE_CHECKING:
    import pandas

    from slocalc.cases._batches import CaseBatch

__all__ = [
    "CSV_COLUMNS",
    "CSV_REQUIRED",
    "CaseReader",
    "CaseRecord",
    "InputFormat",
    "InvalidLine",
    "case_from_dict",
    "cases_from_frame",
    "read_cases",
]

#: the flat CSV layout: one row per event, the case's columns repeated on each of its rows
CSV_COLUMNS: Final = (
    "case_id",
    "severity",
    "opened_at",
    "tz",
    "country",
    "subdiv",
    "hours",
    "event_at",
    "kind",
    "status",
    "new_severity",
)
#: the columns every CSV export must have
CSV_REQUIRED: Final = ("case_id", "severity", "opened_at", "tz", "event_at", "kind")
_CASE_COLUMNS: Final = ("severity", "opened_at", "tz", "country", "subdiv", "hours")
#: a case's customer fields, from the case columns (the last four)
_CUSTOMER: Final = ("tz", "country", "subdiv", "hours")
#: a row's event columns, in the order of :func:`_event`'s arguments
_EVENT_COLUMNS: Final = ("event_at", "kind", "status", "new_severity")
#: a row's case columns left blank
_BLANK: Final = ("",) * len(_CASE_COLUMNS)
_EVENT_REF: Final = re.compile(r"events\[(\d+)\]")
#: lines split at a time by the first look at a CSV export's case ids
_RUN_CHUNK: Final = 1024
#: lines grouped into cases at a time (a block of rows of the common shape at C speed)
_ROW_BLOCK = 1024
#: lines split into lists at a time (fewer than the garbage collector's first threshold)
_SPLIT_ROWS: Final = 256
#: lines read at a time when blocks are read a column at a time (:meth:`_Rows._cases`)
_COLUMN_BLOCK = 8192
#: characters read at a time when a stream is read a piece at a time (:meth:`_Rows._pieces`)
_TEXT_BLOCK = 1 << 20
#: the most rows of one case kept waiting for the next block (:meth:`_Rows.blocks`)
_CARRY: Final = 4096
#: the most customers remembered by :meth:`_Rows._cases`
_CACHE: Final = 1 << 16

InputFormat = Literal["jsonl", "csv"]
Source = str | os.PathLike[str] | IO[str] | IO[bytes]


@final
@dataclass(frozen=True, slots=True)
class CaseRecord:
    """A valid case and where it came from.

    Attributes:
        case: the case.
        line: the physical line it starts on (for a frame: its row, counted from 1).
        lines: every line it came from (a CSV case: its first row, then each event's row).
    """

    case: Case
    line: int
    lines: tuple[int, ...]

    def invalid(self, error: BaseException) -> InvalidLine:
        """The invalid line for an error found later in this case (e.g. by
        :func:`~slocalc.cases.check_case`): the line of the event it names as
        ``events[i]`` (a CSV case's event rows), else the case's first line.

        >>> from slocalc.errors import TimelineError
        >>> record = CaseRecord(case_from_dict({"id": "C-1", "severity": 2, "opened_at":
        ...     "2026-03-02T09:00:00Z", "customer": {"tz": "UTC"}}), 2, (2, 3, 5))
        >>> record.invalid(TimelineError("case 'C-1': events[1] at ...: status 'x' is not in policy"))
        InvalidLine(line=5, reason="case 'C-1': events[1] at ...: status 'x' is not in policy")
        """
        message = one_line(str(error)) if isinstance(error, SlocalcError) else _bug(error)
        m = _EVENT_REF.search(message)
        index = int(m[1]) + 1 if m else 0
        return InvalidLine(self.lines[index] if 0 < index < len(self.lines) else self.line, message)


@final
@dataclass(frozen=True, slots=True)
class InvalidLine:
    """An input line that holds no valid case, and why.

    Attributes:
        line: the physical line number, counted from 1 (a CSV header is line 1).
        reason: one line saying what is wrong, what came and what is valid.
    """

    line: int
    reason: str

    @classmethod
    def from_error(cls, line: int, error: BaseException) -> InvalidLine:
        """The invalid line an error describes, its message folded into one line.

        >>> from slocalc.errors import SlocalcValueError
        >>> InvalidLine.from_error(3, SlocalcValueError("case 'C-1': 2 problems:\\n  a: bad\\n  b: worse"))
        InvalidLine(line=3, reason="case 'C-1': 2 problems: a: bad; b: worse")
        """
        return cls(line, one_line(str(error)))

    def to_dict(self) -> dict[str, Any]:
        """``{"line": ..., "error": ...}``, as ``slocalc check --format json`` lists it."""
        return {"line": self.line, "error": self.reason}


def one_line(message: str) -> str:
    """Fold a multi-line message (e.g. a case's list of problems) into one line.

    >>> one_line("case 'C-1': 2 problems:\\n  events[0]: bad\\n  events[1]: worse")
    "case 'C-1': 2 problems: events[0]: bad; events[1]: worse"
    """
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    if len(lines) <= 1:
        return _cut(lines[0] if lines else message, _MAX_REASON)
    return _cut(f"{lines[0]} {'; '.join(lines[1:])}", _MAX_REASON)


#: an invalid line's reason is cut to this many characters (a huge value echoed whole
#: would bury the other lines' messages)
_MAX_REASON: Final = 1000

_BUILDER = CaseBuilder()


def case_from_dict(data: object) -> Case:
    """The case a JSON-ready mapping describes: ``Case.model_validate(data)``, faster.

    The common shapes of an export are checked with plain dictionary checks and
    ``datetime.fromisoformat`` and built without a pydantic pass; anything else goes
    through ``Case.model_validate``, so the case, or the error and its message, is the
    same either way.

    Raises:
        TimelineError: the case is invalid (the message names the field, the event by
            index and time, and what is valid).

    >>> case = case_from_dict({"id": "C-1", "severity": 2, "opened_at": "2026-03-02T09:00:00+01:00",
    ...                        "customer": {"tz": "Europe/Berlin", "country": "DE"}})
    >>> case
    Case(id='C-1', severity=2, opened_at=datetime.datetime(2026, 3, 2, 9, 0, tzinfo=TzInfo(3600)), customer=Customer(tz='Europe/Berlin', country='DE'))
    >>> from slocalc.errors import TimelineError
    >>> try:
    ...     case_from_dict({"id": "C-1", "severity": 2, "opened_at": "2026-03-02T09:00:00",
    ...                     "customer": {"tz": "Europe/Berlin"}})
    ... except TimelineError as exc:
    ...     print(type(exc).__name__)
    NaiveTimelineError
    """
    return _BUILDER.build(data)


# -- sources ------------------------------------------------------------------------------


def _encoding(binary: Any) -> str:
    """``utf-16`` for a stream that starts with a UTF-16 byte-order mark, else ``utf-8-sig``."""
    peek = getattr(binary, "peek", None)
    try:
        if callable(peek):
            head = peek(2)[:2]
        elif binary.seekable():
            at = binary.tell()
            head = binary.read(2)
            binary.seek(at)
        else:
            head = b""
    except (AttributeError, OSError, ValueError):
        head = b""
    return "utf-16" if head in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig"


def _wrap(binary: Any) -> IO[str]:
    """Text from a binary stream. Bytes that are not valid in the encoding are kept as lone
    surrogates and refused per line (:func:`_undecodable`), so one bad line costs one line."""
    return io.TextIOWrapper(binary, encoding=_encoding(binary), errors="surrogateescape", newline="")


def _open_text(source: Source) -> tuple[IO[str], str, bool, Any]:
    """``(text stream, name for messages, whether we own the text stream, binary stream or None)``.

    A text stream we own wraps a binary one: closing it closes a file we opened, and
    detaches from a stream the caller gave (standard input stays open).
    """
    if isinstance(source, str | os.PathLike):
        if os.fspath(source) == "-":
            buffer = getattr(sys.stdin, "buffer", None)
            if buffer is None:  # replaced by a text stream (e.g. in tests)
                return sys.stdin, "<stdin>", False, None
            return _wrap(buffer), "<stdin>", True, buffer
        path = Path(source)
        if path.is_dir():
            raise SlocalcValueError(f"{source}: is a directory; expected a .jsonl or .csv file")
        if not path.exists():
            raise SlocalcValueError(
                f"{source}: no such file; expected a .jsonl or .csv file, or '-' for standard input"
            )
        opened = path.open("rb")
        return _wrap(opened), str(path), True, opened
    if isinstance(source, io.TextIOBase) or hasattr(source, "encoding"):
        return source, getattr(source, "name", "<stream>"), False, getattr(source, "buffer", None)  # type: ignore[return-value]
    if hasattr(source, "read"):
        return _wrap(source), str(getattr(source, "name", "<stream>")), True, source
    raise SlocalcTypeError(
        f"source: expected a path, '-' for standard input, or a file object; got {type(source).__name__}"
    )


def _undecodable(text: str) -> str | None:
    """Why ``text`` (decoded with ``surrogateescape``) is not valid UTF-8, or ``None``."""
    if text.isascii():
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        char = text[exc.start]
        what = f"byte 0x{ord(char) - 0xDC00:02x}" if 0xDC80 <= ord(char) <= 0xDCFF else f"{char!r}"
        return f"not valid UTF-8: {what} at column {exc.start + 1}; save the export as UTF-8"
    return None


def _no_bom(lines: Iterator[str]) -> Iterator[str]:
    """``lines`` without a byte-order mark at the start (a text stream given as is); read
    lazily, and past the first line straight from ``lines`` (no Python frame a line)."""

    def first() -> Iterator[str]:
        line = next(lines, None)
        if line is not None:
            yield line.removeprefix("\ufeff")

    return itertools.chain(first(), lines)


def _size(binary: Any) -> int | None:
    try:
        stat = os.fstat(binary.fileno())
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        return None
    import stat as stat_mod

    return stat.st_size if stat_mod.S_ISREG(stat.st_mode) else None


def _sniff(name: str, lines: Iterator[str]) -> tuple[InputFormat, Iterator[str]]:
    """The format from the name's extension, else from the first non-blank character."""
    if name not in ("<stdin>", "<stream>") and not name.startswith("<"):
        return ("csv" if Path(name).suffix.lower() == ".csv" else "jsonl"), lines
    seen: list[str] = []
    for line in lines:
        seen.append(line)
        if line.strip():
            fmt: InputFormat = "jsonl" if line.lstrip().startswith("{") else "csv"
            return fmt, itertools.chain(seen, lines)
    return "jsonl", iter(seen)


class CaseReader(Iterator["CaseRecord | InvalidLine"]):
    """An iterator over the cases of one export: see :func:`read_cases`.

    Besides iterating, it tells how far it got, for progress displays:
    :attr:`cases_read`, :attr:`invalid_lines`, :attr:`bytes_read` and :attr:`total_bytes`.
    Use it as a context manager (or call :meth:`close`) to close a file it opened.
    """

    def __init__(self, source: Source, format: InputFormat | None = None) -> None:
        self._opened = isinstance(source, str | os.PathLike) and os.fspath(source) != "-"
        self._text, self.name, self._owned, self._binary = _open_text(source)
        #: the file's size in bytes, or ``None`` for a pipe or a stream
        self.total_bytes: int | None = _size(self._binary)
        #: how many valid cases were yielded so far
        self.cases_read = 0
        #: how many invalid lines were yielded so far
        self.invalid_lines = 0
        start = _tell(self._text) if _seekable(self._text) else None
        lines: Iterator[str] = _no_bom(iter(self._text))
        if format is None:
            format, lines = _sniff(self.name, lines)
        elif format not in ("jsonl", "csv"):
            raise SlocalcValueError(f"format {format!r} is unknown; expected 'jsonl' or 'csv'")
        #: ``"jsonl"`` or ``"csv"``
        self.format: InputFormat = format
        self._lines, self._start = lines, start  # for batches()
        self._items = _read_jsonl(lines) if format == "jsonl" else _read_csv(lines, self._text, start)

    @property
    def bytes_read(self) -> int | None:
        """Bytes consumed from the file so far (read ahead by a buffer), or ``None``."""
        if self._binary is None:
            return None
        try:
            return int(self._binary.tell())
        except (OSError, ValueError, io.UnsupportedOperation):
            return None

    def __iter__(self) -> CaseReader:
        return self

    def __next__(self) -> CaseRecord | InvalidLine:
        try:
            item = next(self._items)
        except StopIteration:
            self.close()
            raise
        if isinstance(item, CaseRecord):
            self.cases_read += 1
        else:
            self.invalid_lines += 1
        return item

    def batches(self, size: int = 4096) -> Iterator[CaseBatch]:
        """The export as :class:`~slocalc.cases.CaseBatch` es, for the columnar replay: each
        holds the valid cases of up to ``size`` lines and the invalid lines among them
        (``batch.invalid``): the same cases and reasons iterating gives.

        Cases are read straight into columns (no ``Case`` objects: see
        ``slocalc.cases._colread``): JSON Lines a batch of ``size`` lines at a time; CSV rows
        grouped into cases as iterating groups them, a batch of ``size`` items (cases and
        invalid lines) at a time, as iterating would give them. The progress counters
        follow the batches. Use either this or iteration, from the start.

        Raises:
            SlocalcValueError: ``size`` is not positive, or the reader was iterated already.

        >>> import io
        >>> text = '{"id": "C-1", "severity": 2, "opened_at": "2026-03-02T09:00:00Z", "customer": {"tz": "UTC"}}\\n'
        >>> text += '{"id": "C-1", "severity": 3, "opened_at": "2026-03-02T10:00:00Z", "customer": {"tz": "UTC"}}\\n'
        >>> reader = read_cases(io.StringIO(text))
        >>> for batch in reader.batches():
        ...     print(batch.ids, batch.line(0), batch.case(0).opened_at, [i.line for i in batch.invalid])
        ['C-1'] 1 2026-03-02 09:00:00+00:00 [2]
        >>> reader.cases_read, reader.invalid_lines
        (1, 1)
        >>> text = "case_id,severity,opened_at,tz,event_at,kind\\n"
        >>> text += "C-1,2,2026-03-02T09:00:00Z,UTC,2026-03-02T10:00:00Z,support_update\\n"
        >>> text += "C-1,,,,2026-03-02T11:00:00Z,customer_update\\n"
        >>> [batch] = read_cases(io.StringIO(text), "csv").batches()
        >>> batch.ids, batch.line(0), batch.case(0).events[1].kind
        (['C-1'], 2, 'customer_update')
        """
        from slocalc.cases._batches import CaseBatch
        from slocalc.cases._colread import ColumnBuilder

        if size < 1:
            raise SlocalcValueError(f"size {size!r}: expected a whole number of lines, 1 or more")
        if self.cases_read or self.invalid_lines:
            raise SlocalcValueError(
                "batches(): the reader was iterated already; read it one way from the start"
            )
        if self.format == "jsonl":
            builder = ColumnBuilder()
            numbered = enumerate(self._lines, start=1)
            while True:
                chunk = list(itertools.islice(numbered, size))
                if not chunk:
                    break
                cols, invalid = builder.build(chunk)
                self.cases_read += len(cols)
                self.invalid_lines += len(invalid)
                yield CaseBatch(cols, invalid)
        else:
            builder = ColumnBuilder()
            blocks = _csv_blocks(self._lines, self._text, self._start, columns=True, own=self._owned)
            for group in _regroup(blocks, size):
                cols, invalid, lines = builder.build_csv(group)
                self.cases_read += len(cols)
                self.invalid_lines += len(invalid)
                yield CaseBatch(cols, invalid, lines)
        self.close()

    def close(self) -> None:
        """Close the file if the reader opened it (a stream it was given stays open)."""
        if getattr(self, "_owned", False):  # False too if __init__ failed
            self._owned = False
            if self._opened:
                self._text.close()
            else:
                with contextlib.suppress(ValueError, OSError):
                    self._text.detach()  # type: ignore[attr-defined]

    def __del__(self) -> None:  # a reader dropped half-read closes the file it opened
        self.close()

    def __enter__(self) -> CaseReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _regroup(blocks: Iterable[list[Any]], size: int) -> Iterator[list[Any]]:
    """The items of ``blocks`` (lists of items, a :class:`_CsvCases` counting as its cases)
    in lists of ``size`` items (the last may hold fewer), a :class:`_CsvCases` cut where a
    list ends; each list given out as soon as it is full.

    >>> list(_regroup([[1, 2, 3], [4], [], [5, 6]], 2))
    [[1, 2], [3, 4], [5, 6]]
    """
    group: list[Any] = []
    room = size
    for block in blocks:
        for item in block:
            if type(item) is not _CsvCases:
                group.append(item)
                room -= 1
            else:
                while len(item) > room:
                    if room:
                        group.append(item.part(0, room))
                        item = item.part(room, len(item))
                    yield group
                    group, room = [], size
                if len(item):
                    group.append(item)
                    room -= len(item)
            if not room:
                yield group
                group, room = [], size
    if group:
        yield group


def read_cases(source: Source, format: InputFormat | None = None) -> CaseReader:
    """Stream the cases of a JSON Lines or CSV export, bad lines included, in input order.

    Args:
        source: a path, ``"-"`` for standard input, or a file object opened in text or
            binary mode (binary input is read as UTF-8; a byte-order mark is dropped).
        format: ``"jsonl"`` (one ``Case`` JSON object per line) or ``"csv"`` (the flat
            layout of docs/cli.md: one row per event). By default from the path's
            extension (``.csv`` is CSV, anything else JSON Lines), for a stream from its
            first non-blank character (``{`` is JSON Lines).

    Returns:
        An iterator of :class:`CaseRecord` and :class:`InvalidLine`. It never raises on
        bad input: a line that is not JSON, a case that does not validate, a duplicate
        case id, a CSV row that contradicts its case's first row each come as an
        :class:`InvalidLine` with its line number and the same reason ``slocalc check``
        prints. A CSV case comes once its last row is read (rows of a case need not be
        adjacent; when they are, as exports write them, memory stays flat).

    Raises:
        SlocalcValueError: the path does not exist or is a directory, or ``format`` is
            unknown.

    >>> import io
    >>> text = '{"id": "C-1", "severity": 2, "opened_at": "2026-03-02T09:00:00Z", "customer": {"tz": "UTC"}}\\n'
    >>> text += '{"id": "C-2", "severity": 2, "opened_at": "yesterday", "customer": {"tz": "UTC"}}\\n'
    >>> for item in read_cases(io.StringIO(text)):
    ...     print(item.line, item.case.id if isinstance(item, CaseRecord) else item.reason)
    1 C-1
    2 case 'C-2': opened_at: expected an aware datetime (ISO 8601 with an offset, e.g. '2026-03-02T09:00:00+01:00'), got str 'yesterday'
    """
    return CaseReader(source, format)


# -- JSON Lines ---------------------------------------------------------------------------


class _DuplicateKeyError(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object's fields, refusing a key given twice (the last would win silently)."""
    data = dict(pairs)
    if len(data) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKeyError(key)
            seen.add(key)
    return data


def _parse_line(text: str) -> tuple[Any, str | None]:
    """A JSON Lines line's value, or why it is not one JSON value."""
    problem = _undecodable(text)
    if problem is not None:
        return None, problem
    try:
        return json.loads(text, object_pairs_hook=_unique_keys), None
    except _DuplicateKeyError as exc:
        return None, f"key {shorten(exc.key)} appears twice in one object; give each field once"
    except json.JSONDecodeError as exc:
        return None, f"not valid JSON: {exc.msg} (column {exc.colno})"
    except RecursionError:
        return (
            None,
            "not valid JSON here: nested too deeply; a case is an object of objects a few levels deep",
        )
    except ValueError as exc:
        if "digits" in str(exc):
            return None, "a number of more than 4,300 digits; a severity is a small whole number such as 2"
        return None, f"not valid JSON here: {_cut(str(exc))}"


def _build(build: Any, data: object) -> tuple[Case | None, str | None]:
    """The case ``data`` describes, or the one-line reason it is not one. An error that is
    not a :class:`~slocalc.errors.SlocalcError` is a bug in slocalc: it is reported on the
    line that caused it instead of ending the stream."""
    try:
        case = build(data)
    except NaiveDatetimeError as exc:  # the library's advice is for Python callers: this is text
        where = f"case {shorten(data.get('id'))}: " if isinstance(data, dict) and "id" in data else ""
        value = exc.value.isoformat() if isinstance(exc.value, datetime) else str(exc.value)
        return None, (
            f"{where}{exc.param}: {shorten(value)} is naive (no UTC offset); write the instant with one, "
            "e.g. '2026-03-02T09:00:00+01:00' or '2026-03-02T08:00:00Z'"
        )
    except SlocalcError as exc:
        return None, one_line(str(exc))
    except Exception as exc:
        return None, _bug(exc)
    if not case.id.strip():
        return None, f"id {shorten(case.id)}: empty; every case has an id"
    if _undecodable(case.id) is not None:
        return None, f"id {shorten(case.id)}: not valid Unicode text (a lone surrogate); expected text"
    return case, None


def _cut(text: str, limit: int = 200) -> str:
    """``text`` cut to ``limit`` characters (with ``...``) so a huge value stays readable."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _bug(exc: BaseException) -> str:
    """The reason given for a line on which slocalc failed with an unexpected error."""
    return (
        f"slocalc failed on this line: {type(exc).__name__}: {_cut(one_line(str(exc)))} "
        "(a bug in slocalc, please report it; the other lines are still checked)"
    )


def _read_jsonl(lines: Iterable[str]) -> Iterator[CaseRecord | InvalidLine]:
    """One ``Case`` JSON object per line; a case id seen on an earlier line makes the later
    line invalid (one case, one line)."""
    build = CaseBuilder().build
    seen = SeenIds()
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        data, problem = _parse_line(text)
        if problem is not None:
            yield InvalidLine(number, problem)
            continue
        if not isinstance(data, dict):
            yield InvalidLine(number, f"expected a JSON object (one case), got {type(data).__name__}")
            continue
        case, problem = _build(build, data)
        if case is None:
            yield InvalidLine(number, problem or "")
            continue
        first = seen.first(case.id, number)
        if first != number:
            yield InvalidLine(
                number, f"case {case.id!r}: duplicate case id (first on line {first}); one case per line"
            )
            continue
        yield CaseRecord(case, number, (number,))


# -- CSV ------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Group:
    case_id: str
    first: int
    fields: dict[str, str]
    #: the first row's case columns as given (a later row that repeats them is no clash)
    given: tuple[str, ...] = ()
    events: list[dict[str, Any]] = field(default_factory=list)
    event_lines: list[int] = field(default_factory=list)
    bad: bool = False


def _event(at: str, kind: str, status: str, new_sev: str) -> dict[str, Any] | None:
    """The event of a row's event columns (stripped; a column the header lacks is empty), or
    ``None`` if they are all empty (a case with no events yet).

    Raises:
        ValueError: ``new_sev`` is not a whole number.

    >>> _event("2026-03-02T10:00:00Z", "status", "closed", "")
    {'at': '2026-03-02T10:00:00Z', 'kind': 'status', 'status': 'closed'}
    >>> _event("", "", "", "") is None
    True
    """
    if new_sev:
        event: dict[str, Any] = {"at": at, "kind": kind}
        if status:
            event["status"] = status
        try:
            event["severity"] = int(new_sev)
        except ValueError:
            raise ValueError(f"new_severity {new_sev!r}: expected a whole number, e.g. 1") from None
        return event
    if status:
        return {"at": at, "kind": kind, "status": status}
    if at or kind:
        return {"at": at, "kind": kind}
    return None


def _severity(text: str) -> int | str:
    """A case's severity column as its mapping gives it: a whole number, else the text (the
    model names the bad value).

    >>> _severity("2"), _severity("high")
    (2, 'high')
    """
    try:
        return int(text)
    except ValueError:
        return text


def _case_data(group: _Group) -> dict[str, Any]:
    f = group.fields
    customer: dict[str, Any] = {"tz": f["tz"]}
    for key in ("country", "subdiv", "hours"):
        if f.get(key):
            customer[key] = f[key]
    severity: Any
    try:
        severity = int(f["severity"])
    except ValueError:  # the model names the bad value
        severity = f["severity"]
    return {
        "id": group.case_id,
        "severity": severity,
        "opened_at": f["opened_at"],
        "customer": customer,
        "events": group.events,
    }


def _header_problem(names: list[str]) -> str | None:
    unknown = [h for h in names if h not in CSV_COLUMNS]
    missing = [c for c in CSV_REQUIRED if c not in names]
    if not unknown and not missing and len(set(names)) == len(names):
        return None
    problems = []
    if missing:
        problems.append(f"missing column(s) {', '.join(missing)}")
    if unknown:
        problems.append(f"unknown column(s) {', '.join(unknown)}")
    if len(set(names)) != len(names):
        problems.append("a column appears twice")
    return f"CSV header: {'; '.join(problems)}; expected columns {', '.join(CSV_COLUMNS)}"


def _plain(lines: list[str], joined: str) -> int:
    """How many of ``lines`` (``joined``: their text) come before the first with a quote or a
    carriage return inside it: up to there each line is one row, split at its commas."""
    if '"' not in joined and "\r" not in joined:
        return len(lines)
    return next((k for k, line in enumerate(lines) if '"' in line or "\r" in line.rstrip("\r\n")), len(lines))


class _RunCheck:
    """Whether every case id's rows form one run, told a piece of the ids at a time: the
    state of :func:`_runs_are_whole` (the ids whose run ended, the one going on), so that a
    look at plain lines in bulk (:func:`_runs_in_text`) can hand the rest to it."""

    __slots__ = ("current", "ended")

    def __init__(self) -> None:
        self.ended: set[int] = set()
        self.current: int | None = None

    def ids(self, given: list[str], distinct: bool = False) -> bool:
        """Take the ids of consecutive lines as given (a line left out only where its id is
        the line before's as given); ``False`` if a run breaks. ``distinct``: few ids are
        the one before's (no need to leave them out first: runs of one id are one key)."""
        if not distinct:
            given[1:] = itertools.compress(given[1:], map(ne, given[1:], given))
        return self.runs(
            [key for key, _ in itertools.groupby(map(hash, filter(None, map(str.strip, given))))]
        )

    def runs(self, keys: list[int]) -> bool:
        """Take the keys (hashes of the ids) of consecutive runs, no two neighbours equal;
        ``False`` if a run breaks."""
        if keys and keys[0] == self.current:
            del keys[0]
        if keys:  # runs that start here: each new to the read, and each its only run here
            if len(set(keys)) != len(keys) or not self.ended.isdisjoint(keys) or self.current in keys:
                return False
            if self.current is not None:
                self.ended.add(self.current)
            self.ended.update(keys[:-1])
            self.current = keys[-1]
        return True

    def key(self, key: int) -> bool:
        """Take one row's id (its hash); ``False`` if a run breaks."""
        if key == self.current:
            return True
        if key in self.ended:
            return False
        if self.current is not None:
            self.ended.add(self.current)
        self.current = key
        return True


def _runs_are_whole(lines: Iterator[str], column: int, check: _RunCheck | None = None) -> bool:
    """Whether every case id's rows (after the header) form one run, so that each case can
    be built when its run ends. Unquoted lines are split on commas (a chunk of lines at a
    time, a run of one id looked at once); from the first quote on, the csv module reads
    the rest. Conservative: rows that will be refused still count, and two ids of equal
    hash count as one (either only makes the reader keep its cases until the end of the
    file). ``check``: the state of a look begun on earlier lines.

    >>> _runs_are_whole(iter(["A,1\\n", "A,2\\n", "\\n", " B ,3\\n", "B\\n", ",4\\n", "C\\n"]), 0)
    True
    >>> _runs_are_whole(iter(["A,1\\n", "B,2\\n", '"A",3\\n']), 0)
    False
    """
    check = _RunCheck() if check is None else check
    cut = column + 1  # split no further than the id
    pick = itemgetter(column)
    while chunk := list(itertools.islice(lines, _RUN_CHUNK)):
        plain = _plain(chunk, "".join(chunk))
        head = chunk[:plain] if plain < len(chunk) else chunk
        try:  # each line's id as given, then one of each run of equal ones
            if column:
                given = list(map(pick, map(str.split, head, itertools.repeat(","), itertools.repeat(cut))))
            else:
                given = list(map(pick, map(str.partition, head, itertools.repeat(","))))
        except IndexError:  # a line with fewer fields: it names no case
            given = [
                parts[column] for parts in (line.split(",", cut) for line in head) if len(parts) > column
            ]
        if not check.ids(given):
            return False
        if plain < len(chunk):
            rows = csv.reader(itertools.chain(chunk[plain:], lines))
            while True:
                try:
                    row = next(rows)
                except StopIteration:
                    return True
                except csv.Error:  # a row the reader refuses (a field over the size limit...)
                    continue
                if len(row) > column and row[column].strip() and not check.key(hash(row[column].strip())):
                    return False
    return True


def _has_byte(words: Any, byte: int) -> Any:
    """Whether each 8-byte number of ``words`` (``uint64``) holds ``byte`` (a bit trick).

    >>> import numpy as np
    >>> _has_byte(np.frombuffer(b"abcdefgh,bcdefgh", dtype="<u8"), ord(",")).tolist()
    [False, True]
    """
    import numpy as np

    ones, highs = np.uint64(0x0101010101010101), np.uint64(0x8080808080808080)
    x = words ^ np.uint64(byte * 0x0101010101010101)
    return ((x - ones) & ~x & highs) != 0


def _line_heads(data: Any, size: int) -> tuple[Any, Any, Any, Any]:
    """The lines of a piece of ASCII text, for a first look at their ids: ``data`` holds
    its ``size`` bytes (whole lines, each ending in a line feed) and 16 spare bytes after.
    Returns each line's start and end (its line feed), whether its first 16 bytes hold a
    comma or its line feed (then they hold its id), and the lines whose id may differ
    from the line before's (all but those whose first 16 bytes are the line before's and
    hold its id).

    >>> import numpy as np
    >>> text = b"C-01,2,2026-03-02,x\\nC-01,2,2026-03-02,y\\nC-02,2,2026-03-02,x\\n" + bytes(16)
    >>> [a.tolist() for a in _line_heads(np.frombuffer(text, dtype=np.uint8), 60)]  # 16: C-01,2,2026-03-0
    [[0, 20, 40], [19, 39, 59], [True, True, True], [0, 2]]
    """
    import numpy as np

    ends = np.flatnonzero(data[:size] == 10)
    starts = np.empty(len(ends), dtype=np.int64)
    starts[:1] = 0
    starts[1:] = ends[:-1] + 1
    # each line's first 16 bytes as two numbers; whether they hold a comma or a line feed
    words = np.ndarray((size + 9,), dtype="<u8", buffer=data, strides=(1,))
    low, high = words[starts], words[starts + 8]
    held = _has_byte(low, 44) | _has_byte(low, 10) | _has_byte(high, 44) | _has_byte(high, 10)
    same = (low[1:] == low[:-1]) & (high[1:] == high[:-1]) & held[1:]
    return starts, ends, held, np.flatnonzero(~np.concatenate(([False], same)))


#: characters of text read at a time by :func:`_runs_in_text`
_TEXT_CHUNK: Final = 1 << 20


def _runs_in_text(text: IO[str], column: int, check: _RunCheck | None = None) -> bool:
    """:func:`_runs_are_whole` of the rest of ``text`` (a stream that splits lines at line
    feeds and carriage returns, as ``newline=""`` does), read a large piece at a time.

    A piece of ASCII lines with no quote and no carriage return, ids in the first column,
    is looked at with numpy: a line whose first 16 characters are the line before's and
    hold a comma or its line feed has the line before's id; the ids of the other lines
    are split off and go to :class:`_RunCheck` (a line left out has the id of the line
    before as given: the same verdict). From any other piece on, :func:`_runs_are_whole`
    reads line by line.

    >>> _runs_in_text(io.StringIO("A,1\\nA,2\\n\\n B ,3\\nB\\n,4\\nC\\n", newline=""), 0)
    True
    >>> _runs_in_text(io.StringIO("A,1\\nB,2\\nA,3", newline=""), 0)
    False
    """
    import numpy as np

    check = _RunCheck() if check is None else check
    tail = ""
    while True:
        chunk = text.read(_TEXT_CHUNK)
        if not chunk:  # the last line may lack its line feed
            piece, tail = (tail + "\n" if tail and not tail.endswith("\n") else tail), ""
        else:
            cut = chunk.rfind("\n") + 1
            piece, tail = (tail + chunk[:cut], chunk[cut:]) if cut else ("", tail + chunk)
        if column or not piece.isascii() or '"' in piece or "\r" in piece or "\r" in tail:
            rest = io.StringIO(piece + tail + (text.readline() if chunk else ""), newline="")
            return _runs_are_whole(itertools.chain(rest, text), column, check)
        if piece:
            size = len(piece)
            data = np.zeros(size + 16, dtype=np.uint8)
            data[:size] = np.frombuffer(piece.encode("ascii"), dtype=np.uint8)
            starts, ends, held, where = _line_heads(data, size)
            # each such line's text up to its id's end: its first 16 characters if they hold it
            stops = np.where(held[where], np.minimum(starts[where] + 16, ends[where] + 1), ends[where] + 1)
            lines = map(piece.__getitem__, map(slice, starts[where].tolist(), stops.tolist()))
            given = list(map(itemgetter(0), map(str.partition, lines, itertools.repeat(","))))
            if not check.ids(given, distinct=True):
                return False
        if not chunk:
            return True


def _runs_in_bytes(
    text: IO[str], start: int, header_lines: int, column: int, check: _RunCheck
) -> bool | None:
    """:func:`_runs_in_text` of a stream the reader opened (``start``: where its header
    starts), read a large piece of bytes at a time from its binary stream: no decoding.
    ``None`` if it could not tell: then ``text`` is placed at the first piece it did not
    look at (the rows before it given to ``check``), for :func:`_runs_in_text`.

    A UTF-8 stream whose header lines have no carriage return, ids in the first column,
    is looked at a piece of ASCII lines with no quote and no carriage return at a time:
    a line whose first 16 bytes are the line before's and hold a comma or its line feed
    has the line before's id; the other lines' ids are cut from their first 16 bytes
    where these hold them and they have no byte below 33 (as given: nothing to strip),
    else split off and stripped one by one.

    >>> def runs(data):
    ...     text = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
    ...     return _runs_in_bytes(text, 0, 1, 0, _RunCheck())
    >>> runs(b"id\\nA,1\\nA,2\\n\\n B ,3\\nB\\n,4\\nC\\n"), runs(b"id\\nA,1\\nB,2\\nA,3")
    (True, False)
    >>> text = io.TextIOWrapper(io.BytesIO(b'id\\nA,1\\nB,"2"\\n'), encoding="utf-8-sig", newline="")
    >>> _runs_in_bytes(text, 0, 1, 0, _RunCheck()), text.readline()  # a quote: for the text look
    (None, 'A,1\\n')
    """
    import numpy as np

    raw = getattr(text, "buffer", None)
    text.seek(start)
    if (
        column
        or raw is None
        or codecs.lookup(getattr(text, "encoding", "") or "ascii").name not in ("utf-8", "utf-8-sig")
    ):
        for _ in range(header_lines):
            text.readline()
        return None
    raw.seek(start)
    if any(b"\r" in raw.readline() for _ in range(header_lines)):
        text.seek(start)
        for _ in range(header_lines):
            text.readline()
        return None
    at, tail = raw.tell(), b""  # where ``tail`` starts
    span, pad = np.arange(16), bytes(16)
    while True:
        chunk = raw.read(_TEXT_CHUNK)
        if not chunk:  # the last line may lack its line feed
            last = tail + b"\n" if tail and not tail.endswith(b"\n") else tail
            piece, tail = (last + pad if last else b""), b""
        else:  # whole lines, and 16 bytes to spare (one copy)
            cut = chunk.rfind(b"\n") + 1
            if cut:
                piece, tail = b"".join((tail, memoryview(chunk)[:cut], pad)), chunk[cut:]
            else:
                piece, tail = b"", tail + chunk
        if not piece.isascii() or b'"' in piece or b"\r" in piece or b"\r" in tail:
            text.seek(at)
            return None
        if piece:
            size = len(piece) - len(pad)
            data = np.frombuffer(piece, dtype=np.uint8)
            starts, ends, _, where = _line_heads(data, size)
            # the id of each such line: its bytes before the first comma or line feed
            head = data[starts[where][:, None] + span]
            stop = (head == 44) | (head == 10)
            size_of = np.where(stop.any(axis=1), stop.argmax(axis=1), 16)
            inside = span < size_of[:, None]
            odd = np.flatnonzero(((head <= 32) & inside).any(axis=1) | (size_of == 16))
            keys = np.where(inside, head, 0).view("S16").ravel()
            if not len(odd):  # the ids as given: no empty one, one of each run of equal ones
                keys = keys[size_of > 0]
                if len(keys):
                    keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))]
            ids = b"\n".join(keys.tolist()).decode("ascii").split("\n") if len(keys) else []
            if len(odd):  # long ids or ones with a space or a control character: split off and stripped
                for k, s, e in zip(
                    odd.tolist(), starts[where][odd].tolist(), ends[where][odd].tolist(), strict=True
                ):
                    ids[k] = piece[s:e].partition(b",")[0].decode("ascii").strip()
            if not check.runs([key for key, _ in itertools.groupby(map(hash, filter(None, ids)))]):
                return False
            at += size
        if not chunk:
            return True


def _read_csv(lines: Iterator[str], text: IO[str], start: int | None) -> Iterator[CaseRecord | InvalidLine]:
    """The flat CSV layout (see docs/cli.md): one row per event. Each case of
    :func:`_csv_items` built by :func:`_csv_case`."""
    build = CaseBuilder().build
    for item in _csv_items(lines, text, start):
        yield item if type(item) is InvalidLine else _csv_case(build, item[1], item[0])


#: a CSV case before it is built: every line it came from (its first row, then each event's
#: row), and the mapping ``Case.model_validate`` takes (:func:`_case_data`)
_CsvCase = tuple[tuple[int, ...], dict[str, Any]]


def _csv_items(lines: Iterator[str], text: IO[str], start: int | None) -> Iterator[_CsvCase | InvalidLine]:
    """The flat CSV layout (see docs/cli.md): one row per event, read into cases not yet
    built (:data:`_CsvCase`) and invalid lines, in the order the reader yields them.

    Rows of one case need not be adjacent; the case's columns are given on its first row
    and on later rows are either blank or the same. A bad row invalidates its case (it is
    not evaluated with an event missing); each bad row is reported with its line number.

    A first look at the case ids decides whether each case's rows are adjacent; then a
    case comes as soon as its rows end (flat memory), else at the end of the input. An
    input that cannot be read twice (a pipe) is copied to a temporary file.
    """
    for block in _csv_blocks(lines, text, start, columns=False):
        yield from block  # type: ignore[misc]  # no _CsvCases without columns


def _csv_blocks(
    lines: Iterator[str], text: IO[str], start: int | None, *, columns: bool, own: bool = False
) -> Iterator[list[_CsvCase | InvalidLine | _CsvCases]]:
    """The items of :func:`_csv_items`, a list for each block of lines read (each list
    given out once: the caller keeps it). ``columns``: streaming blocks of the common shape
    come as :class:`_CsvCases` (read a column at a time) instead of one item per case.
    ``own``: ``text`` is a stream the reader opened (it splits lines as ``newline=""``
    does), so the first look reads it a large piece at a time (its bytes where it can:
    :func:`_runs_in_bytes`, else :func:`_runs_in_text`)."""
    rows = csv.reader(lines)
    header = next(rows, None)
    if header is None:
        return
    names = [h.strip() for h in header]
    if names:
        names[0] = names[0].removeprefix("\ufeff")
    problem = next((p for p in map(_undecodable, names) if p is not None), None) or _header_problem(names)
    if problem is not None:
        yield [InvalidLine(1, _cut(problem, _MAX_REASON))]
        return
    column = names.index("case_id")
    header_lines = rows.line_num
    if start is not None:  # read the file twice: ids first, then the cases
        text.seek(start)
        if own:
            check = _RunCheck()
            verdict = _runs_in_bytes(text, start, header_lines, column, check)
            streaming = _runs_in_text(text, column, check) if verdict is None else verdict
        else:
            streaming = _runs_are_whole(itertools.islice(text, header_lines, None), column)
        text.seek(start)
        source, end, spooled = text, header_lines, False
        body: Iterator[str] = itertools.islice(source, header_lines, None)
        if own and columns:  # read a piece at a time: placed at the first row
            for _ in range(header_lines):
                text.readline()
            body = iter(text)
    else:
        # lone surrogates (bytes that were not UTF-8, refused per row) are written and read back as they are
        source = tempfile.TemporaryFile("w+", encoding="utf-8", errors="surrogatepass", newline="")  # noqa: SIM115 - closed below
        source.writelines(lines)
        source.seek(0)
        streaming = _runs_in_text(source, column)
        source.seek(0)
        end, spooled = header_lines, True
        body = iter(source)
    try:
        by_piece = source if (own or spooled) and columns else None
        yield from _Rows(names, streaming).blocks(body, header_lines, end, columns, by_piece)
    finally:
        if spooled:
            source.close()


#: a block's runs of one case id (:meth:`_Rows._whole`): each run's id, first row (counted
#: from 0) and case columns as given; then the event columns as given (at, kind, status,
#: new severity)
_Split = tuple[
    list[str], list[int], list[tuple[str, ...]], Sequence[str], Sequence[str], Sequence[str], Sequence[str]
]


#: the characters below 128 that ``str.strip`` takes away
_ASCII_SPACES: Final = tuple(c for c in map(chr, range(128)) if c.isspace())


def _stripped(values: Sequence[str]) -> Sequence[str]:
    """``values`` each stripped; as they are if none has an ASCII space or any other
    character but ASCII (then none has one to strip).

    >>> _stripped(["a", "b"]), _stripped(["a ", "b"]), _stripped(["\xa0a"])
    (['a', 'b'], ['a', 'b'], ['a'])
    """
    text = "".join(values)
    if text.isascii() and not any(map(text.__contains__, _ASCII_SPACES)):
        return values
    return list(map(str.strip, values))


def _unfed(values: list[str]) -> list[str]:
    """The last fields of lines that end with a line feed, stripped (most of them blank).

    >>> _unfed(["\\n", " 2 \\n", "\\n"])
    ['', '2', '']
    """
    n = len(values)
    out = [""] * n
    given = list(itertools.compress(range(n), map(ne, values, itertools.repeat("\n"))))
    if len(given) > n // 8:
        return list(map(str.strip, values))
    for i in given:
        out[i] = values[i].strip()
    return out


def _swallowed(value: str, width: int) -> bool:
    """Whether a field read over several lines holds whole rows of the layout (a line
    with a comma for every column): the mark of a quote left open, not of a line break
    inside a quoted value."""
    if "\n" not in value and "\r" not in value:
        return False
    return any(line.count(",") >= width - 1 for line in value.splitlines()[1:])


def _seekable(text: IO[str]) -> bool:
    try:
        return bool(text.seekable())
    except (AttributeError, OSError, ValueError):
        return False


def _tell(text: IO[str]) -> int | None:
    try:
        return text.tell()
    except (OSError, ValueError, io.UnsupportedOperation):
        return None


#: an event kind the fast path does not know (``_colread``'s code for it)
_UNKNOWN_KIND: Final = 4


@functools.cache
def _words() -> tuple[Any, Any, Any]:
    """What :meth:`_Rows._cases` compares a kind's text with, 8 bytes at a time: the mask
    of each length up to 8 (``uint64``), by length up to 16 the code of the kind of that
    length and its first and last 8 bytes (masked to its length), and the keys an event
    of each code has (2, or 3 for a status
    or a severity; 255: no known kind, never)."""
    import numpy as np

    from slocalc.cases._columns import KIND_CODES

    masks = np.array([(1 << (8 * k)) - 1 for k in range(9)], dtype=np.uint64)
    # by a kind's length (no two have one length; none is longer than 16): its code (the
    # unknown one where none), first and last 8 bytes (a length with no kind: no text's)
    by_size = np.zeros((3, 17), dtype=np.uint64)
    by_size[0] = _UNKNOWN_KIND
    by_size[1:, 0] = 1 << 63  # the empty text: never a kind
    for name, code in KIND_CODES.items():
        raw = name.encode("ascii")
        assert len(raw) <= 16
        assert by_size[0, len(raw)] == _UNKNOWN_KIND
        size = min(len(raw), 8)
        first = int.from_bytes(raw[:8].ljust(8, b"\0"), "little") & ((1 << (8 * size)) - 1)
        last = int.from_bytes(raw[max(len(raw) - 8, 0) :].ljust(8, b"\0"), "little") & ((1 << (8 * size)) - 1)
        by_size[:, len(raw)] = (code, first, last)
    wanted = np.full(256, 255, dtype=np.int64)
    wanted[[KIND_CODES["support_update"], KIND_CODES["customer_update"]]] = 2
    wanted[[KIND_CODES["status"], KIND_CODES["severity"]]] = 3
    return masks, by_size, wanted


def _texts(words: Any, starts: Any, sizes: Any, joined: str) -> str:
    """The texts at ``starts`` (of ``sizes``) in ``joined`` (``words``: 8 bytes from each of
    its places, with 48 bytes to spare at the end) one after the other: texts of one size up
    to 24 as rows of whole 8-byte numbers cut to size, others cut out one by one.

    >>> import numpy as np
    >>> data = np.frombuffer(b"ab,cd,efg" + bytes(32), dtype=np.uint8)
    >>> words = np.ndarray((34,), dtype="<u8", buffer=data, strides=(1,))
    >>> _texts(words, np.array([0, 3]), np.array([2, 2]), "ab,cd,efg")
    'abcd'
    >>> _texts(words, np.array([0, 6]), np.array([2, 3]), "ab,cd,efg")
    'abefg'
    """
    import numpy as np

    if not len(starts):
        return ""
    size = int(sizes[0])
    if size <= 24 and int(sizes.min()) == int(sizes.max()):
        count = (size + 7) // 8
        rows = words[starts[:, None] + np.arange(0, 8 * count, 8)]
        return str(rows.view(np.uint8).reshape(len(starts), 8 * count)[:, :size].tobytes().decode("ascii"))
    return "".join(map(joined.__getitem__, map(slice, starts.tolist(), (starts + sizes).tolist())))


def _names(words: Any, starts: Any, sizes: Any, joined: str) -> tuple[list[str], Any]:
    """The distinct texts at ``starts`` (of ``sizes``, none empty) in ``joined`` (``words``
    as :func:`_texts` takes them), and which one each is (``int64``): texts of up to 40
    characters (40 at most) told apart by their whole 8-byte numbers (a number made of them sorted,
    then each text checked against the first of its number: equal ones, else one by one),
    longer ones cut out one by one.

    >>> import numpy as np
    >>> data = np.frombuffer(b"ab,cd,ab,abc" + bytes(32), dtype=np.uint8)
    >>> words = np.ndarray((37,), dtype="<u8", buffer=data, strides=(1,))
    >>> names, which = _names(words, np.array([0, 3, 6, 9]), np.array([2, 2, 2, 3]), "ab,cd,ab,abc")
    >>> [names[k] for k in which.tolist()], len(names)
    (['ab', 'cd', 'ab', 'abc'], 3)
    """
    import numpy as np

    longest = int(sizes.max()) if len(sizes) else 0
    if 0 < longest <= 40:
        count = (longest + 7) // 8
        rows = words[starts[:, None] + np.arange(0, 8 * count, 8)]
        masks = _words()[0]
        rows &= masks[np.clip(sizes[:, None] - np.arange(0, 8 * count, 8), 0, 8)]
        key = sizes.astype(np.uint64)
        for k in range(count):
            key = key * np.uint64(0x9E3779B97F4A7C15) + rows[:, k]
        _, first, which = np.unique(key, return_index=True, return_inverse=True)
        which = which.ravel()
        if (rows == rows[first][which]).all() and (sizes == sizes[first][which]).all():
            s, e = starts[first].tolist(), (starts[first] + sizes[first]).tolist()
            return list(map(joined.__getitem__, map(slice, s, e))), which.astype(np.int64)
    texts = map(joined.__getitem__, map(slice, starts.tolist(), (starts + sizes).tolist()))
    found: dict[str, int] = {}
    which = np.array([found.setdefault(text, len(found)) for text in texts], dtype=np.int64)
    return list(found), which


def _customer_key(tz: str, country: str, subdiv: str, hours: str) -> tuple[tuple[str, str], ...]:
    """The items of a case's customer mapping (:func:`_case_data`) from its stripped columns.

    >>> _customer_key("UTC", "", "", ""), _customer_key("UTC", "DE", "", "x")
    ((('tz', 'UTC'),), (('tz', 'UTC'), ('country', 'DE'), ('hours', 'x')))
    """
    if not (country or subdiv or hours):
        return (("tz", tz),)
    return tuple(
        itertools.compress(
            zip(_CUSTOMER, (tz, country, subdiv, hours), strict=True), (1, country, subdiv, hours)
        )
    )


@final
class _CsvCases:
    """Whole cases of a streaming block of CSV rows, read a column at a time by
    :meth:`_Rows._cases`: what ``ColumnBuilder.build_csv`` takes of each (no mapping made),
    and each case's mapping on demand (:meth:`data`, as the rules make it). A batch may
    take a part (:meth:`part`); ``len`` is the number of cases of the part.

    ``text`` is the block's text, ``line_at`` (``int64``) where each of its rows starts
    (and the end). Per case (counted from 0 in the block's cases): ``rows`` its first row
    (and the end), ``ids``, ``severities`` (a whole number, else the text), ``opened``,
    ``customers`` (its stripped tz, country, subdiv and hours joined by NULs: one text
    object per customer, read by :meth:`customer`), ``event_first`` its first event (and the end),
    ``bad`` the cases with an event whose keys are not its kind's, ``lines`` its lines,
    ``firsts`` its first line.
    Per event: ``at_text`` (the instants' text), ``at_lens``, ``kinds`` (codes, 4: not
    known), ``status`` (``int64``: its status name in ``names``, or -1 for none),
    ``levels`` (the new severity or ``None``).
    """

    __slots__ = (
        "at_lens",
        "at_text",
        "bad",
        "customers",
        "event_first",
        "firsts",
        "hi",
        "ids",
        "kinds",
        "layout",
        "levels",
        "line_at",
        "lines",
        "lo",
        "names",
        "opened",
        "rows",
        "severities",
        "status",
        "text",
    )

    def __init__(
        self,
        layout: _Rows,
        text: str,
        line_at: Any,
        rows: list[int],
        ids: list[str],
        severities: list[Any],
        opened: list[str],
        customers: list[Any],
        event_first: list[int],
        at_text: str,
        at_lens: bytes,
        kinds: bytes,
        status: Any,
        names: list[str],
        levels: list[Any],
        bad: list[int],
        lines: list[tuple[int, ...]],
        firsts: list[int],
    ) -> None:
        self.layout, self.text, self.line_at, self.rows, self.ids = layout, text, line_at, rows, ids
        self.severities, self.opened, self.customers = severities, opened, customers
        self.event_first, self.at_text, self.at_lens, self.kinds = event_first, at_text, at_lens, kinds
        self.status, self.names, self.levels = status, names, levels
        self.bad, self.lines, self.firsts = bad, lines, firsts
        self.lo, self.hi = 0, len(ids)

    def __len__(self) -> int:
        return self.hi - self.lo

    def part(self, lo: int, hi: int) -> _CsvCases:
        """Cases ``lo`` to ``hi`` of this part (counted from its first), sharing the columns."""
        other = copy.copy(self)
        other.lo, other.hi = self.lo + lo, self.lo + hi
        return other

    @staticmethod
    def customer(text: str) -> dict[str, str]:
        """The customer mapping of a case's customer text (as :func:`_case_data` makes it).

        >>> _CsvCases.customer("UTC\\0DE\\0\\0")
        {'tz': 'UTC', 'country': 'DE'}
        """
        return dict(_customer_key(*text.split("\0")))

    def data(self, k: int) -> dict[str, Any]:
        """The mapping the rules make of case ``k`` (counted in the block, as ``lo``)."""
        layout, strip = self.layout, str.strip
        rows = self.text[int(self.line_at[self.rows[k]]) : int(self.line_at[self.rows[k + 1]])].split("\n")
        rows.pop()  # after the last line feed
        events = []
        for line in rows:
            event = _event(*map(strip, layout.event_values(line.split(",") + layout.pad)))
            if event is not None:
                events.append(event)
        given = layout.case_values(rows[0].split(",") + layout.pad)
        fields = dict(zip(_CASE_COLUMNS, map(strip, given), strict=True))
        return _case_data(_Group(self.ids[k], 0, fields, events=events))


class _Rows:
    """The rows of a CSV export (after its header) grouped into cases: the rules of one row
    (:meth:`_row`), and shortcuts that give the same items: a streaming block of rows all of
    the common shape a column at a time (:meth:`_whole`), other blocks a run of one case id
    at a time (:meth:`_block`)."""

    def __init__(self, names: list[str], streaming: bool) -> None:
        self.groups: dict[str, _Group] = {}
        #: the customer texts (:meth:`_CsvCases.customer`) of the stripped case columns seen
        self.customer_keys: dict[tuple[str, str, str, str], str] = {}
        #: the items made and not yet given out
        self.out: list[_CsvCase | InvalidLine | _CsvCases] = []
        self.spoiled: set[str] = set()
        self.streaming = streaming
        self.width = width = len(names)
        self.column = names.index("case_id")
        # a row's case and event columns, in the order of _CASE_COLUMNS and _event's arguments;
        # a column the header lacks reads the empty text appended to each row (at ``width``)
        self.pad = [""] if any(k not in names for k in CSV_COLUMNS) else []
        self.case_index = [names.index(k) if k in names else width for k in _CASE_COLUMNS]
        self.case_values = itemgetter(*self.case_index)
        self.event_columns = [names.index(k) if k in names else width for k in _EVENT_COLUMNS]
        self.event_values = itemgetter(*self.event_columns)
        # a header whose event columns come last: how many (else 0), each one's place after
        # the text before them (0: not in the header), and the case columns in that text
        present = [k for k in _EVENT_COLUMNS if k in names]
        self.tail = len(present) if set(names[width - len(present) :]) == set(present) else 0
        before = width - self.tail
        self.event_tail = [names.index(k) - before + 1 if k in names else 0 for k in _EVENT_COLUMNS]
        self.head_values = itemgetter(*[names.index(k) if k in names else before for k in _CASE_COLUMNS])

    def blocks(
        self,
        lines: Iterator[str],
        offset: int,
        end: int,
        columns: bool = False,
        text: IO[str] | None = None,
    ) -> Iterator[list[_CsvCase | InvalidLine | _CsvCases]]:
        """The items of ``lines`` (the export's lines after its ``offset`` header lines), a
        list for each block of lines read; ``end`` is the line before the first row's first
        line, as reasons give it.

        A block of lines at a time: its lines up to the first that has a quote or a
        carriage return inside are one row each (:meth:`_block`); from there the csv module
        reads row by row (:meth:`_rows`) until a row ends at or past the block's end.
        ``columns``: a streaming block of the common shape is read a column at a time into
        :class:`_CsvCases` first (:meth:`_cases`); the rows of its last case wait for the
        next block (at most :data:`_CARRY` of them, else the rules take them).

        ``text``: the stream ``lines`` come from, read as ``newline=""`` reads it, placed at
        the first row: a streaming read with ``columns`` reads it :data:`_TEXT_BLOCK`
        characters at a time (no string per line), as long as each piece is of the common
        shape; from the first that is not on, line by line.
        """
        if columns and self.streaming and text is not None:
            place = yield from self._pieces(text, offset)
            if place is None:
                self._finish()
                if self.out:
                    yield self.out
                    self.out = []
                return
            lines, (offset, end) = iter(text), place
        carry: list[str] = []  # the rows of the last case of a block read a column at a time
        size = _COLUMN_BLOCK if columns and self.streaming else _ROW_BLOCK
        while block := list(itertools.islice(lines, size)):
            if carry:
                block[:0] = carry
                carry = []
            found = self._cases(block, offset, False) if columns and self.streaming else None
            if found is None:
                offset, end = self._lines(block, lines, offset, end)
            else:
                cases, used, _ = found
                if cases is not None:
                    self.out.append(cases)
                offset += used
                end = offset
                carry = block[used:]
                if len(carry) > _CARRY:  # a long case: the rules keep it open
                    offset, end = self._lines(carry, iter(()), offset, end)
                    carry = []
            if self.out:
                yield self.out
                self.out = []
        if carry:
            found = self._cases(carry, offset, True)
            if found is None:
                self._lines(carry, iter(()), offset, end)
            elif found[0] is not None:
                self.out.append(found[0])
        self._finish()
        if self.out:
            yield self.out
            self.out = []

    def _pieces(self, text: IO[str], offset: int) -> Generator[list[Any], None, tuple[int, int] | None]:
        """The items of ``text`` (rows after ``offset`` lines) a large piece at a time
        (:meth:`blocks`); ``None`` at its end, else the line count and ``end`` after the
        last row read:
        the rest is for reading line by line (``text`` placed at it), from a piece that is
        not of the common shape or a case of more than :data:`_CARRY` rows, its rows read
        by the rules first."""
        rest = ""  # the rows of the last case of a piece, and the start of a line
        while True:
            chunk = text.read(_TEXT_BLOCK)
            piece = rest + chunk
            tail = ""
            if chunk:
                cut = piece.rfind("\n") + 1
                piece, tail = piece[:cut], piece[cut:]
                if not piece:  # a line longer than a piece
                    rest = tail
                    continue
            elif not piece:
                return None
            found = self._cases(None, offset, not chunk, piece)
            if found is not None:
                cases, used, at = found
                if cases is not None:
                    self.out.append(cases)
                offset += used
                piece, rest = piece[at:], piece[at:] + tail
                if not chunk:
                    return None if not piece else self._rest(piece, text, offset)
                if piece.count("\n") <= _CARRY:
                    if self.out:
                        yield self.out
                        self.out = []
                    continue
            return self._rest(piece + tail + (text.readline() if chunk else ""), text, offset)

    def _rest(self, piece: str, text: IO[str], offset: int) -> tuple[int, int]:
        """Read the rows of ``piece`` (whole lines, then ``text``) by the rules; the line
        count and ``end`` after them."""
        return self._lines(list(io.StringIO(piece, newline="")), iter(text), offset, offset)

    def _lines(self, block: list[str], lines: Iterator[str], offset: int, end: int) -> tuple[int, int]:
        """The items of ``block`` by the rules (the csv module reading on into ``lines`` for a
        row that runs past its end); the line count and ``end`` after it."""
        joined = "".join(block)
        plain = _plain(block, joined)
        if plain < len(block):
            joined = "".join(block[:plain])
        if plain:
            end = self._block(block[:plain], joined, offset, end)
            offset += plain
        if plain < len(block):
            rows = csv.reader(itertools.chain(block[plain:], lines))
            end = self._rows(rows, offset, end, len(block) - plain)
            offset += rows.line_num
        return offset, end

    def _cases(
        self, block: list[str] | None, offset: int, final: bool, joined: str | None = None
    ) -> tuple[_CsvCases | None, int, int] | None:
        """The whole cases of ``block`` (lines after ``offset``; or ``joined``, their text)
        read a column at a time, how many of its rows they took and where the rest starts in
        the text (the rows of its last case wait for the next block, unless ``final``);
        ``None`` (nothing done) if the block is not of the common shape.

        The common shape, in a streaming read: the block's text is ASCII with no quote,
        carriage return or NUL, each line ends at its only line feed, no line is over the
        csv module's field limit, and each line has the header's width; each event value
        is empty or starts and ends with no space; each line names its case, and has the
        id and case columns of the line before (compared with numpy, 8 bytes at a time) or
        is the first of a run of one case id (its id and case columns split off), whose
        case is new (no other run of the block, no refused row named it) and whose first
        row gives severity, opened_at and tz; a later row of a run has its first row's case
        columns or blank ones; each new severity reads as a whole number. A case left open
        by the rules (:meth:`_block`) gets the rows of the block's first run by the rules.
        Everything else about a case (an unknown kind, a status missing, a bad instant...)
        is for the column builder to find: its mapping is :meth:`_CsvCases.data`.
        """
        import numpy as np

        width = self.width
        if joined is None:
            assert block is not None
            joined = "".join(block)
        if not (
            joined.isascii()
            and joined.endswith("\n")
            and '"' not in joined
            and "\r" not in joined
            and "\0" not in joined
        ):
            return None
        buf = joined.encode("ascii")
        data = np.frombuffer(buf + bytes(48), dtype=np.uint8)
        text = data[: len(buf)]
        feeds = text == 10
        n = int(np.count_nonzero(feeds))
        if block is not None and n != len(block):
            return None
        seps = np.flatnonzero(feeds | (text == 44))
        if len(seps) != n * width:
            return None
        grid = seps.reshape(n, width)
        ends = grid[:, -1]
        if not feeds[ends].all():
            return None  # a line of another width
        starts = np.empty(n, dtype=np.int64)
        starts[0] = 0
        starts[1:] = ends[:-1] + 1
        limit = csv.field_size_limit()
        if len(joined) > limit and int((ends - starts).max()) + 1 > limit:
            return None
        # 8 bytes from each place of the text, as one number
        words = np.ndarray((len(buf) + 41,), dtype="<u8", buffer=data, strides=(1,))

        def bounds(k: int) -> tuple[Any, Any]:
            return (starts if k == 0 else grid[:, k - 1] + 1), grid[:, k]

        # the event columns: each value empty or with no space at either end (stripped as given)
        zero = np.zeros(n, dtype=np.int64)
        spans = [bounds(k) if k < width else (zero, zero) for k in self.event_columns]
        sizes = [e - s for s, e in spans]
        given_at = np.concatenate([*(s for s, _ in spans), *(e - 1 for _, e in spans)])
        if ((np.concatenate(sizes * 2) > 0) & (text[given_at] <= 32)).any():
            return None
        # the rows whose id and case columns differ from the line before's
        last = max([self.column, *(k for k in self.case_index if k < width)])
        head_end = grid[:, last]
        head = head_end - starts
        count = (int(head.max()) + 7) // 8
        steps = np.minimum(np.arange(0, 8 * count, 8), np.maximum(head - 8, 0)[:, None])
        first = words[starts[:, None] + steps]
        same = (head[1:] == head[:-1]) & (first[1:] == first[:-1]).all(axis=1)
        changes = [0, *(np.flatnonzero(~same) + 1).tolist()]
        heads = list(
            map(joined.__getitem__, map(slice, starts[changes].tolist(), head_end[changes].tolist()))
        )
        flat = ",".join(heads).split(",")
        if len(flat) != len(changes) * (last + 1):
            return None
        cols = [flat[k :: last + 1] for k in range(last + 1)]
        ids = list(map(str.strip, cols[self.column]))
        if "" in ids:
            return None
        none = [""] * len(changes)
        case_cols = [cols[k] if k < width else none for k in self.case_index]
        # runs: a change of id starts one; any other change gives blank case columns or the run's first row's
        runs = [0, *itertools.compress(range(1, len(ids)), map(ne, ids, ids[1:]))]
        if len(runs) != len(ids):
            given = list(zip(*case_cols, strict=True))
            top = given[0]
            for k in range(1, len(ids)):
                if ids[k] != ids[k - 1]:
                    top = given[k]
                elif given[k] != top and given[k] != _BLANK:
                    return None
        run_ids = list(map(ids.__getitem__, runs))
        run_rows = list(map(changes.__getitem__, runs))
        groups = self.groups
        group = next(iter(groups.values())) if len(groups) == 1 else None
        joins = group is not None and group.case_id == run_ids[0]
        if (
            len(groups) > 1
            or len(set(run_ids)) != len(run_ids)
            or (self.spoiled and not self.spoiled.isdisjoint(run_ids))
            or (group is not None and not joins and group.case_id in run_ids)
            or (joins and len(runs) == 1)
        ):
            return None
        take = 1 if joins else 0  # the runs read here: from ``take`` to ``stop`` (whole cases)
        stop = len(runs) if final else len(runs) - 1
        fields = [list(_stripped(list(map(col.__getitem__, runs[take:stop])))) for col in case_cols]
        if fields and ("" in fields[0] or "" in fields[1] or "" in fields[2]):
            return None
        used = n if final else run_rows[-1]
        lo = run_rows[take] if take < len(run_rows) else used
        # the events of rows lo to used: a row with all four event columns empty has none
        at_size, kind_size, status_size, new_size = (z[lo:used] for z in sizes)
        rows = np.flatnonzero((at_size + kind_size + status_size + new_size) > 0)
        m = len(rows)
        at_lens = at_size[rows]
        if m and int(at_lens.max()) > 255:
            return None
        at_start = spans[0][0][lo:used][rows]
        at_text = _texts(words, at_start, at_lens, joined)
        kind_start = spans[1][0][lo:used][rows]
        kind_len = np.minimum(kind_size[rows], 16)  # no kind is longer
        masks, by_size, wanted = _words()
        mask = masks[np.minimum(kind_len, 8)]
        low = words[kind_start] & mask
        high = words[kind_start + np.maximum(kind_len - 8, 0)] & mask
        code, want_low, want_high = by_size[:, kind_len]
        kinds = np.where((low == want_low) & (high == want_high), code, _UNKNOWN_KIND).astype(np.uint8)
        status = np.full(m, -1, dtype=np.int64)  # each event's status name in ``names``
        has_status = np.flatnonzero(status_size[rows] > 0)
        names: list[str] = []
        if len(has_status):
            s = spans[2][0][lo:used][rows][has_status]
            names, status[has_status] = _names(words, s, status_size[rows][has_status], joined)
        levels: list[Any] = [None] * m
        has_new = np.flatnonzero(new_size[rows] > 0)
        if len(has_new):
            s = spans[3][0][lo:used][rows][has_new]
            try:
                for k, value in zip(
                    has_new.tolist(),
                    map(joined.__getitem__, map(slice, s.tolist(), (s + new_size[rows][has_new]).tolist())),
                    strict=True,
                ):
                    levels[k] = int(value)
            except ValueError:  # the rules word it
                return None
        # an event whose keys are not those of its kind (a status or severity missing or extra)
        keys = 2 + (status_size[rows] > 0) + (new_size[rows] > 0)
        odd = keys != wanted[kinds]
        # each case's first row and events, counted from row lo and from 0
        case_rows = np.array(run_rows[take:stop], dtype=np.int64) - lo
        firsts = np.searchsorted(rows, case_rows)
        event_first = [*firsts.tolist(), m]
        bad = sorted(set((np.searchsorted(firsts, np.flatnonzero(odd), side="right") - 1).tolist()))
        # each case's lines: its first row, then each event's row
        c = stop - take
        base = offset + lo + 1
        heads_at = firsts + np.arange(c)
        numbers = np.empty(m + c, dtype=np.int64)
        numbers[heads_at] = case_rows + base
        events_at = np.ones(m + c, dtype=bool)
        events_at[heads_at] = False
        numbers[events_at] = rows + base
        everything = tuple(numbers.tolist())
        lines = list(
            map(everything.__getitem__, map(slice, heads_at.tolist(), [*heads_at[1:].tolist(), m + c]))
        )
        # commit: a case the rules left open gets its rows and ends, then the cases read here
        line_at = np.append(starts, len(buf))
        if group is not None:
            if joins:
                assert block is not None  # a case the rules left open: read by lines
                self._block(block[:lo], "".join(block[:lo]), offset, offset)
            self._finish()
        if not c:
            return None, used, int(line_at[used])
        sev, opened, tz, country, subdiv, hours = fields
        try:
            severities: list[Any] = list(map(int, sev))
        except ValueError:
            severities = list(map(_severity, sev))
        # one text per customer, shared: its hash is computed once
        known = self.customer_keys
        customers = list(map(known.get, zip(tz, country, subdiv, hours, strict=True)))
        if None in customers:
            if len(known) > _CACHE:
                known.clear()
            for k, given_key in enumerate(zip(tz, country, subdiv, hours, strict=True)):
                if customers[k] is None:
                    customers[k] = known[given_key] = known.get(given_key) or "\0".join(given_key)
        return (
            _CsvCases(
                self,
                joined,
                line_at,
                [*(case_rows + lo).tolist(), used],
                run_ids[take:stop],
                severities,
                opened,
                customers,
                event_first,
                at_text,
                at_lens.astype(np.uint8).tobytes(),
                kinds.tobytes(),
                status,
                names,
                levels,
                bad,
                lines,
                (case_rows + base).tolist(),
            ),
            used,
            int(line_at[used]),
        )

    def _finish(self) -> None:
        """The cases not refused yet (in first-row order) out; the groups forgotten."""
        for group in self.groups.values():
            if not group.bad:
                self.out.append(((group.first, *group.event_lines), _case_data(group)))
        self.groups.clear()

    def _rows(self, rows: Any, offset: int, end: int, until: int | None) -> int:
        """The items of the csv reader ``rows`` (its lines after ``offset``), a row at a time,
        until it has read ``until`` lines or more (``None``: all); the last row's last line."""
        row = self._row
        while until is None or rows.line_num < until:
            try:
                values = next(rows)
            except StopIteration:
                break
            except csv.Error as exc:  # e.g. a field over the csv module's size limit: that row only
                end, first = rows.line_num + offset, end + 1
                self.out.append(InvalidLine(first, f"not a CSV row: {_cut(str(exc))}"))
                continue
            number, first, end = rows.line_num + offset, end + 1, rows.line_num + offset
            row(values, number, first)
        return end

    def _block(self, lines: list[str], joined: str, offset: int, end: int) -> int:
        """The items of ``lines`` (one row each, ``joined`` their text) after ``offset``; the
        last row's line.

        Rows of the common shape are taken a run of one case id at a time: the block reads
        as CSV (split at commas if no line has a carriage return, a NUL, a line feed but at
        its end, or more characters than the csv module's field limit: there the csv module
        splits so too), its text is UTF-8, each row has the header's width and names its
        case, a run's case columns are each blank or its case's first row's, the block's
        events read (:func:`_event`). Any other block, run or row goes through :meth:`_row`.
        A block split at commas in a streaming read goes first to :meth:`_whole`, which
        takes it whole if every row is of the common shape.
        """
        if (
            joined.endswith("\n")
            and joined.count("\n") == len(lines)
            and "\r" not in joined
            and "\0" not in joined
            and (len(joined) <= csv.field_size_limit() or max(map(len, lines)) <= csv.field_size_limit())
        ):  # each line ends at its only line feed: the csv module would split it at its commas
            if (
                self.streaming
                and (joined.isascii() or _undecodable(joined) is None)
                and self._whole(lines, joined, offset)
            ):
                return offset + len(lines)
            rows = list(map(str.split, joined[:-1].split("\n"), itertools.repeat(",")))
        else:
            try:
                rows = list(csv.reader(lines))
            except csv.Error:
                rows = []
        width, row = self.width, self._row
        if (
            len(rows) != len(lines)
            or set(map(len, rows)) != {width}
            or (not joined.isascii() and _undecodable(joined) is not None)
        ):
            return self._rows(csv.reader(lines), offset, end, None)
        strip = str.strip
        ids = list(map(strip, map(itemgetter(self.column), rows)))
        padded = list(map(list.__add__, rows, itertools.repeat(self.pad))) if self.pad else rows
        given = list(map(self.case_values, padded))
        # the event columns stripped, a column at a time; each row's event if they all read
        columns = [list(map(strip, map(itemgetter(k), padded))) for k in self.event_columns]
        made: list[dict[str, Any] | None] | None
        try:
            made = list(map(_event, *columns))
        except ValueError:
            made = None
        blank = ("",) * len(_CASE_COLUMNS)
        groups, add = self.groups, self._add_event
        # where each run of one case id starts and ends
        ends = list(itertools.compress(range(1, len(ids)), map(ne, ids, ids[1:])))
        for i, j in zip([0, *ends], [*ends, len(ids)], strict=True):
            case_id = ids[i]
            group = groups.get(case_id)
            if not case_id or (group is None and self._start(case_id, offset + i + 1, given[i]) is None):
                # rows that name no case, or a case's first row that is refused: the rest row by row
                for k in range(i if not case_id else i + 1, j):
                    row(rows[k], offset + k + 1, offset + k + 1)
                continue
            if group is None:  # the run's first row started its case: its event, then the others
                group = groups[case_id]
                start, i = i, i + 1
            else:
                start = i
            if made is None or not {group.given, blank}.issuperset(given[i:j]):
                for k in range(start, j):
                    if k < i:
                        add(
                            group,
                            (columns[0][k], columns[1][k], columns[2][k], columns[3][k]),
                            offset + k + 1,
                        )
                    else:
                        row(rows[k], offset + k + 1, offset + k + 1)
            else:
                events = made[start:j]
                numbers: Iterable[int] = range(offset + start + 1, offset + j + 1)
                if None in events:
                    numbers = [n for n, e in zip(numbers, events, strict=True) if e is not None]
                    events = [e for e in events if e is not None]
                group.events.extend(events)  # type: ignore[arg-type]
                group.event_lines.extend(numbers)
        return offset + len(lines)

    def _whole(self, lines: list[str], joined: str, offset: int) -> bool:
        """The items of a block of ``lines`` (``joined``: their text, UTF-8, each line ending
        at its only line feed, none over the field limit) after ``offset`` if every row is of
        the common shape, a column at a time; ``False`` (nothing done) if not.

        The common shape, in a streaming read: each line has the header's width, names its
        case, and has the case columns of its run's first row or blank ones (the run that
        goes on with the case the block before left open: that case's first row's); a
        run's case is new to the read (no other run, no refused row named it), its first
        row gives severity, opened_at and tz; each event reads (:func:`_event`). Each run
        but the last is then a whole case; the last is kept open, as :meth:`_row` keeps it.
        """
        n = len(lines)
        split = self._tail(lines) if self.tail else self._flat(joined, n)
        if split is None:
            return False
        run_ids, starts, heads, at, kind, status, severity = split
        stops = [*starts[1:], n]
        strip = str.strip
        groups = self.groups
        group = next(iter(groups.values())) if len(groups) == 1 else None
        joins = group is not None and group.case_id == run_ids[0]
        if (
            len(groups) > 1
            or (group is not None and (group.bad or (not joins and group.case_id in run_ids)))
            or len(set(run_ids)) != len(run_ids)
            or (self.spoiled and not self.spoiled.isdisjoint(run_ids))
        ):
            return False
        # the run going on gives its case's case columns or blank ones; a new case's first
        # row gives severity, opened_at and tz
        if group and joins and heads[0] != group.given and heads[0] != _BLANK:
            return False
        fields = [list(map(strip, f)) for f in zip(*(heads[1:] if joins else heads), strict=True)]
        if fields and ("" in fields[0] or "" in fields[1] or "" in fields[2]):
            return False
        # the events: the common shapes by one comprehension; a new severity read by _event
        at, kind, status, severity = map(_stripped, (at, kind, status, severity))
        made: list[dict[str, Any] | None] = [
            {"at": a, "kind": k, "status": s} if s else {"at": a, "kind": k}
            for a, k, s in zip(at, kind, status, strict=True)
        ]
        if severity.count("") != n:
            for i in itertools.compress(range(n), severity):
                try:
                    made[i] = _event(at[i], kind[i], status[i], severity[i])
                except ValueError:
                    return False
        none = [
            i
            for i in itertools.compress(range(n), map(not_, at))
            if not (kind[i] or status[i] or severity[i])
        ]
        for i in none:
            made[i] = None
        # each run's events and lines (its first row, then each event's row)
        events: list[list[Any]] = list(map(made.__getitem__, map(slice, starts, stops)))
        base = offset + 1
        numbers = [
            (f, *range(f, e))
            for f, e in zip(map(base.__add__, starts), map(base.__add__, stops), strict=True)
        ]
        for r in sorted({bisect.bisect_right(starts, i) - 1 for i in none}):
            kept = list(map(is_not, events[r], itertools.repeat(None)))
            events[r] = list(itertools.compress(events[r], kept))
            numbers[r] = (numbers[r][0], *itertools.compress(numbers[r][1:], kept))
        # commit: the open case goes on, or ends; then the whole cases; the last run stays open
        if group and joins:
            group.events.extend(events[0])
            group.event_lines.extend(numbers[0][1:])
            if len(starts) == 1:
                return True
        self._finish()
        sev = fields[0]
        try:
            severities: list[Any] = list(map(int, sev))
        except ValueError:
            severities = list(map(_severity, sev))
        customers = [
            {"tz": t, "country": c}
            if c and not s and not h
            else {"tz": t, "country": c, "subdiv": s}
            if c and s and not h
            else dict(itertools.compress(zip(_CUSTOMER, (t, c, s, h), strict=True), (t, c, s, h)))
            for t, c, s, h in zip(*fields[2:], strict=True)
        ]
        first = 1 if joins else 0
        datas = [
            {"id": i, "severity": s, "opened_at": o, "customer": c, "events": e}
            for i, s, o, c, e in zip(
                run_ids[first:], severities, fields[1], customers, events[first:], strict=True
            )
        ]
        last = datas.pop()
        self.out.extend(zip(numbers[first:-1], datas, strict=True))
        case_id, number = run_ids[-1], numbers[-1][0]
        groups[case_id] = _Group(
            case_id,
            number,
            dict(zip(_CASE_COLUMNS, (f[-1] for f in fields), strict=True)),
            heads[-1],
            last["events"],
            list(numbers[-1][1:]),
        )
        return True

    def _flat(self, joined: str, n: int) -> _Split | None:
        """The runs and columns of a block (:meth:`_whole`): its text split at commas and line
        feeds at once, a column every ``width`` fields; ``None`` if a line has another width,
        names no case, or has case columns neither its run's first row's nor blank."""
        width, size = self.width, n * self.width
        # a comma before each line feed: each line's first field starts with its line feed
        flat = joined.replace("\n", ",\n").split(",")
        if len(flat) != size + 1 or "".join(flat[width:size:width]).count("\n") != n - 1:
            return None  # a line with another width (the line feeds fall outside column 0)
        cols = [flat[k:size:width] for k in range(width)]
        if self.column:  # column 0 is read as it is (else its values are stripped)
            cols[0][1:] = map(str.lstrip, cols[0][1:], itertools.repeat("\n"))
        if self.pad:
            cols.append([""] * n)
        ids = list(map(str.strip, cols[self.column]))
        if "" in ids:
            return None
        cuts = list(itertools.compress(range(1, n), map(ne, ids, ids[1:])))
        given = list(zip(*map(cols.__getitem__, self.case_index), strict=True))
        changes = list(itertools.compress(range(1, n), map(ne, given, given[1:])))
        at, kind, status, severity = map(cols.__getitem__, self.event_columns)
        if changes == cuts or set(changes).issubset(cuts):  # each row its run's first's
            starts = [0, *cuts]
            return (
                list(map(ids.__getitem__, starts)),
                starts,
                list(map(given.__getitem__, starts)),
                at,
                kind,
                status,
                severity,
            )
        rows = [0, *sorted({*cuts, *changes})]  # a run's first row, or where its case columns change
        runs = self._runs(list(map(ids.__getitem__, rows)), list(map(given.__getitem__, rows)))
        if runs is None:
            return None
        firsts, heads = runs
        return (
            list(map(ids.__getitem__, (rows[k] for k in firsts))),
            [rows[k] for k in firsts],
            heads,
            at,
            kind,
            status,
            severity,
        )

    def _tail(self, lines: list[str]) -> _Split | None:
        """The runs and columns of a block (:meth:`_whole`) of a header whose event columns
        come last: each line split at its last commas only, into the event columns and the
        text before them; the text before split where it changes from the line before (a
        run's first row, or the case columns left blank or given again). ``None`` as
        :meth:`_flat` gives it."""
        # a few lines at a time: their lists die before the garbage collector counts them
        n, tail = len(lines), self.tail
        cols: list[list[str]] = [[] for _ in range(tail + 1)]
        for k in range(0, n, _SPLIT_ROWS):
            try:
                part = list(
                    zip(
                        *map(
                            str.rsplit,
                            lines[k : k + _SPLIT_ROWS],
                            itertools.repeat(","),
                            itertools.repeat(tail),
                        ),
                        strict=True,
                    )
                )
            except ValueError:  # a line with fewer commas than the event columns
                return None
            if len(part) != tail + 1:
                return None
            for col, values in zip(cols, part, strict=True):
                col += values
        cols[-1] = _unfed(cols[-1])
        heads_text = cols[0]
        changes = [0, *itertools.compress(range(1, n), map(ne, heads_text, heads_text[1:]))]
        parts = list(map(str.split, map(heads_text.__getitem__, changes), itertools.repeat(",")))
        if set(map(len, parts)) != {self.width - self.tail}:
            return None
        if self.pad:
            parts = list(map(list.__add__, parts, itertools.repeat(self.pad)))
        ids = list(map(str.strip, map(itemgetter(self.column), parts)))
        if "" in ids:
            return None
        runs = self._runs(ids, list(map(self.head_values, parts)))
        if runs is None:
            return None
        firsts, heads = runs
        blank = [""] * n
        at, kind, status, severity = (cols[k] if k else blank for k in self.event_tail)
        return (
            list(map(ids.__getitem__, firsts)),
            list(map(changes.__getitem__, firsts)),
            heads,
            at,
            kind,
            status,
            severity,
        )

    def _runs(
        self, ids: list[str], given: list[tuple[str, ...]]
    ) -> tuple[list[int], list[tuple[str, ...]]] | None:
        """The runs of a block's rows where their id or case columns change (``ids``, the case
        columns ``given``): each run's first such row (counted from 0) and case columns, or
        ``None`` if a run's case columns change but to blank ones. The run that may go on
        with the open case may start with blank ones: its case columns are then its first
        others (:meth:`_whole` compares them with the open case's)."""
        firsts = [0, *itertools.compress(range(1, len(ids)), map(ne, ids, ids[1:]))]
        heads = list(map(given.__getitem__, firsts))
        if len(firsts) != len(ids):
            run, opens = 0, self.groups.keys() == {ids[0]}
            for k in range(1, len(ids)):
                if ids[k] != ids[k - 1]:
                    run += 1
                elif given[k] != heads[run] and given[k] != _BLANK:
                    if run or not opens or heads[0] != _BLANK:
                        return None
                    heads[0] = given[k]
        return firsts, heads

    def _start(self, case_id: str, number: int, given: tuple[str, ...]) -> _Group | None:
        """Start the case of ``case_id`` at row ``number`` (case columns ``given``); the group,
        or ``None`` if the row is refused (its event not read)."""
        if self.streaming and self.groups:
            self._finish()
        fields = dict(zip(_CASE_COLUMNS, map(str.strip, given), strict=True))
        group = self.groups[case_id] = _Group(case_id, number, fields, given, bad=case_id in self.spoiled)
        if not (fields["severity"] and fields["opened_at"] and fields["tz"]):
            empty = [k for k in ("severity", "opened_at", "tz") if not fields[k]]
            self.out.append(
                InvalidLine(number, f"case {case_id!r}: first row leaves {', '.join(empty)} empty")
            )
            group.bad = True
            return None
        return group

    def _add_event(self, group: _Group, values: tuple[str, ...], number: int) -> None:
        """Add the event of a row's (stripped) event columns, if any, to ``group``."""
        try:
            event = _event(*values)
        except ValueError as exc:
            self.out.append(InvalidLine(number, f"case {group.case_id!r}: {exc}"))
            group.bad = True
            return
        if event is not None:
            group.events.append(event)
            group.event_lines.append(number)

    def _row(self, values: list[str], number: int, first: int) -> None:
        """The rules of one row: ``values`` read from lines ``first`` to ``number``."""
        if not values:
            return
        width, column, strip = self.width, self.column, str.strip
        if number > first and any(_swallowed(v, width) for v in values):
            self.out.append(
                InvalidLine(
                    first,
                    f"a quoted field runs from line {first} to line {number}: an unterminated quote? "
                    "(no column holds a line break; lines after it were read as that field)",
                )
            )
            return
        joined = "".join(values)
        problem = None
        if not joined.isascii() and _undecodable(joined) is not None:  # then one value is not
            problem = next(p for p in map(_undecodable, values) if p is not None)
            problem = problem.replace(" at column", " in a field, at character")
        elif len(values) > width:
            problem = f"{len(values) - width} more field(s) than the header's {width}"
        elif len(values) < width:
            problem = f"{width - len(values)} fewer field(s) than the header's {width}"
        if problem is not None:  # the row's case, if it names one, is not evaluated without it
            if len(values) > column and values[column].strip():
                self.spoiled.add(values[column].strip())
                if values[column].strip() in self.groups:
                    self.groups[values[column].strip()].bad = True
            self.out.append(InvalidLine(number, problem))
            return
        if not joined.strip():  # every field blank (the header names known columns only)
            return
        case_id = values[column].strip()
        if not case_id:
            self.out.append(InvalidLine(number, "case_id is empty; every row names its case"))
            return
        padded = values + self.pad  # the columns the header lacks
        given = self.case_values(padded)
        group = self.groups.get(case_id)
        if group is None:
            group = self._start(case_id, number, given)
            if group is None:
                return
        elif given != group.given and "".join(given).strip():
            clash = [
                (k, v.strip())
                for k, v in zip(_CASE_COLUMNS, given, strict=True)
                if v.strip() and v.strip() != group.fields[k]
            ]
            if clash:
                k, v = clash[0]
                self.out.append(
                    InvalidLine(
                        number,
                        f"case {case_id!r}: {k} {v!r} differs from "
                        f"{group.fields[k]!r} on line {group.first}; leave it blank or repeat it",
                    )
                )
                group.bad = True
                return
        self._add_event(group, tuple(map(strip, self.event_values(padded))), number)


def _csv_case(build: Any, data: dict[str, Any], lines: tuple[int, ...]) -> CaseRecord | InvalidLine:
    """The record of a CSV case (:data:`_CsvCase`) built by ``build``, or the invalid line of
    its error: on the row of the event the message names as ``events[i]``, else the first.

    >>> data = {"id": "C-1", "severity": 2, "opened_at": "2026-03-02T09:00:00Z", "customer": {"tz": "UTC"},
    ...         "events": [{"at": "2026-03-02T10:00:00Z", "kind": "support_update"},
    ...                    {"at": "2026-03-02T11:00:00Z", "kind": "suport_update"}]}
    >>> _csv_case(CaseBuilder().build, data, (2, 2, 3)).line
    3
    >>> _csv_case(CaseBuilder().build, data | {"events": data["events"][:1]}, (2, 2)).lines
    (2, 2)
    """
    try:
        case = build(data)
    except SlocalcError as exc:
        message = one_line(str(exc))
        m = _EVENT_REF.search(message)
        index = int(m[1]) + 1 if m else 0
        return InvalidLine(lines[index] if 0 < index < len(lines) else lines[0], message)
    return CaseRecord(case, lines[0], lines)


# -- pandas frames ----------------------------------------------------------------------------


def _cell(value: object) -> object:
    """A frame cell as the JSON-ready value a case mapping holds (missing: ``None``)."""
    if value is None:
        return None
    try:
        import pandas as pd

        if not isinstance(value, str | list | tuple | dict) and pd.isna(value) is True:  # type: ignore[call-overload]
            return None  # None, NaN, NaT, NA
        if isinstance(value, pd.Timestamp):
            return value.to_pydatetime()
    except ImportError:  # pragma: no cover - frames need pandas
        pass
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        return value.item()  # a numpy scalar
    return value


def cases_from_frame(
    cases: pandas.DataFrame, events: pandas.DataFrame | None = None
) -> Iterator[CaseRecord | InvalidLine]:
    """Cases from pandas frames: one row per case, and one row per event.

    ``cases`` has the case columns of the CSV layout (``case_id``, ``severity``,
    ``opened_at``, ``tz`` and optionally ``country``, ``subdiv``, ``hours``); ``events``
    has ``case_id``, ``event_at``, ``kind`` and optionally ``status`` and
    ``new_severity``. Instants may be aware ``Timestamp`` s or ISO 8601 text; missing
    cells (``None``, ``NaN``, ``NaT``, ``NA``) are absent fields. Records come in the order of
    ``cases``; their ``line`` is the case's row counted from 1 and ``lines`` add its
    events' rows in ``events`` (counted from 1). An event naming no case is an
    :class:`InvalidLine` (numbered by its row in ``events``) after the cases; an event row
    whose event columns are all missing adds no event (as in the CSV layout).

    >>> import pandas as pd
    >>> cases = pd.DataFrame({"case_id": ["C-1"], "severity": [1],
    ...                       "opened_at": [pd.Timestamp("2026-03-02 09:00", tz="UTC")], "tz": ["UTC"]})
    >>> events = pd.DataFrame({"case_id": ["C-1"], "event_at": ["2026-03-02T10:00:00Z"],
    ...                        "kind": ["support_update"]})
    >>> [(r.case.id, len(r.case.events), r.lines) for r in cases_from_frame(cases, events)]
    [('C-1', 1, (1, 1))]
    """
    missing = [c for c in ("case_id", "severity", "opened_at", "tz") if c not in cases.columns]
    if missing:
        raise SlocalcValueError(
            f"cases frame: missing column(s) {', '.join(missing)}; expected {', '.join(CSV_COLUMNS[:7])}"
        )
    by_case: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    orphans: list[int] = []
    known = {str(_cell(v)) for v in cases["case_id"]}
    if events is not None and len(events):
        missing = [c for c in ("case_id", "event_at", "kind") if c not in events.columns]
        if missing:
            raise SlocalcValueError(
                f"events frame: missing column(s) {', '.join(missing)}; "
                f"expected case_id, event_at, kind, status, new_severity"
            )
        ev_cols = [
            c for c in ("case_id", "event_at", "kind", "status", "new_severity") if c in events.columns
        ]
        for row_number, values in enumerate(zip(*(events[c] for c in ev_cols), strict=True), start=1):
            row = dict(zip(ev_cols, map(_cell, values), strict=True))
            owner = str(row["case_id"])
            if owner not in known:
                orphans.append(row_number)
                continue
            if all(row.get(c) is None for c in ev_cols if c != "case_id"):
                continue  # as in the CSV layout: a row with no event columns adds no event
            event: dict[str, Any] = {"at": row["event_at"], "kind": row["kind"]}
            if row.get("status") is not None:
                event["status"] = row["status"]
            if row.get("new_severity") is not None:
                event["severity"] = row["new_severity"]
            by_case.setdefault(owner, []).append((row_number, event))
    case_cols = [c for c in CSV_COLUMNS[:7] if c in cases.columns]
    build = CaseBuilder().build
    seen: dict[str, int] = {}
    for row_number, values in enumerate(zip(*(cases[c] for c in case_cols), strict=True), start=1):
        row = dict(zip(case_cols, map(_cell, values), strict=True))
        case_id = row["case_id"]
        customer = {k: row[k] for k in ("tz", "country", "subdiv", "hours") if row.get(k) is not None}
        evs = by_case.get(str(case_id), [])
        data = {
            "id": case_id,
            "severity": row["severity"],
            "opened_at": row["opened_at"],
            "customer": customer,
            "events": [e for _, e in evs],
        }
        first = seen.setdefault(str(case_id), row_number)
        if first != row_number:
            yield InvalidLine(
                row_number, f"case {case_id!r}: duplicate case id (first on row {first}); one row per case"
            )
            continue
        try:
            case = build(data)
        except SlocalcError as exc:
            yield InvalidLine(row_number, one_line(str(exc)))
            continue
        yield CaseRecord(case, row_number, (row_number, *(n for n, _ in evs)))
    for row_number in orphans:
        yield InvalidLine(row_number, "event row names a case_id that is not in the cases frame")
