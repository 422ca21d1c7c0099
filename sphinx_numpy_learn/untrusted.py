"""Text from notebooks, kernels and readers, made safe to show.

An exception message, a traceback or a kernel's stderr is whatever the notebook's
code printed: terminal colour codes, hyperlinks (OSC 8), a bell, a NUL. Raw, such
text rewrites the reader's terminal line, forges GitHub annotations and makes the
XML of an epub or ``-b xml`` build invalid. :func:`printable` is the one place that
cleans it, and everything that writes such text calls it.
"""

from __future__ import annotations

import re

# Whole ANSI/ECMA-48 escape sequences, 7-bit and 8-bit forms, so that no parameter
# bytes or link targets are left behind when the ESC byte goes:
_ESCAPE_SEQUENCE = re.compile(
    r"""
    (?:\x1b\[|\x9b) [\x30-\x3f]* [\x20-\x2f]* [\x40-\x7e]  # CSI: colours, cursor moves
    | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])              # OSC (hyperlinks), DCS, SOS, PM,
      [^\x07\x1b\x9c]* (?:\x07|\x1b\\|\x9c)                  # APC: up to their terminator
    | \x1b [\x20-\x2f]* [\x30-\x7e]                        # two-byte escapes (ESC 7, ESC c)
    """,
    re.VERBOSE,
)
# What is left that a terminal or an XML parser would act on: C0 controls but tab and
# newline, DEL, C1 controls, lone surrogates (from JSON "\ud800") and the two
# non-characters XML forbids.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# Colours (SGR), which MyST-NB's ANSI lexer turns into styles on HTML pages.
_COLOUR = re.compile(r"\x1b\[[0-9;:]*m")


def printable(text: str, *, keep_colours: bool = False) -> str:
    """``text`` without escape sequences (but colours, with ``keep_colours``); other
    control characters shown as escapes (``\\x00``), so nothing is lost that a reader
    may need. Carriage returns end lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    pieces: list[str] = []
    end = 0
    for sequence in _ESCAPE_SEQUENCE.finditer(text):
        pieces.append(_CONTROL.sub(_escaped, text[end : sequence.start()]))
        if keep_colours and _COLOUR.fullmatch(sequence[0]):
            pieces.append(sequence[0])
        end = sequence.end()
    pieces.append(_CONTROL.sub(_escaped, text[end:]))
    return "".join(pieces)


def _escaped(match: re.Match[str]) -> str:
    code = ord(match[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
