"""Directive options that warn instead of removing the directive.

With ordinary option converters, one bad option costs the writer the whole
directive in reStructuredText (docutils turns the converter's exception into an
ERROR and drops the directive: a catalog vanishes), while MyST drops only the
option with its own ``myst.directive_option`` warning. Neither is a ``learn.*``
warning a project can silence, and the two parsers disagree.

So every directive of ours subclasses :class:`LearnDirective` and declares its
converters once, in an :class:`OptionSpec` together with the warning subtype of
its feature. What docutils and MyST see is that spec, in which

- each converter is wrapped so that it never raises: a value it refuses is kept
  as a :class:`Rejected` holding the raw text and the reason;
- every name it does not know is accepted too, as an :class:`Unknown`;
- an empty spec is still "true", so neither parser skips reading options.

When the directive is made (before its ``run()``), :class:`LearnDirective` turns
each of those into one ``learn.<subtype>`` warning at the directive's line and
removes the option, so its default applies and the directive is still shown. A
flag given a value (``:no-filters: yes``) is warned about and still set, since
what the writer meant is clear. Both parsers hand the converters the same text,
so reStructuredText and MyST give the same warnings on the same line.

Converters follow the docutils convention (take the text or ``None``, return
the value, raise ``ValueError`` with the reason). The reason completes the
sentence "invalid value ... for option :x: of y: <reason>".
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from sphinx_numpy_learn.log import warn
from sphinx_numpy_learn.metadata import shown

Converter = Callable[[str | None], Any]

NEEDS_VALUE = "expected a value"


# -- Converters ----------------------------------------------------------------------------


def text(argument: str | None) -> str:
    """Any text, or nothing (then ``""``)."""
    return argument or ""


def required_text(argument: str | None) -> str:
    """Text that is not empty."""
    if not argument or not argument.strip():
        raise ValueError(NEEDS_VALUE)
    return argument


def flag(argument: str | None) -> bool:
    """A flag: present means ``True``. A value is warned about; the flag is still set."""
    if argument and argument.strip():
        raise ValueError("a flag takes no value")
    return True


def choice(*values: str) -> Converter:
    """One of ``values``, in any letter case."""
    reason = f"expected one of {', '.join(values)}"

    def convert(argument: str | None) -> str:
        value = (argument or "").strip().lower()
        if value not in values:
            raise ValueError(reason)
        return value

    return convert


def class_names(argument: str | None) -> list[str]:
    """Space-separated CSS class names, each made into an identifier as docutils does."""
    if not argument or not argument.strip():
        raise ValueError(NEEDS_VALUE)
    try:
        return directives.class_option(argument)
    except ValueError:
        raise ValueError("expected class names, each with at least one letter a-z") from None


# -- The spec docutils and MyST see ----------------------------------------------------------


class Rejected:
    """A value its converter refused, kept until the directive reports it."""

    __slots__ = ("kept", "raw", "reason")

    def __init__(self, raw: str | None, reason: str, kept: Any) -> None:
        self.raw = raw
        self.reason = reason
        self.kept = kept
        """The value used anyway (a flag is set), or :data:`DROPPED`."""


class Unknown:
    """An option the directive does not have, kept until the directive reports it."""

    __slots__ = ("raw",)

    def __init__(self, raw: str | None) -> None:
        self.raw = raw


DROPPED = object()


def _unknown(argument: str | None) -> Unknown:
    return Unknown(argument)


def _lenient(converter: Converter) -> Converter:
    def convert(argument: str | None) -> Any:
        # docutils takes a NUL for its escape marker and drops it; MyST keeps it. Drop
        # it in both, so that both syntaxes read (and report) the same value.
        if argument:
            argument = argument.replace("\x00", "")
        try:
            return converter(argument)
        except (ValueError, TypeError) as error:
            kept = True if converter is flag else DROPPED
            return Rejected(argument, str(error) or NEEDS_VALUE, kept)

    convert.__name__ = f"lenient_{getattr(converter, '__name__', 'converter')}"
    return convert


class OptionSpec(dict[str, Converter]):
    """A directive's options: ``{name: converter}`` and the ``learn.*`` subtype of
    its warnings. Used as the directive's ``option_spec``."""

    def __init__(self, converters: Mapping[str, Converter] | None = None, *, subtype: str):
        self.converters: dict[str, Converter] = dict(converters or {})
        """The converters as declared (unwrapped)."""
        self.subtype = subtype
        super().__init__({name: _lenient(c) for name, c in self.converters.items()})

    def __missing__(self, name: str) -> Converter:
        # Both parsers look converters up with spec[name]: unknown names get here.
        return _unknown

    def __bool__(self) -> bool:
        # docutils and MyST read no options at all for an empty spec.
        return True

    def extended(self, converters: Mapping[str, Converter], *, subtype: str) -> OptionSpec:
        """This spec with more options (a directive that extends another)."""
        return OptionSpec({**self.converters, **converters}, subtype=subtype)

    def checked(self, options: Mapping[str, Any], directive: str, location: str) -> dict[str, Any]:
        """``options`` without the bad ones, each reported as a ``learn.*`` warning."""
        result: dict[str, Any] = {}
        for name, value in options.items():
            if isinstance(value, Unknown):
                self._warn(self._unknown_message(name, directive), location)
            elif isinstance(value, Rejected):
                self._warn(_rejected_message(name, value, directive), location)
                if value.kept is not DROPPED:
                    result[name] = value.kept
            else:
                result[name] = value
        return result

    def _unknown_message(self, name: str, directive: str) -> str:
        known = list(self.converters)
        if not known:
            return f"unknown option :{name}: of {directive}, which takes no options; it is ignored"
        close = difflib.get_close_matches(name, known, n=1)
        hint = f"did you mean :{close[0]}:? " if close else ""
        return (
            f"unknown option :{name}: of {directive} ({hint}known options: "
            f"{', '.join(known)}); the option is ignored"
        )

    def _warn(self, message: str, location: str) -> None:
        warn(message, subtype=self.subtype, location=location)


def _rejected_message(name: str, value: Rejected, directive: str) -> str:
    where = f"option :{name}: of {directive}"
    if value.kept is not DROPPED:
        return f"{where} is a flag and takes no value, got {shown(value.raw or '')}; it is set"
    if not value.raw or not value.raw.strip():
        needs = "" if value.reason == NEEDS_VALUE else f" ({value.reason})"
        return f"{where} needs a value{needs}; the option is ignored"
    return f"invalid value {shown(value.raw)} for {where}: {value.reason}; the option is ignored"


class LearnDirective(SphinxDirective):
    """A directive whose bad options are ``learn.*`` warnings, never a lost directive.

    Subclasses set ``option_spec`` to an :class:`OptionSpec`. By the time ``run()``
    is called, ``self.options`` holds only good values; every bad one has been
    reported at the directive's line.
    """

    option_spec: ClassVar[OptionSpec]
    options: dict[str, Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        spec = self.option_spec
        if isinstance(spec, OptionSpec):
            self.options = spec.checked(self.options, self.name, self.get_location())
