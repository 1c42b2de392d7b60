"""The first look at a CSV export's case ids, a piece of bytes at a time.

``_runs_in_bytes`` reads a file the reader opened from its binary stream (no decoding)
and says whether each case id's rows form one run, as the line-by-line look
(``_runs_are_whole``) says; where it cannot tell (a quote, a carriage return, a byte
that is not ASCII, a header line with a carriage return, another encoding) it leaves the
text stream at the first piece it did not look at, for ``_runs_in_text``. Hand-worked
verdicts and Hypothesis properties against the line-by-line look, with any piece size.
"""

from __future__ import annotations

import io
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from slocalc.cases import _readers


def _stream(data: bytes, encoding: str = "utf-8-sig") -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(data), encoding=encoding, errors="surrogateescape", newline="")


def _look(data: bytes, chunk: int = 1 << 20, header: int = 1, column: int = 0) -> bool:
    """The verdict as ``_csv_blocks`` reaches it: the bytes, then the text from where they stopped."""
    text = _stream(data)
    check = _readers._RunCheck()
    with mock.patch.object(_readers, "_TEXT_CHUNK", chunk):
        verdict = _readers._runs_in_bytes(text, 0, header, column, check)
        return _readers._runs_in_text(text, column, check) if verdict is None else verdict


def _want(data: bytes, header: int = 1, column: int = 0) -> bool:
    lines = iter(io.StringIO(data.decode("utf-8-sig", "surrogateescape"), newline=""))
    for _ in range(header):
        next(lines, None)
    return _readers._runs_are_whole(lines, column)


def test_hand_worked_verdicts() -> None:
    for chunk in (1, 3, 7, 1 << 20):
        assert _look(b"case_id\nA,1\nA,2\n\nB,1\nC,1\n", chunk) is True
        assert _look(b"case_id\nA,1\nB,1\nA,2\n", chunk) is False
        assert _look(b"case_id\nA,1\n A,2\nB\n", chunk) is True  # stripped; a line with no comma names one
        assert _look(b"case_id\nA,1\nB,1\n A \n", chunk) is False
        assert _look(b"case_id\nA B,1\nA B,2\nC,1\nA B,3\n", chunk) is False  # a space inside an id
        assert _look(b"case_id\n\x1cA,1\nB,1\nA,2\n", chunk) is False  # str.strip takes \x1c away
        long = b"AAAAAAAAAAAAAAAAAAAA"  # longer than 16 bytes
        assert _look(b"case_id\n" + long + b",1\n" + long[:-1] + b"B,1\n" + long + b",2\n", chunk) is False
        assert _look(b"case_id\n" + long + b",1\n" + long + b",2\n" + long[:-1] + b"B,1\n", chunk) is True
        assert _look(b'case_id\nA,1\nB,1\n"A",2\n', chunk) is False  # from the quote on: the text look
        assert _look(b"case_id\nA,1\r\nB,1\r\nA,2\r\n", chunk) is False
        assert _look("case_id\nA,1\nB,1\n\u00e9,1\nA,2\n".encode(), chunk) is False
        assert _look(b"case_id\nA,1\nB,2\nC", chunk) is True
        assert _look(b"case_id\nA,1\nB,2\nA", chunk) is False
        assert _look(b"case_id", chunk) is True
        assert _look(b"case_id\n,1\n\n,2\nA,1\n,3\nA,2\n", chunk) is True  # lines that name no case
        assert _look(b"case_id\nA,1\n,1\nB,1\n\nA,2\n", chunk) is False
        assert _look(b"\xef\xbb\xbfcase_id\nA,1\nB,1\nA,2\n", chunk) is False


def test_where_it_stops() -> None:
    """It leaves the text stream at the piece it could not look at, the ids before taken."""
    text = _stream(b'case_id\nA,1\nB,1\n"A",2\nC,1\n')
    check = _readers._RunCheck()
    with mock.patch.object(_readers, "_TEXT_CHUNK", 6):
        assert _readers._runs_in_bytes(text, 0, 1, 0, check) is None
    assert text.readline() == '"A",2\n'
    assert check.current == hash("B")
    assert check.ended == {hash("A")}
    # not its case: another column, another encoding, a header with a carriage return
    for data, column, encoding in [
        (b"x,case_id\n1,A\n", 1, "utf-8-sig"),
        ("case_id\nA,1\n".encode("utf-16-le"), 0, "utf-16-le"),
        (b"case_id\r\nA,1\r\n", 0, "utf-8-sig"),
    ]:
        text = _stream(data, encoding)
        assert _readers._runs_in_bytes(text, 0, 1, column, _readers._RunCheck()) is None
        assert text.readline().startswith(("1", "A"))


def test_a_header_of_two_lines() -> None:
    data = b'"case\nid",x\nA,1\nB,1\nA,1\n'
    assert _look(data, 4, header=2) is False
    assert _look(data.replace(b"\nA,1\n", b"\nC,1\n", 1), 4, header=2) is True


_LINES = st.lists(
    st.sampled_from(
        [
            b"A,1\n",
            b"A,2\n",
            b" A,3\n",
            b"A ,3\n",
            b"B,1\n",
            b"B\n",
            b"\n",
            b",4\n",
            b"C,5",
            b"A\tB,1\n",
            b"\x1fA,1\n",
            b"AAAAAAAAAAAAAAAAAAAA,1\n",  # ids around the 16 bytes looked at
            b"AAAAAAAAAAAAAAAAAAAB,1\n",
            b"AAAAAAAAAAAAAAA,1\n",
            b"AAAAAAAAAAAAAAAA\n",
            b"AAAAAAAAAAAAAAAAA,2\n",
            b"AAAAAAAAAAAAAA B,2\n",
            b'"A",1\n',
            b"D,x\r\n",
            "\u00e9,1\n".encode(),
        ]
    ),
    max_size=16,
)


@settings(max_examples=300, deadline=None)
@given(_LINES, st.integers(1, 40))
def test_against_the_line_by_line_look(lines: list[bytes], chunk: int) -> None:
    data = b"case_id,x\n" + b"".join(lines)
    assert _look(data, chunk) is _want(data)
