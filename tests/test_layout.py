"""The source's architecture, checked by reading it with the standard library (``ast``, ``tokenize``).

Each test protects one rule that review alone lets slip: which layer may import which, no import
cycles, imports at the top of the module, and modules short enough to review. The scanner below
resolves ``import x`` and ``from x import y`` (relative ones too) to absolute module names and sorts
every import into one of three kinds:

- ``runtime``: runs when the module is imported (module level, also inside a class body, ``try``
  or a plain ``if``);
- ``typing``: under ``if TYPE_CHECKING:``, never run;
- ``function``: inside a function body, run when the function is first called.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "cogs")

LAZY_MARKER = re.compile(r"#\s*lazy:\s*\S")
"""What lets an import stay inside a function: ``# lazy: <why>`` on the import's line (or any line
of a multi-line import, or a comment line just above it), e.g. ``# lazy: Pillow costs 80 ms at startup``."""

MAX_LINES = 400
LONG_MARKER = "Long because"
"""What lets a module of ``bot/`` pass ``MAX_LINES``: a sentence in its module docstring that starts
with these words and gives the reason, e.g. "Long because the retry rules and the error mapping are
one state machine that reads best in one place." """


@dataclass(frozen=True)
class Module:
    name: str  # dotted, e.g. "bot.storage.jobs"; a package's __init__.py is the package's name
    path: Path
    is_package: bool

    @property
    def rel(self) -> str:
        return self.path.relative_to(ROOT).as_posix()


@dataclass(frozen=True)
class Import:
    module: Module
    line: int
    target: str  # absolute module name: the submodule for ``from package import submodule``
    kind: str  # "runtime", "typing" or "function"
    lazy_reason: bool  # carries a ``# lazy: <why>`` comment
    source: str  # the statement's first line, for messages

    @property
    def where(self) -> str:
        return f"{self.module.rel}:{self.line}"


@cache
def modules() -> dict[str, Module]:
    """Every module of the source packages, by dotted name."""
    found: dict[str, Module] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            is_package = parts[-1] == "__init__"
            if is_package:
                parts.pop()
            found[".".join(parts)] = Module(".".join(parts), path, is_package)
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(node: ast.AST, kind: str) -> Iterator[tuple[ast.Import | ast.ImportFrom, str]]:
    """The import statements in ``node`` with their kind (``kind`` is the kind at ``node``)."""
    if isinstance(node, ast.Import | ast.ImportFrom):
        yield node, kind
        return
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
        kind = "function"
    elif isinstance(node, ast.If) and _is_type_checking(node.test):
        for statement in node.body:
            yield from _import_nodes(statement, "typing" if kind == "runtime" else kind)
        for statement in node.orelse:
            yield from _import_nodes(statement, kind)
        return
    for child in ast.iter_child_nodes(node):
        yield from _import_nodes(child, kind)


def _targets(module: Module, node: ast.Import | ast.ImportFrom) -> list[str]:
    """Absolute names of what ``node`` imports, relative imports resolved against ``module``."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        package = module.name.split(".") if module.is_package else module.name.split(".")[:-1]
        if node.level - 1 > len(package) - 1:
            raise AssertionError(f"{module.rel}:{node.lineno}: relative import goes above the top package")
        package = package[: len(package) - (node.level - 1)]
        base = ".".join([*package, base] if base else package)
    known = modules()
    targets = []
    for alias in node.names:
        submodule = f"{base}.{alias.name}"
        targets.append(submodule if submodule in known else base)
    return targets


def _comment_lines(source: str) -> set[int]:
    """Lines that carry a ``# lazy: <why>`` comment."""
    lines = set()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT and LAZY_MARKER.match(token.string):
            lines.add(token.start[0])
    return lines


@cache
def imports() -> tuple[Import, ...]:
    """Every import statement of the source packages, one entry per imported name."""
    found = []
    for module in modules().values():
        source = module.path.read_text(encoding="utf-8")
        lines = source.splitlines()
        lazy_lines = _comment_lines(source)
        tree = ast.parse(source, filename=str(module.path))
        for node, kind in _import_nodes(tree, "runtime"):
            first, last = node.lineno, node.end_lineno or node.lineno
            above_is_comment = first > 1 and lines[first - 2].lstrip().startswith("#")
            lazy = any(line in lazy_lines for line in range(first, last + 1)) or (
                above_is_comment and first - 1 in lazy_lines
            )
            for target in _targets(module, node):
                found.append(Import(module, node.lineno, target, kind, lazy, lines[node.lineno - 1].strip()))
    return tuple(found)


def _within(name: str, top: str) -> bool:
    return name == top or name.startswith(top + ".")


def _offenders(found: list[Import]) -> str:
    """One line per import statement, as ``file:line: statement (kind)``."""
    lines = dict.fromkeys(f"  {i.where}: {i.source}  ({i.kind})" for i in found)
    return "\n".join(lines)


def _check(ok: bool, message: str) -> None:
    """Fail with ``message`` alone (the list of offenders), without pytest's repr of the expression."""
    if not ok:
        pytest.fail(message, pytrace=False)


# --------------------------------------------------------------------------- layers


def test_bot_does_not_import_cogs() -> None:
    """``bot/`` is the core the cogs are built on; an import of ``cogs`` from it (even for types)
    turns the layers upside down, so a cog could not be removed or replaced without breaking the
    core."""
    bad = [i for i in imports() if _within(i.module.name, "bot") and _within(i.target, "cogs")]
    _check(not bad, "bot/ must not import from cogs/:\n" + _offenders(bad))


def test_api_client_and_storage_do_not_know_discord() -> None:
    """``bot/gptproto/`` (the image API client) and ``bot/storage/`` (the database) must stay usable
    and testable without Discord, and storage without HTTP: no ``discord`` import in either, no
    ``aiohttp`` in storage, not even for types."""
    forbidden = {"bot.gptproto": ("discord",), "bot.storage": ("discord", "aiohttp")}
    bad = [
        i
        for i in imports()
        for package, tops in forbidden.items()
        if _within(i.module.name, package) and any(_within(i.target, top) for top in tops)
    ]
    rule = "bot/gptproto/ must not import discord, bot/storage/ neither discord nor aiohttp"
    _check(not bad, f"{rule}:\n" + _offenders(bad))


# --------------------------------------------------------------------------- cycles


def _runtime_graph() -> dict[str, dict[str, Import]]:
    """Module-level runtime imports between modules of ``bot/``: importer -> imported -> first import."""
    graph: dict[str, dict[str, Import]] = {name: {} for name in modules() if _within(name, "bot")}
    for i in imports():
        if i.kind == "runtime" and i.module.name in graph and i.target in graph and i.target != i.module.name:
            graph[i.module.name].setdefault(i.target, i)
    return graph


def _cycles(graph: dict[str, dict[str, Import]]) -> list[list[str]]:
    """One cycle (a closed path of module names) for each strongly connected group of modules."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def connect(node: str) -> None:  # Tarjan's algorithm; the graph has a few dozen nodes
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            connect(node)

    cycles = []
    for group in groups:
        start = min(group)
        # Breadth-first from start back to start, inside the group: the shortest cycle through it.
        paths = {start: [start]}
        queue = [start]
        cycle = None
        while queue and cycle is None:
            node = queue.pop(0)
            for nxt in sorted(graph[node]):
                if nxt == start:
                    cycle = [*paths[node], start]
                    break
                if nxt in group and nxt not in paths:
                    paths[nxt] = [*paths[node], nxt]
                    queue.append(nxt)
        assert cycle is not None
        cycles.append(cycle)
    return cycles


def test_no_import_cycles_in_bot() -> None:
    """Modules of ``bot/`` must form layers: a cycle of module-level imports makes the import order
    matter (a half-initialised module raises ImportError or AttributeError, depending on which
    module is imported first) and ties the modules so they can only change together. Imports under
    ``if TYPE_CHECKING:`` never run and do not count; imports inside functions do not either, but
    ``test_no_imports_inside_functions`` asks each of them for a reason."""
    graph = _runtime_graph()
    cycles = _cycles(graph)
    messages = []
    for cycle in cycles:
        steps = [f"{a} -> {b} ({graph[a][b].where})" for a, b in pairwise(cycle)]
        messages.append("  " + " -> ".join(cycle) + "\n" + "\n".join(f"    {step}" for step in steps))
    _check(not cycles, "import cycles among bot/ modules at runtime:\n" + "\n".join(messages))


# --------------------------------------------------------------------------- imports at the top


def test_no_imports_inside_functions() -> None:
    """An import inside a function hides a dependency from the top of the module (and from
    ``test_no_import_cycles_in_bot``), and can fail late, on the first call in production. Each one
    in ``bot/`` or ``cogs/`` must say why it is there with ``# lazy: <why>`` on its line."""
    bad = [i for i in imports() if i.kind == "function" and not i.lazy_reason]
    _check(
        not bad,
        "imports inside functions without a '# lazy: <why>' comment (move them to the top of the module,"
        " or say why they cannot be there):\n" + _offenders(bad),
    )


def test_no_name_is_imported_again_for_typing() -> None:
    """A name a module already imports at runtime needs no second import under
    ``if TYPE_CHECKING:``; the copy is dead code that outlives the runtime import's reasons."""
    bad = []
    for module in modules().values():
        tree = ast.parse(module.path.read_text(encoding="utf-8"), filename=str(module.path))
        bound: dict[str, set[tuple[str, str]]] = {"runtime": set(), "typing": set()}
        lines: dict[tuple[str, str], int] = {}
        for node, kind in _import_nodes(tree, "runtime"):
            if kind not in bound:
                continue
            source = "." * getattr(node, "level", 0) + (getattr(node, "module", None) or "")
            for alias in node.names:
                key = (source, alias.name)
                bound[kind].add(key)
                if kind == "typing":
                    lines[key] = node.lineno
        for key in sorted(bound["runtime"] & bound["typing"]):
            bad.append(f"  {module.rel}:{lines[key]}: {key[1]} from {key[0] or key[1]}")
    _check(not bad, "imported at runtime and again under TYPE_CHECKING:\n" + "\n".join(bad))


# --------------------------------------------------------------------------- size


def test_bot_modules_are_short_or_say_why_not() -> None:
    """A module of ``bot/`` longer than ``MAX_LINES`` (400) lines usually holds more than one idea and
    is hard to review; one that must be long says why in its module docstring, in a sentence that
    starts with ``LONG_MARKER`` ("Long because ...")."""
    long = []
    for module in modules().values():
        if not _within(module.name, "bot"):
            continue
        text = module.path.read_text(encoding="utf-8")
        count = len(text.splitlines())
        docstring = ast.get_docstring(ast.parse(text)) or ""
        if count > MAX_LINES and LONG_MARKER not in docstring:
            long.append(f"  {module.rel}: {count} lines")
    _check(
        not long,
        f"modules over {MAX_LINES} lines whose docstring does not say '{LONG_MARKER} ...' (split them,"
        " or give the reason):\n" + "\n".join(long),
    )


# --------------------------------------------------------------------------- one admin check


def test_manage_server_is_checked_in_one_place() -> None:
    """Who counts as a server's admin (Manage Server or Administrator, checked when the command
    runs) is decided by ``bot.tree.is_admin`` alone; a second copy of the rule drifts from it."""
    rule = re.compile(r"\.(manage_guild|administrator)\b")
    bad = []
    for module in modules().values():
        if module.name == "bot.tree":
            continue
        for number, line in enumerate(module.path.read_text(encoding="utf-8").splitlines(), start=1):
            if rule.search(line):
                bad.append(f"  {module.rel}:{number}: {line.strip()}")
    _check(not bad, "permissions read outside bot.tree.is_admin (call is_admin instead):\n" + "\n".join(bad))


# --------------------------------------------------------------------------- the README's map


def test_the_readme_names_every_storage_module() -> None:
    """The README's table of the source has one row for ``bot/storage/``, naming its modules; a
    module missing there is one a reader of the map never finds."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (row,) = [line for line in readme.splitlines() if line.startswith("| `bot/storage/` |")]
    missing = [m.rel for m in modules().values()
               if _within(m.name, "bot.storage") and not m.is_package and f"`{m.path.name}`" not in row]
    _check(not missing, "modules of bot/storage/ the README's row does not name:\n" +
           "\n".join(f"  {m}" for m in missing))
