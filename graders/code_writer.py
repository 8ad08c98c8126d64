"""Write a catalogued implementation (a lambda, a function or a class) as plain, self-contained Python.

The demo's simulated learners fill their notebooks with the catalogue's
mistakes and correct variants.  A learner's kernel cannot import the graders
(the sandbox hides them), so each implementation is written out with what it
uses: its helpers, the reference functions it calls, the values its closure
holds and the modules it needs, so that an instructor reading a demo notebook
sees exactly what the mistake looks like.

Names are resolved exactly with :mod:`symtable`; a dependency whose name the
notebook already uses for something else is renamed (``reference_<name>`` for
a reference function, ``<name>_2`` otherwise) and every use is rewritten.
"""

import ast
import functools
import inspect
import symtable
import sys
import textwrap
import types

import numpy as np

_PLAIN = (type(None), bool, int, float, complex, str)


class NotWritable(ValueError):
    """An implementation uses a value that cannot be written as source code."""


@functools.cache
def _module_tree(path):
    with open(path) as source:
        return ast.parse(source.read())


def _lambda_text(function):
    """(parameters, body) source text of a lambda, found in its module by its code positions."""
    path = inspect.getsourcefile(function)
    with open(path) as source:
        text = source.read()
    positions = [(line, col) for line, _, col, end in function.__code__.co_positions()
                 if line is not None and col is not None and end > col]  # RESUME has an empty span
    candidates = [node for node in ast.walk(_module_tree(path)) if isinstance(node, ast.Lambda)
                  and all((node.lineno, node.col_offset) <= p <= (node.end_lineno, node.end_col_offset)
                          for p in positions)]
    if not candidates:
        raise NotWritable(f"cannot find the source of {function!r}")
    node = min(candidates, key=lambda n: (n.end_lineno - n.lineno, n.end_col_offset - n.col_offset))
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    head = text[starts[node.lineno - 1] + node.col_offset:starts[node.body.lineno - 1] + node.body.col_offset]
    params = head.strip()[len("lambda"):]
    params = params[:params.index(":")].strip()
    return params, ast.get_source_segment(text, node.body)


def _strip_docstrings(source):
    """``source`` without the docstrings of its functions and classes (dependencies only: keeps them short)."""
    tree = ast.parse(source)
    lines = source.splitlines()
    drop = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.ClassDef) and len(node.body) > 1:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
                    and isinstance(first.value.value, str):
                drop.update(range(first.lineno - 1, first.end_lineno))
    return "\n".join(line for number, line in enumerate(lines) if number not in drop)


def _scope_names(source):
    """(global names, free names) that ``source``'s code uses (its own name included, if it recurses)."""
    found_globals, found_frees = set(), set()
    tables = [symtable.symtable(source, "<catalogue>", "exec")]
    while tables:
        table = tables.pop()
        tables += table.get_children()
        for symbol in table.get_symbols():
            name = symbol.get_name()
            if table.get_type() == "module":  # bases, decorators and defaults are evaluated here
                if symbol.is_referenced() and not symbol.is_assigned():
                    found_globals.add(name)
            elif symbol.is_global() and symbol.is_referenced():
                found_globals.add(name)
            elif symbol.is_free():
                found_frees.add(name)
    return found_globals, found_frees - {"__class__"}


def _closure(function):
    """{free variable: value} of a function."""
    cells = function.__closure__ or ()
    return {name: cell.cell_contents for name, cell in zip(function.__code__.co_freevars, cells, strict=True)
            if name != "__class__"}


def _from_project(obj):
    return getattr(obj, "__module__", "").split(".")[0] in ("graders", "solutions")


class CodeWriter:
    """Writes implementations into one notebook, keeping names apart from the notebook's own.

    ``reserved`` holds the names the notebook binds; ``provided`` maps the
    names of helper functions the notebook already defines to those functions.
    """

    def __init__(self, reserved=(), provided=None):
        self.reserved = set(reserved)
        self.provided = dict(provided or {})
        self.names = {}  # emitted name -> object it is bound to, across every cell written

    def write(self, obj, name):
        """Source code that binds ``name`` to an implementation equivalent to ``obj``."""
        self.imports, self.blocks, self.local = [], [], {}
        self._bind(obj, name, target=True)
        return "\n".join(dict.fromkeys(self.imports)) + ("\n\n\n" if self.imports else "") + "\n\n\n".join(
            self.blocks) + "\n"

    # -- naming -------------------------------------------------------------

    def _name_for(self, obj, preferred):
        """The name ``obj`` gets in the notebook: ``preferred`` unless taken by something else."""
        if preferred in self.provided and self.provided[preferred] is obj:
            return preferred
        for name, bound in self.names.items():
            if bound is obj:
                return name
        candidates = [preferred] if preferred not in self.reserved else []
        if inspect.getmodule(obj) and inspect.getmodule(obj).__name__.startswith("solutions."):
            candidates.append(f"reference_{preferred}")
        candidates += [f"{preferred}_{k}" for k in range(2, 100)]
        return next(c for c in candidates if c not in self.names and c not in self.reserved)

    def _refer(self, value, name):
        """An expression for ``value`` where the code says ``name``, writing what it needs first."""
        if isinstance(value, types.ModuleType):
            if value.__name__.startswith("solutions."):
                return None  # its attributes are written one by one (see _attribute_uses)
            top = value.__name__
            self.imports.append(f"import {top}" if name == top else
                                f"import {top} as {name}" if "." not in top else
                                f"from {top.rsplit('.', 1)[0]} import {top.rsplit('.', 1)[1]} as {name}")
            return name
        if (inspect.isfunction(value) or inspect.isclass(value)) and _from_project(value):
            if name in self.provided and self.provided[name] is value:
                return name
            return self._bind(value, name)
        return self._bind_value(value, name)

    def _bind_value(self, value, name):
        """``name = <expression>`` for a library object (``np.mean``) or plain data (a dict of numbers)."""
        expression = self._expression(value)
        emitted = self._name_for(value, name)
        self.names[emitted] = value
        self.blocks.append(f"{emitted} = {expression}")
        return emitted

    def _expression(self, value):
        if isinstance(value, _PLAIN):
            return repr(value)
        if isinstance(value, np.ndarray) and value.size <= 200:
            self.imports.append("import numpy as np")
            return f"np.array({value.tolist()!r}, dtype={str(value.dtype)!r})"
        if isinstance(value, tuple | list):
            items = ", ".join(self._expression(v) for v in value)
            return f"({items},)" if isinstance(value, tuple) else f"[{items}]"
        if isinstance(value, dict):
            return "{" + ", ".join(f"{self._expression(k)}: {self._expression(v)}" for k, v in value.items()) + "}"
        module, qualname = getattr(value, "__module__", None), getattr(value, "__qualname__", None)
        if module and qualname and "<" not in qualname and module in sys.modules:
            found = sys.modules[module]
            for part in qualname.split("."):
                found = getattr(found, part, None)
            if found is value:
                alias = {"numpy": "np"}.get(module.split(".")[0])
                if alias and getattr(np, value.__name__, None) is value:
                    self.imports.append("import numpy as np")
                    return f"np.{value.__name__}"
                self.imports.append(f"import {module}")
                return f"{module}.{qualname}"
        raise NotWritable(f"cannot write {value!r} as code")

    # -- functions and classes ------------------------------------------------

    def _source(self, obj, name):
        """Dedented source of ``obj`` defining ``name`` (a lambda becomes a ``def``)."""
        if inspect.isfunction(obj) and obj.__name__ == "<lambda>":
            params, body = _lambda_text(obj)
            body = body if "\n" not in body else f"(\n        {textwrap.dedent(body).strip()}\n    )"
            return f"def {name}({params}):\n    return {body}"
        source = textwrap.dedent(inspect.getsource(obj))
        node = ast.parse(source).body[0]
        keyword = "class" if isinstance(node, ast.ClassDef) else "def"
        line = source.splitlines()[node.lineno - 1]
        renamed = line.replace(f"{keyword} {node.name}", f"{keyword} {name}", 1)
        lines = source.splitlines()
        lines[node.lineno - 1] = renamed
        return "\n".join(lines[node.lineno - 1 - len(node.decorator_list):])

    def _bind(self, obj, preferred, target=False):
        """Write the function or class ``obj`` (and what it uses) as ``preferred`` or a free name; return it."""
        for emitted, bound in {**self.local, **self.names}.items():
            if bound is obj and not target:
                return emitted
        name = preferred if target else self._name_for(obj, preferred)
        self.names[name] = obj
        self.local[name] = obj
        source = self._source(obj, name)
        if not target:
            source = _strip_docstrings(source)
        namespace = obj.__globals__ if inspect.isfunction(obj) else vars(sys.modules[obj.__module__])
        closure = _closure(obj) if inspect.isfunction(obj) else {
            k: v for member in vars(obj).values() if inspect.isfunction(member) for k, v in _closure(member).items()}
        globals_used, frees = _scope_names(source)
        renames = {}
        for used in sorted(globals_used | frees):
            if used in closure:
                value = closure[used]
            elif used in namespace:
                value = namespace[used]
            else:
                continue  # a builtin
            if value is obj:
                continue  # recursion
            emitted = self._refer(value, used)
            if emitted is None:
                renames.update(self._attribute_uses(source, used, value))
            elif emitted != used:
                renames[used] = emitted
        self.blocks.append(_rename(source, renames))
        return name

    def _attribute_uses(self, source, module_name, module):
        """Write every ``module_name.attr`` that ``source`` uses from a reference module; {"mod.attr": name}."""
        found = {}
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == module_name:
                found[f"{module_name}.{node.attr}"] = self._refer(getattr(module, node.attr), node.attr)
        return found


def _rename(source, renames):
    """``source`` with each name (or ``module.attr``) in ``renames`` replaced where it is used."""
    if not renames:
        return source
    lines = source.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    spans = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            key = f"{node.value.id}.{node.attr}"
        elif isinstance(node, ast.Name):
            key = node.id
        else:
            continue
        if key in renames:
            start = offsets[node.lineno - 1] + node.col_offset
            spans.append((start, offsets[node.end_lineno - 1] + node.end_col_offset, renames[key]))
    text = source
    for start, end, new in sorted(set(spans), reverse=True):
        text = text[:start] + new + text[end:]
    return text
