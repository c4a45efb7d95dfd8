"""Reading an uploaded CSV file: one way for every import (and one way to write a cell).

Spreadsheets save CSV as UTF-8 with or without a byte order mark, and end lines with LF,
CRLF or (old Macs, some exports) a bare CR. The text is read with universal newlines
(newline=""), so the csv module sees each line break, and a break inside a quoted cell keeps
its own characters. Anything the csv module cannot read comes back as CSVFileError, with a
message for the person who uploaded the file; callers show it as a form error, never a 500.
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass

NOT_UTF8 = (
    "The file is not UTF-8 text: it must be a CSV file saved as UTF-8 "
    "(in a spreadsheet, save as “CSV UTF-8”)"
)
NOT_CSV = "The file is not a CSV file (it contains binary data). Save it as “CSV UTF-8”"


# Spreadsheets run cells starting with these as formulas: prefix them with a quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class CSVFileError(ValueError):
    """The upload cannot be read as CSV; str(error) says why, for the person who sent it."""


@dataclass
class CSVTable:
    header: list[str]  # the first row, as cleaned by read_csv's clean_header
    rows: list[dict]  # one dict per row: header -> cell; cells past the header under None


def decode(data: bytes) -> str:
    """UTF-8 text, without a byte order mark; CSVFileError for anything else."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CSVFileError(NOT_UTF8) from exc
    if "\x00" in text:  # a spreadsheet's binary format, or UTF-16; no database stores NUL
        raise CSVFileError(NOT_CSV)
    return text


def read_csv(
    file,
    *,
    max_rows: int | None = None,
    clean_header: Callable[[str], str] | None = None,
) -> CSVTable:
    """Read an uploaded CSV file (an object with read() giving bytes) with its header row.

    Blank lines are skipped. With max_rows, reading stops at max_rows + 1 rows, so the caller
    can say the file is too long without reading all of it. Raises CSVFileError.
    """
    text = decode(file.read())
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        # The header row is read here too: a file that breaks the csv module on its first line
        # is as unreadable as one that breaks it later.
        header = list(reader.fieldnames or [])
        if clean_header is not None:
            header = [clean_header(name) for name in header]
            reader.fieldnames = header
        rows = []
        for row in reader:
            rows.append(row)
            if max_rows is not None and len(rows) > max_rows:
                break
    except csv.Error as exc:
        line = f" (line {reader.line_num})" if reader.line_num else ""
        raise CSVFileError(f"The file could not be read as CSV{line}: {exc}") from exc
    return CSVTable(header=header, rows=rows)
