"""The one way the project reads YAML (frameworks, scenarios): bounded and strict.

PyYAML's ``safe_load`` builds no arbitrary objects, but it happily accepts what makes a
run hang or silently wrong: a 50 MB file, an alias bomb ("billion laughs": a few lines
that expand to 10^9 nodes once anything walks them), a key written twice (the later
value wins), ``.inf``/``1e308`` numbers (weights sum to infinity, totals become NaN),
control characters (Excel and PDF exports choke on them). :func:`load_yaml` refuses
all of these with located problems, in well under a second:

1. size: at most ``Limits.yaml_bytes``;
2. one streaming pass over the parser events (no tree is built yet): nesting depth at
   most ``yaml_depth``, and the node count *after alias expansion* at most
   ``yaml_nodes`` (each alias counts the size of what it points to);
3. one pass over the composed node graph (each node once): duplicate keys, text with
   control characters, numbers that are not finite or larger than ``yaml_number``;
4. only then the document is constructed (PyYAML's safe constructor; libyaml when
   available).

Every problem names the file, the line and the path of the key
(``components[2].weight``), the way :class:`~antikorupsi.errors.Problem` prints YAML
locations.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import yaml

from .errors import AntikorupsiError, Problem
from .limits import current

__all__ = ["load_yaml", "read_yaml_bytes", "CONTROL_CHARS"]

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Control characters refused in text (tab and newline are ordinary text).
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_MERGE = "tag:yaml.org,2002:merge"
_NUMBERS = yaml.SafeLoader("")  # only its scalar constructors are used (no state)


def read_yaml_bytes(path: str | Path, error: type[AntikorupsiError]) -> bytes:
    """The bytes of a YAML file, refusing one larger than ``Limits.yaml_bytes`` before
    reading it; a file that cannot be read (a folder, no permission) is ``error`` too."""
    from .errors import describe_os_error

    path = Path(path)
    cap = current().yaml_bytes
    try:
        size = path.stat().st_size
        if size > cap:
            raise error(_too_big(str(path), size, cap))
        with path.open("rb") as fh:
            data = fh.read(cap + 1)
    except OSError as exc:
        raise error(Problem(str(path), f"berkas tidak dapat dibaca: {describe_os_error(exc)}",
                            expected="berkas YAML yang dapat dibaca")) from None
    if len(data) > cap:  # grew while we looked
        raise error(_too_big(str(path), len(data), cap))
    return data


def _too_big(source: str, size: int, cap: int) -> Problem:
    from .fmt import angka

    return Problem(source, "berkas YAML terlalu besar", value=f"{angka(size, 0)} bita",
                   expected=f"paling besar {angka(cap, 0)} bita (kerangka bawaan ~11.000)")


def load_yaml(data: bytes | str, source: str, error: type[AntikorupsiError]) -> Any:
    """Parse one YAML document safely; raise ``error`` listing every problem found.

    Parameters
    ----------
    data : bytes or str
        The document (bytes are decoded as UTF-8, a BOM allowed).
    source : str
        File name for the located problems.
    error : AntikorupsiError subclass
        :class:`~antikorupsi.errors.FrameworkError`, :class:`~antikorupsi.errors.ScenarioError`, ...

    Returns
    -------
    object
        The document, as :func:`yaml.safe_load` would build it.
    """
    lim = current()
    size = len(data.encode("utf-8") if isinstance(data, str) else data)
    if size > lim.yaml_bytes:
        raise error(_too_big(source, size, lim.yaml_bytes))
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise error(Problem(source, "berkas bukan teks UTF-8", row=line,
                                value=data[exc.start: exc.start + 4],
                                expected="simpan berkas sebagai UTF-8")) from None
    else:
        text = data
    try:
        _scan(text, source, lim)
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise error(_yaml_problem(exc, source)) from None
    if root is None:
        return None
    problems = _check_nodes(root, source, lim)
    if problems:
        raise error(problems)
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader
    except (yaml.YAMLError, ValueError, OverflowError) as exc:  # a backstop
        raise error(_yaml_problem(exc, source)) from None


class _Refused(yaml.YAMLError):
    """A cap exceeded during the event scan (reported like a parse error)."""

    def __init__(self, problem: str, mark: Any):
        super().__init__(problem)
        self.problem, self.problem_mark = problem, mark


def _yaml_problem(exc: Exception, source: str) -> Problem:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    if isinstance(exc, _Refused):
        return Problem(source, problem, row=mark.line + 1 if mark else None,
                       expected="berkas YAML biasa tanpa alias berulang atau bersarang "
                                "sangat dalam")
    return Problem(source, f"YAML tidak dapat dibaca: {problem}",
                   row=mark.line + 1 if mark is not None else None,
                   expected="YAML yang sah (periksa indentasi, titik dua dan tanda kutip)")


def _scan(text: str, source: str, lim) -> None:
    """Streaming pass: nesting depth and node count after alias expansion."""
    from .fmt import angka

    sizes: dict[str, int] = {}  # anchor -> nodes it expands to
    stack: list[list] = []  # [nodes so far, anchor] per open collection
    total = 0
    for ev in yaml.parse(text, Loader=_Loader):
        if isinstance(ev, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            stack.append([1, ev.anchor])
            total += 1
            if len(stack) > lim.yaml_depth:
                raise _Refused(f"struktur bersarang terlalu dalam (lebih dari "
                               f"{lim.yaml_depth} tingkat)", ev.start_mark)
            continue
        if isinstance(ev, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            n, anchor = stack.pop()
            if anchor is not None:
                sizes[anchor] = n
        elif isinstance(ev, yaml.ScalarEvent):
            n = 1
            total += 1
            if ev.anchor is not None:
                sizes[ev.anchor] = 1
        elif isinstance(ev, yaml.AliasEvent):
            if any(anchor == ev.anchor for _, anchor in stack):
                raise _Refused(f"alias *{ev.anchor} merujuk ke dirinya sendiri (struktur "
                               "melingkar)", ev.start_mark)
            n = sizes.get(ev.anchor, 1)
            total += n
        else:
            continue
        if stack:
            stack[-1][0] += n
        if total > lim.yaml_nodes:
            raise _Refused(f"terlalu banyak simpul setelah alias diuraikan (lebih dari "
                           f"{angka(lim.yaml_nodes, 0)}; kemungkinan 'bom alias')",
                           ev.start_mark)


def _check_nodes(root: yaml.Node, source: str, lim) -> list[Problem]:
    """Duplicate keys, control characters and out-of-range numbers, each node once."""
    from .fmt import angka

    problems: list[Problem] = []
    seen: set[int] = set()
    todo: list[tuple[yaml.Node, str]] = [(root, "")]

    def bad(node: yaml.Node, path: str, message: str, value: Any, expected: str) -> None:
        problems.append(Problem(source, message, row=node.start_mark.line + 1,
                                column=path or None, value=value, expected=expected))

    while todo:
        node, path = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            keys: dict[tuple, int] = {}
            for k, v in node.value:
                if k.tag == _MERGE:
                    todo.append((v, path))
                    continue
                name = k.value if isinstance(k, yaml.ScalarNode) else "?"
                sub = f"{path}.{name}" if path else str(name)
                if isinstance(k, yaml.ScalarNode):
                    ident = (k.tag, k.value)
                    if ident in keys:
                        bad(k, sub, f"kunci ditulis dua kali (juga di baris {keys[ident]}); "
                                    "nilai yang kedua akan diam-diam menang", k.value,
                            "setiap kunci sekali")
                    keys.setdefault(ident, k.start_mark.line + 1)
                todo.append((k, sub))
                todo.append((v, sub))
        elif isinstance(node, yaml.SequenceNode):
            todo.extend((item, f"{path}[{i}]") for i, item in enumerate(node.value))
        elif isinstance(node, yaml.ScalarNode):
            if node.tag == _STR and CONTROL_CHARS.search(node.value):
                bad(node, path, "teks berisi karakter kontrol", node.value,
                    "teks biasa tanpa karakter kontrol (mis. \\0, \\x07)")
            elif node.tag in (_INT, _FLOAT):
                _check_number(node, path, lim, bad, angka)
    problems.sort(key=lambda p: (p.row or 0, p.column or ""))
    return problems


def _check_number(node, path, lim, bad, angka) -> None:
    digits = re.sub(r"[^0-9]", "", node.value.split("e")[0].split("E")[0])
    if node.tag == _INT and len(digits.lstrip("0")) > 16:
        bad(node, path, "angka terlalu besar", node.value,
            f"angka paling besar {angka(lim.yaml_number, 0)}")
        return
    try:
        value = (_NUMBERS.construct_yaml_float(node) if node.tag == _FLOAT
                 else float(_NUMBERS.construct_yaml_int(node)))
    except (ValueError, OverflowError):
        return  # left to the constructor's own message
    if not math.isfinite(value):
        bad(node, path, "angka tidak terhingga atau bukan angka (inf/nan)", node.value,
            "angka biasa, mis. 25")
    elif abs(value) > lim.yaml_number:
        bad(node, path, "angka terlalu besar", node.value,
            f"angka paling besar {angka(lim.yaml_number, 0)}")
