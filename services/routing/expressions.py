"""The expression language of TaskQueue ``targetWorkers``, workflow filter ``expression``s and
workflow target ``expression``s.

An expression is parsed once into a small syntax tree and compiled into nested closures (no
``eval``/``exec``); compiled expressions are cached by source text. See docs/expressions.md for the
grammar and the exact semantics. Summary::

    skills HAS 'sales' AND languages[any] = 'en'
    task.language IN worker.languages
    (skill = 'support') AND NOT (level < 3 OR "team" == "red")

Evaluation never raises for any JSON attribute document: a missing (or JSON null) attribute makes a
comparison false, comparing incomparable types is false.

Contexts: a path whose first segment is ``worker`` (``task``) is looked up in the ``worker``
(``task``) mapping when one is passed to :meth:`Expression.matches`, otherwise in ``attributes``.
"""

from __future__ import annotations

import functools
import operator
import re
import time
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

__all__ = [
    "Expression",
    "ExpressionError",
    "bench_ns_per_eval",
    "compile_expression",
    "validate_expression",
]

MAX_NESTING = 64  # parentheses + NOT; keeps parsing and evaluation far from the recursion limit
TOO_DEEP = f"expression nested too deeply (more than {MAX_NESTING} levels of NOT and parentheses)"
# Size and complexity bounds (docs/expressions.md): parsing is linear, so these keep the worst
# expression to milliseconds; the length is checked before any parsing, so a huge one costs nothing.
MAX_SOURCE_CHARS = 16_384
MAX_TOKENS = 4_096  # names, literals, operators and keywords: what evaluation walks


# --------------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------------


class ExpressionError(ValueError):
    """A syntax error. ``message`` says what was expected and where; ``position`` is the 0-based
    character offset of the problem in ``source``."""

    def __init__(self, message: str, position: int = 0, source: str = "") -> None:
        super().__init__(message, position, source)
        self.message = message
        self.position = position
        self.source = source

    def __str__(self) -> str:
        return self.message


_Fn = Callable[[Any, Any, Any], bool]


class Expression:
    """A compiled expression. Immutable; safe to share between threads."""

    __slots__ = ("_fn", "source")

    def __init__(self, source: str, fn: _Fn) -> None:
        self.source = source
        self._fn = fn

    def matches(
        self,
        attributes: Mapping[str, Any] | None,
        *,
        task: Mapping[str, Any] | None = None,
        worker: Mapping[str, Any] | None = None,
    ) -> bool:
        return self._fn(_EMPTY if attributes is None else attributes, task, worker)

    __call__ = matches

    def __repr__(self) -> str:
        return f"Expression({self.source!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Expression) and other.source == self.source

    def __hash__(self) -> int:
        return hash(("Expression", self.source))


def compile_expression(source: str) -> Expression:
    """Parses and compiles ``source``; raises :class:`ExpressionError`. Results are cached."""
    if not isinstance(source, str):
        raise ExpressionError(
            f"an expression must be a string, not {type(source).__name__} at position 0", 0, ""
        )
    if len(source) > MAX_SOURCE_CHARS:
        raise ExpressionError(
            f"expression is {len(source)} characters long; the limit is {MAX_SOURCE_CHARS}", MAX_SOURCE_CHARS, source
        )
    return _compile_cached(str(source))


def validate_expression(source: str) -> None:
    """Raises :class:`ExpressionError` if ``source`` is not a valid expression."""
    compile_expression(source)


def bench_ns_per_eval(
    source: str,
    attrs: Mapping[str, Any],
    n: int = 100000,
    *,
    task: Mapping[str, Any] | None = None,
    worker: Mapping[str, Any] | None = None,
) -> float:
    """Nanoseconds per ``compile_expression(source).matches(attrs, ...)`` call (compile excluded,
    loop overhead included), best of three runs of ``n`` calls."""
    matches = compile_expression(source).matches
    n = max(1, int(n))
    loop = range(n)
    best = float("inf")
    for _ in range(3):
        if task is None and worker is None:
            start = time.perf_counter_ns()
            for _ in loop:
                matches(attrs)
            elapsed = time.perf_counter_ns() - start
        else:
            start = time.perf_counter_ns()
            for _ in loop:
                matches(attrs, task=task, worker=worker)
            elapsed = time.perf_counter_ns() - start
        best = min(best, elapsed)
    return best / n


# --------------------------------------------------------------------------------------------------
# Lexer
# --------------------------------------------------------------------------------------------------


class _Tok(NamedTuple):
    kind: str  # 'num' | 'str' | 'ident' | 'kw' | 'op' | 'eof'
    value: Any  # number / decoded string / identifier text / KEYWORD / operator text
    pos: int
    text: str  # as written in the source
    dq: bool = False  # string literal written with double quotes


_KEYWORDS = frozenset({"AND", "OR", "NOT", "IN", "HAS", "CONTAINS", "TRUE", "FALSE", "NULL"})

_WS_RE = re.compile(r"\s+")
_NUM_TOKEN_RE = re.compile(r"-?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_IDENT_RE = re.compile(r"[^\W\d]\w*(?:\.\w+)*")
_OPS = ("==", "!=", "<>", "<=", ">=", "&&", "||", "=", "<", ">", "!", "(", ")", "[", "]", ",")
_ESCAPES = {"\\": "\\", "'": "'", '"': '"', "/": "/", "n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f"}
_HEX4_RE = re.compile(r"[0-9a-fA-F]{4}")


def _number(text: str) -> int | float:
    if "." not in text and "e" not in text and "E" not in text:
        try:
            return int(text)
        except ValueError:  # more digits than int() accepts from a string
            pass
    return float(text)


def _error(source: str, message: str, pos: int) -> ExpressionError:
    return ExpressionError(f"{message} at position {pos}", pos, source)


def _read_string(src: str, start: int) -> tuple[str, int]:
    quote = src[start]
    out: list[str] = []
    i = start + 1
    n = len(src)
    while i < n:
        c = src[i]
        if c == quote:
            return "".join(out), i + 1
        if c == "\\":
            if i + 1 >= n:
                break
            e = src[i + 1]
            if e in _ESCAPES:
                out.append(_ESCAPES[e])
                i += 2
                continue
            if e == "u" and _HEX4_RE.fullmatch(src, i + 2, i + 6):
                out.append(chr(int(src[i + 2 : i + 6], 16)))
                i += 6
                continue
            raise _error(
                src,
                f"invalid escape '\\{e}' in string (use \\\\, \\', \\\", \\n, \\t, \\r or \\uXXXX)",
                i,
            )
        out.append(c)
        i += 1
    raise _error(src, f"unterminated string: missing closing {quote} for the string starting", start)


def _tokenize(src: str) -> list[_Tok]:
    toks: list[_Tok] = []
    i = 0
    n = len(src)
    while i < n:
        if len(toks) >= MAX_TOKENS:
            raise _error(src, f"expression has more than {MAX_TOKENS} names, values and operators", i)
        c = src[i]
        m = _WS_RE.match(src, i)
        if m:
            i = m.end()
            continue
        if c == "'" or c == '"':
            value, end = _read_string(src, i)
            toks.append(_Tok("str", value, i, src[i:end], c == '"'))
            i = end
            continue
        m = _NUM_TOKEN_RE.match(src, i)
        if m:
            text = m.group()
            toks.append(_Tok("num", _number(text), i, text))
            i = m.end()
            continue
        m = _IDENT_RE.match(src, i)
        if m:
            text = m.group()
            end = m.end()
            if end < n and src[end] == ".":
                raise _error(src, f"expected an attribute name after '{text}.'", end + 1)
            upper = text.upper()
            if text.isascii() and upper in _KEYWORDS:
                toks.append(_Tok("kw", upper, i, text))
            else:
                toks.append(_Tok("ident", text, i, text))
            i = end
            continue
        for op in _OPS:
            if src.startswith(op, i):
                toks.append(_Tok("op", op, i, op))
                i += len(op)
                break
        else:
            if c == "-":
                hint = (" (attribute names cannot contain '-'; write the name in double quotes on the left of a"
                        " comparison, e.g. \"skill-level\" > 3)")
            elif c in "&|":
                hint = f" (did you mean '{c}{c}'?)"
            elif c == ".":
                hint = " (an attribute path cannot start or end with '.')"
            else:
                hint = ""
            raise _error(src, f"unexpected character {c!r}{hint}", i)
    toks.append(_Tok("eof", None, n, ""))
    return toks


# --------------------------------------------------------------------------------------------------
# Parser -> syntax tree
# --------------------------------------------------------------------------------------------------


class _Path(NamedTuple):
    segs: tuple[str, ...]
    quant: str | None  # None | 'any' | 'all'


class _Lit(NamedTuple):
    value: Any  # str | int | float | bool | None (None = the null literal)
    dq: bool = False


class _List(NamedTuple):
    values: tuple[Any, ...]


# Node shapes: ('or', [nodes]) ('and', [nodes]) ('not', node) ('cmp', left, op, right) ('bare', operand)

_CMP_OPS = {"=": "EQ", "==": "EQ", "!=": "NE", "<>": "NE", "<": "LT", "<=": "LE", ">": "GT", ">=": "GE"}
_VALUE_KINDS = ("num", "str", "ident")
_LITERAL_KWS = {"TRUE": True, "FALSE": False, "NULL": None}


class _Parser:
    def __init__(self, src: str) -> None:
        self.src = src
        self.toks = _tokenize(src)
        self.i = 0
        self.prev: _Tok | None = None

    # helpers --------------------------------------------------------------------------------------

    def peek(self, k: int = 0) -> _Tok:
        return self.toks[min(self.i + k, len(self.toks) - 1)]

    def advance(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        self.prev = tok
        return tok

    @staticmethod
    def show(tok: _Tok) -> str:
        if tok.kind == "eof":
            return "the end of the expression"
        text = tok.text if len(tok.text) <= 30 else tok.text[:27] + "..."
        return repr(text) if tok.kind != "str" else text

    def fail(self, message: str, pos: int) -> ExpressionError:
        return _error(self.src, message, pos)

    def expected(self, what: str, tok: _Tok | None = None, note: str = "") -> ExpressionError:
        tok = tok or self.peek()
        after = f" after {self.show(self.prev)}" if self.prev is not None else ""
        note = f"; {note}" if note else ""
        if tok.kind == "eof":
            return ExpressionError(
                f"expected {what}{after} at position {tok.pos} (end of expression){note}", tok.pos, self.src
            )
        return ExpressionError(
            f"expected {what}{after} but found {self.show(tok)} at position {tok.pos}{note}", tok.pos, self.src
        )

    def is_op(self, tok: _Tok, *ops: str) -> bool:
        return tok.kind == "op" and tok.value in ops

    def is_kw(self, tok: _Tok, *kws: str) -> bool:
        return tok.kind == "kw" and tok.value in kws

    # grammar --------------------------------------------------------------------------------------

    def parse(self):
        if self.peek().kind == "eof":
            raise ExpressionError("expression is empty at position 0", 0, self.src)
        node = self.parse_or(0)
        tok = self.peek()
        if tok.kind != "eof":
            if self.is_op(tok, ")"):
                raise self.fail("unexpected ')' without a matching '('", tok.pos)
            raise self.expected("AND, OR or the end of the expression", tok)
        return node

    def parse_or(self, depth: int):
        items = [self.parse_and(depth)]
        while True:
            tok = self.peek()
            if self.is_kw(tok, "OR") or self.is_op(tok, "||"):
                self.advance()
                items.append(self.parse_and(depth))
            else:
                break
        return items[0] if len(items) == 1 else ("or", items)

    def parse_and(self, depth: int):
        items = [self.parse_not(depth)]
        while True:
            tok = self.peek()
            if self.is_kw(tok, "AND") or self.is_op(tok, "&&"):
                self.advance()
                items.append(self.parse_not(depth))
            else:
                break
        return items[0] if len(items) == 1 else ("and", items)

    def parse_not(self, depth: int):
        tok = self.peek()
        if self.is_kw(tok, "NOT") or self.is_op(tok, "!"):
            if depth >= MAX_NESTING:
                raise self.fail(TOO_DEEP, tok.pos)
            self.advance()
            return ("not", self.parse_not(depth + 1))
        return self.parse_primary(depth)

    def parse_primary(self, depth: int):
        tok = self.peek()
        if self.is_op(tok, "("):
            if depth >= MAX_NESTING:
                raise self.fail(TOO_DEEP, tok.pos)
            self.advance()
            node = self.parse_or(depth + 1)
            close = self.peek()
            if not self.is_op(close, ")"):
                raise self.expected("')'", close, f"the '(' at position {tok.pos} is not closed")
            self.advance()
            return node
        if tok.kind in _VALUE_KINDS or (tok.kind == "kw" and tok.value in _LITERAL_KWS):
            return self.parse_comparison()
        raise self.expected("an expression", tok, "for example skills HAS 'sales', NOT ..., or ( ... )")

    def parse_comparison(self):
        left_tok = self.peek()
        left = self.parse_operand(left=True)
        tok = self.peek()
        if tok.kind == "op" and tok.value in _CMP_OPS:
            self.advance()
            op = _CMP_OPS[tok.value]
            right = self.parse_operand(left=False)
        elif self.is_kw(tok, "IN"):
            self.advance()
            op = "IN"
            right = self.parse_in_rhs()
        elif self.is_kw(tok, "HAS", "CONTAINS"):
            self.advance()
            op = tok.value
            right = self.parse_operand(left=False)
        elif self.is_kw(tok, "NOT"):
            nxt = self.peek(1)
            if not self.is_kw(nxt, "IN", "HAS", "CONTAINS"):
                self.advance()
                raise self.expected("IN, HAS or CONTAINS", nxt)
            self.advance()
            self.advance()
            op = "NOT_" + nxt.value
            right = self.parse_in_rhs() if nxt.value == "IN" else self.parse_operand(left=False)
        else:
            # No operator: a bare attribute (or true/false) is a test for the boolean true.
            bare_ok = isinstance(left, _Path) or (
                isinstance(left, _Lit) and left_tok.kind == "kw" and left.value is not None
            )
            if not bare_ok or tok.kind in _VALUE_KINDS or self.is_op(tok, "(", "["):
                raise self.expected("a comparison operator", tok,
                                    "one of =, ==, !=, <>, <, <=, >, >=, IN, HAS, CONTAINS")
            return ("bare", left)
        # Dialect: "name" == 'literal' -- a double-quoted string on the left of a comparison with a
        # literal on the right names an attribute.
        if isinstance(left, _Lit) and left.dq and isinstance(right, (_Lit, _List)):
            left = _Path(tuple(left.value.split(".")), None)
        return ("cmp", left, op, right)

    def parse_operand(self, left: bool):
        tok = self.peek()
        if tok.kind == "ident":
            self.advance()
            quant = None
            if self.is_op(self.peek(), "["):
                open_tok = self.advance()
                word = self.peek()
                if not (word.kind == "ident" and word.text.isascii() and word.text.lower() in ("any", "all")):
                    raise self.expected("'any' or 'all' inside '[...]'", word)
                self.advance()
                close = self.peek()
                if not self.is_op(close, "]"):
                    raise self.expected("']'", close)
                self.advance()
                if not left:
                    raise self.fail(
                        f"'[{word.text}]' is only allowed on the left-hand side of an operator", open_tok.pos
                    )
                quant = word.text.lower()
            return _Path(tuple(tok.value.split(".")), quant)
        if tok.kind in ("num", "str"):
            self.advance()
            return _Lit(tok.value, tok.dq)
        if tok.kind == "kw" and tok.value in _LITERAL_KWS:
            self.advance()
            return _Lit(_LITERAL_KWS[tok.value])
        if not left and self.is_op(tok, "(", "["):
            raise self.expected("a value", tok, "a list is only allowed after IN / NOT IN")
        raise self.expected("a value", tok)

    def parse_in_rhs(self):
        tok = self.peek()
        if tok.kind == "ident":
            return self.parse_operand(left=False)
        if not self.is_op(tok, "(", "["):
            raise self.expected("a list such as ('a', 'b') or an attribute", tok)
        open_tok = self.advance()
        closing = ")" if open_tok.value == "(" else "]"
        values: list[Any] = []
        if self.is_op(self.peek(), closing):
            self.advance()
            return _List(())
        while True:
            item = self.peek()
            if item.kind in ("num", "str"):
                values.append(item.value)
            elif item.kind == "kw" and item.value in _LITERAL_KWS:
                values.append(_LITERAL_KWS[item.value])
            else:
                raise self.expected("a literal value in the list", item)
            self.advance()
            sep = self.peek()
            if self.is_op(sep, ","):
                self.advance()
                continue
            if self.is_op(sep, closing):
                self.advance()
                return _List(tuple(values))
            raise self.expected(f"',' or '{closing}'", sep, f"the list opened at position {open_tok.pos} is not closed")


# --------------------------------------------------------------------------------------------------
# Value semantics
# --------------------------------------------------------------------------------------------------

_EMPTY: Mapping[str, Any] = {}
_LIST = (list, tuple)
_NUM_STR_RE = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def _num_of_str(s: str) -> int | float | None:
    """The number a numeric string spells ('42', '-1.5', '1e3'), else None."""
    if _NUM_STR_RE.fullmatch(s) is None:
        return None
    try:
        return _number(s)
    except (ValueError, OverflowError):  # pragma: no cover - float() saturates to inf
        return None


def _eq(a: Any, b: Any) -> bool:
    """Equality of two attribute values (neither is the null literal)."""
    if a is None or b is None:
        return False
    ta = type(a)
    tb = type(b)
    if ta is str:
        if tb is str:
            return a == b
        if tb is int or tb is float:
            n = _num_of_str(a)
            return n is not None and n == b
        return False
    if ta is int or ta is float:
        if tb is int or tb is float:
            return a == b
        if tb is str:
            n = _num_of_str(b)
            return n is not None and a == n
        return False
    if ta is bool or tb is bool:
        return a is b
    if isinstance(a, _LIST):
        return isinstance(b, _LIST) and list(a) == list(b)
    if isinstance(a, Mapping):
        return isinstance(b, Mapping) and dict(a) == dict(b)
    return False


def _cmp(a: Any, b: Any) -> int | None:
    """-1/0/1 for ordered comparison, None when the two values are not comparable."""
    ta = type(a)
    tb = type(b)
    if ta is str:
        if tb is str:
            return (a > b) - (a < b)
        if tb is int or tb is float:
            a = _num_of_str(a)
            if a is None:
                return None
        else:
            return None
    elif ta is int or ta is float:
        if tb is str:
            b = _num_of_str(b)
            if b is None:
                return None
        elif not (tb is int or tb is float):
            return None
    else:
        return None
    try:
        return (a > b) - (a < b)
    except TypeError:  # pragma: no cover
        return None


_ORDER = {"LT": operator.lt, "LE": operator.le, "GT": operator.gt, "GE": operator.ge}
_SWAP = {"EQ": "EQ", "NE": "NE", "LT": "GT", "LE": "GE", "GT": "LT", "GE": "LE"}


def _false(v: Any) -> bool:
    return False


def _is_num(v: Any) -> bool:
    t = type(v)
    return t is int or t is float


# Predicates with a constant right-hand side: value -> bool ------------------------------------------


def _eq_const(c: Any) -> Callable[[Any], bool]:
    if c is None:  # the null literal: absent or JSON null
        return lambda v: v is None
    if c is True or c is False:
        return lambda v: v is c
    if _is_num(c):
        def eq_num(v: Any) -> bool:
            t = type(v)
            if t is int or t is float:
                return v == c
            if t is str:
                n = _num_of_str(v)
                return n is not None and n == c
            return False
        return eq_num
    cn = _num_of_str(c)
    if cn is None:
        # A non-numeric string equals only the identical string; Python's == says exactly that
        # for every JSON type (no coercion, lists/dicts/numbers/bools are never equal to a str).
        return lambda v: v == c

    def eq_numstr(v: Any) -> bool:
        t = type(v)
        if t is str:
            return v == c
        if t is int or t is float:
            return v == cn
        return False
    return eq_numstr


def _order_const(op: str, c: Any) -> Callable[[Any], bool]:
    fn = _ORDER[op]
    if c is None or c is True or c is False:
        return _false
    if _is_num(c):
        def order_num(v: Any) -> bool:
            t = type(v)
            if t is int or t is float:
                return fn(v, c)
            if t is str:
                n = _num_of_str(v)
                return n is not None and fn(n, c)
            return False
        return order_num
    cn = _num_of_str(c)
    if cn is None:
        return lambda v: type(v) is str and fn(v, c)

    def order_numstr(v: Any) -> bool:
        t = type(v)
        if t is str:
            return fn(v, c)
        if t is int or t is float:
            return fn(v, cn)
        return False
    return order_numstr


def _in_const(values: tuple[Any, ...]) -> Callable[[Any], bool]:
    strs = frozenset(x for x in values if type(x) is str)
    nums = frozenset(x for x in values if _is_num(x))
    str_nums = frozenset(n for n in (_num_of_str(s) for s in strs) if n is not None)
    has_null = any(x is None for x in values)
    has_true = any(x is True for x in values)
    has_false = any(x is False for x in values)
    if not nums and not str_nums and not has_null and not has_true and not has_false:
        return lambda v: type(v) is str and v in strs
    has_nums = bool(nums)

    def in_list(v: Any) -> bool:
        t = type(v)
        if t is str:
            if v in strs:
                return True
            if has_nums:
                n = _num_of_str(v)
                return n is not None and n in nums
            return False
        if t is int or t is float:
            return v in nums or v in str_nums
        if v is None:
            return has_null
        if t is bool:
            return has_true if v else has_false
        return False
    return in_list


def _has_const(c: Any) -> Callable[[Any], bool]:
    if c is None:
        return lambda v: isinstance(v, _LIST) and None in v
    if c is True or c is False:
        def has_bool(v: Any) -> bool:
            if isinstance(v, _LIST):
                for e in v:
                    if e is c:
                        return True
            return False
        return has_bool
    if type(c) is str and _num_of_str(c) is None:
        return lambda v: isinstance(v, _LIST) and c in v
    eq = _eq_const(c)

    def has_eq(v: Any) -> bool:
        if isinstance(v, _LIST):
            for e in v:
                if eq(e):
                    return True
        return False
    return has_eq


def _pred_const(op: str, c: Any) -> Callable[[Any], bool]:
    """Predicate on the left value for ``<left> op c`` where c is a literal (or a tuple for IN)."""
    if op == "EQ":
        return _eq_const(c)
    if op == "NE":
        if c is None:
            return lambda v: v is not None
        eq = _eq_const(c)
        return lambda v: v is not None and not eq(v)
    if op in _ORDER:
        return _order_const(op, c)
    if op == "IN":
        return _in_const(c)
    if op == "NOT_IN":
        inl = _in_const(c)
        return lambda v: v is not None and not inl(v)
    if op == "HAS":
        return _has_const(c)
    if op == "NOT_HAS":
        has = _has_const(c)
        return lambda v: isinstance(v, _LIST) and not has(v)
    has = _has_const(c)
    if op == "CONTAINS":
        if type(c) is str:
            return lambda v: (c in v) if type(v) is str else has(v)
        return has
    if op == "NOT_CONTAINS":
        if type(c) is str:
            def not_contains_str(v: Any) -> bool:
                if type(v) is str:
                    return c not in v
                return isinstance(v, _LIST) and not has(v)
            return not_contains_str
        return lambda v: isinstance(v, _LIST) and not has(v)
    raise AssertionError(op)  # pragma: no cover


# Predicates with a dynamic right-hand side: (left, right) -> bool -------------------------------------


def _any_eq(items: Any, x: Any) -> bool:
    """any(_eq(e, x) for e in items), with the common cases kept cheap."""
    if x is None:
        return False
    tx = type(x)
    if tx is str:
        if x in items:  # for a str, Python's == is exactly _eq among strings
            return True
        xn = _MISSING
        for e in items:
            te = type(e)
            if te is int or te is float:
                if xn is _MISSING:
                    xn = _num_of_str(x)
                    if xn is None:
                        return False
                if xn == e:
                    return True
        return False
    if tx is int or tx is float:
        for e in items:
            te = type(e)
            if te is int or te is float:
                if e == x:
                    return True
            elif te is str:
                n = _num_of_str(e)
                if n is not None and n == x:
                    return True
        return False
    if tx is bool:
        return any(e is x for e in items)
    return any(_eq(e, x) for e in items)


_MISSING = object()


def _pred_dynamic(op: str) -> Callable[[Any, Any], bool]:
    if op == "EQ":
        return _eq
    if op == "NE":
        return lambda a, b: a is not None and b is not None and not _eq(a, b)
    if op in _ORDER:
        fn = _ORDER[op]

        def order_dynamic(a: Any, b: Any) -> bool:
            ta = type(a)
            tb = type(b)
            if ((ta is int or ta is float) and (tb is int or tb is float)) or (ta is str and tb is str):
                return fn(a, b)
            c = _cmp(a, b)
            return c is not None and fn(c, 0)
        return order_dynamic
    if op == "IN":
        return lambda a, b: isinstance(b, _LIST) and _any_eq(b, a)
    if op == "NOT_IN":
        return lambda a, b: a is not None and isinstance(b, _LIST) and not _any_eq(b, a)
    if op == "HAS":
        return lambda a, b: isinstance(a, _LIST) and _any_eq(a, b)
    if op == "NOT_HAS":
        return lambda a, b: b is not None and isinstance(a, _LIST) and not _any_eq(a, b)

    def contains(a: Any, b: Any) -> bool:
        if type(a) is str:
            return type(b) is str and b in a
        return isinstance(a, _LIST) and _any_eq(a, b)
    if op == "CONTAINS":
        return contains

    def not_contains(a: Any, b: Any) -> bool:
        if b is None:
            return False
        if type(a) is str:
            return type(b) is str and b not in a
        return isinstance(a, _LIST) and not _any_eq(a, b)
    if op == "NOT_CONTAINS":
        return not_contains
    raise AssertionError(op)  # pragma: no cover


# --------------------------------------------------------------------------------------------------
# Compiler: syntax tree -> closures (attributes, task, worker) -> bool
# --------------------------------------------------------------------------------------------------


def _walk(d: Any, segs: tuple[str, ...]) -> Any:
    for s in segs:
        if type(d) is dict or isinstance(d, Mapping):
            d = d.get(s)
        else:
            return None
    return d


_Getter = Callable[[Any, Any, Any], Any]


def _getter(segs: tuple[str, ...]) -> _Getter:
    first = segs[0]
    if first == "worker" or first == "task":
        rest = segs[1:]
        if len(rest) == 1:
            key = rest[0]
            if first == "worker":
                def get_worker_key(a: Any, t: Any, w: Any) -> Any:
                    if w is None:
                        return _walk(a, segs)
                    if type(w) is dict:
                        return w.get(key)
                    return _walk(w, rest)
                return get_worker_key

            def get_task_key(a: Any, t: Any, w: Any) -> Any:
                if t is None:
                    return _walk(a, segs)
                if type(t) is dict:
                    return t.get(key)
                return _walk(t, rest)
            return get_task_key
        if first == "worker":
            def get_worker(a: Any, t: Any, w: Any) -> Any:
                if w is not None:
                    return _walk(w, rest)
                return _walk(a, segs)
            return get_worker

        def get_task(a: Any, t: Any, w: Any) -> Any:
            if t is not None:
                return _walk(t, rest)
            return _walk(a, segs)
        return get_task
    if len(segs) == 1:
        return lambda a, t, w: a.get(first)
    if len(segs) == 2:
        second = segs[1]

        def get2(a: Any, t: Any, w: Any) -> Any:
            d = a.get(first)
            if type(d) is dict or isinstance(d, Mapping):
                return d.get(second)
            return None
        return get2
    return lambda a, t, w: _walk(a, segs)


def _simple_key(path: _Path) -> str | None:
    """The key when a path is one plain top-level key (the lookup can be inlined)."""
    if len(path.segs) == 1 and path.segs[0] not in ("worker", "task"):
        return path.segs[0]
    return None


def _const(value: bool) -> _Fn:
    if value:
        return lambda a, t, w: True
    return lambda a, t, w: False


def _quantified(path: _Path, pred: Callable[[Any], bool]) -> _Fn:
    """Closure applying pred to the path's value, or to its elements for [any]/[all]."""
    key = _simple_key(path)
    get = _getter(path.segs)
    if path.quant is None:
        if key is not None:
            return lambda a, t, w: pred(a.get(key))
        return lambda a, t, w: pred(get(a, t, w))
    if path.quant == "any":
        def any_of(a: Any, t: Any, w: Any) -> bool:
            v = get(a, t, w)
            if isinstance(v, _LIST):
                for e in v:
                    if pred(e):
                        return True
            return False
        return any_of

    def all_of(a: Any, t: Any, w: Any) -> bool:
        v = get(a, t, w)
        if not isinstance(v, _LIST) or not v:
            return False
        return all(pred(e) for e in v)
    return all_of


def _compile_cmp_const(path: _Path, op: str, c: Any) -> _Fn:
    """``path op literal`` with fast paths for the most common shapes."""
    key = _simple_key(path)
    plain_str = type(c) is str and _num_of_str(c) is None
    if key is not None and plain_str:
        if path.quant is None and op == "EQ":
            return lambda a, t, w: a.get(key) == c
        if path.quant is None and op == "HAS":
            def has_str(a: Any, t: Any, w: Any) -> bool:
                v = a.get(key)
                return isinstance(v, _LIST) and c in v
            return has_str
        if path.quant == "any" and op == "EQ":
            def any_eq_str(a: Any, t: Any, w: Any) -> bool:
                v = a.get(key)
                return isinstance(v, _LIST) and c in v
            return any_eq_str
    if key is not None and path.quant is None and op == "IN":
        values = c
        if all(type(x) is str and _num_of_str(x) is None for x in values):
            strs = frozenset(values)

            def in_strs(a: Any, t: Any, w: Any) -> bool:
                v = a.get(key)
                return type(v) is str and v in strs
            return in_strs
    return _quantified(path, _pred_const(op, c))


_DYNAMIC = object()  # marks a right-hand side that is an attribute path


def _compile_cmp(left: Any, op: str, right: Any) -> tuple[_Fn, bool | None]:
    # literal op path, for symmetric/orderable operators: flip it round.
    if isinstance(left, _Lit) and isinstance(right, _Path) and right.quant is None and op in _SWAP:
        left, op, right = right, _SWAP[op], left
    if isinstance(right, _List):
        const_rhs: Any = right.values
    elif isinstance(right, _Lit):
        const_rhs = right.value
    else:
        const_rhs = _DYNAMIC
    if const_rhs is not _DYNAMIC:
        if isinstance(left, _Lit):
            result = _pred_const(op, const_rhs)(left.value)
            return _const(result), result
        return _compile_cmp_const(left, op, const_rhs), None
    # right-hand side is an attribute path
    pred2 = _pred_dynamic(op)
    rget = _getter(right.segs)
    if isinstance(left, _Lit):
        lv = left.value
        return (lambda a, t, w: pred2(lv, rget(a, t, w))), None
    lget = _getter(left.segs)
    if left.quant is None:
        if op == "IN":
            def in_dynamic(a: Any, t: Any, w: Any) -> bool:
                x = lget(a, t, w)
                items = rget(a, t, w)
                return isinstance(items, _LIST) and _any_eq(items, x)
            return in_dynamic, None
        if op in _ORDER:
            fn = _ORDER[op]

            def order_dynamic(a: Any, t: Any, w: Any) -> bool:
                x = lget(a, t, w)
                y = rget(a, t, w)
                tx = type(x)
                ty = type(y)
                if ((tx is int or tx is float) and (ty is int or ty is float)) or (tx is str and ty is str):
                    return fn(x, y)
                c = _cmp(x, y)
                return c is not None and fn(c, 0)
            return order_dynamic, None
        return (lambda a, t, w: pred2(lget(a, t, w), rget(a, t, w))), None
    if left.quant == "any":
        def any_dyn(a: Any, t: Any, w: Any) -> bool:
            v = lget(a, t, w)
            if isinstance(v, _LIST):
                r = rget(a, t, w)
                for e in v:
                    if pred2(e, r):
                        return True
            return False
        return any_dyn, None

    def all_dyn(a: Any, t: Any, w: Any) -> bool:
        v = lget(a, t, w)
        if not isinstance(v, _LIST) or not v:
            return False
        r = rget(a, t, w)
        return all(pred2(e, r) for e in v)
    return all_dyn, None


def _is_true(v: Any) -> bool:
    return v is True


def _compile_node(node: Any) -> tuple[_Fn, bool | None]:
    """Returns (closure, constant value or None)."""
    kind = node[0]
    if kind == "cmp":
        return _compile_cmp(node[1], node[2], node[3])
    if kind == "bare":
        operand = node[1]
        if isinstance(operand, _Lit):
            value = operand.value is True
            return _const(value), value
        return _quantified(operand, _is_true), None
    if kind == "not":
        fn, const = _compile_node(node[1])
        if const is not None:
            return _const(not const), not const
        return (lambda a, t, w: not fn(a, t, w)), None
    # 'and' / 'or': fold constants, short-circuit in source order.
    is_and = kind == "and"
    fns = []
    for child in node[1]:
        fn, const = _compile_node(child)
        if const is None:
            fns.append(fn)
        elif const is not is_and:  # False in an AND / True in an OR decides it
            return _const(const), const
    if not fns:
        return _const(is_and), is_and
    if len(fns) == 1:
        return fns[0], None
    if len(fns) == 2:
        f0, f1 = fns
        if is_and:
            return (lambda a, t, w: f0(a, t, w) and f1(a, t, w)), None
        return (lambda a, t, w: f0(a, t, w) or f1(a, t, w)), None
    if len(fns) == 3:
        f0, f1, f2 = fns
        if is_and:
            return (lambda a, t, w: f0(a, t, w) and f1(a, t, w) and f2(a, t, w)), None
        return (lambda a, t, w: f0(a, t, w) or f1(a, t, w) or f2(a, t, w)), None
    tup = tuple(fns)
    if is_and:
        def all_of(a: Any, t: Any, w: Any) -> bool:
            return all(f(a, t, w) for f in tup)
        return all_of, None

    def any_of(a: Any, t: Any, w: Any) -> bool:
        return any(f(a, t, w) for f in tup)
    return any_of, None


@functools.lru_cache(maxsize=4096)
def _compile_cached(source: str) -> Expression:
    tree = _Parser(source).parse()
    fn, _ = _compile_node(tree)
    return Expression(source, fn)
