"""Text cells a spreadsheet would run as a formula, neutralised on write and restored on read.

Excel, LibreOffice and Google Sheets read a cell that begins with ``=``, ``+``, ``-`` or ``@``
(and, after a leading tab or carriage return, whatever follows) as a formula, so a summary
beginning with ``=HYPERLINK(`` would run when the CSV is opened. The rule, for every text
cell of a CSV written for spreadsheets:

* a cell that begins with one of :data:`FORMULA_STARTS` gets a single quote ``'`` in front,
  which spreadsheets take as "this is text";
* a cell that already begins with ``'`` gets one more, so reading can tell the two apart;
* reading removes exactly one leading ``'`` from a cell that has one.

So :func:`unquote_cell` of :func:`quote_cell` is always the text written. Number columns are
never quoted (a negative number is not a formula). Pass ``spreadsheet=False`` to the writers
(``--raw`` on the command line) for consumers that are not spreadsheets.

>>> quote_cell("=HYPERLINK(\\"http://x\\")")
'\\'=HYPERLINK("http://x")'
>>> quote_cell("'quoted'"), quote_cell("Lima")
("''quoted'", 'Lima')
>>> unquote_cell(quote_cell("-5 donations")) == "-5 donations"
True
"""

from __future__ import annotations

from typing import Final

__all__ = ["FORMULA_STARTS", "QUOTE", "quote_cell", "unquote_cell"]

#: First characters that make a spreadsheet read a cell as a formula (OWASP's list).
FORMULA_STARTS: Final = frozenset("=+-@\t\r")
#: The mark put in front of such a cell, and in front of a cell that begins with it.
QUOTE: Final = "'"


def quote_cell(text: str) -> str:
    """The cell as written for a spreadsheet: formula starts and leading quotes get a ``'``."""
    if text and (text[0] in FORMULA_STARTS or text[0] == QUOTE):
        return QUOTE + text
    return text


def unquote_cell(cell: str) -> str:
    """The text :func:`quote_cell` was given: one leading ``'`` removed, if there is one."""
    return cell[1:] if cell.startswith(QUOTE) else cell
