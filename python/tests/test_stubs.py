"""The .pyi stubs list the package's API with the same signatures."""
import ast
import inspect
import pathlib

import diviml

STUB = pathlib.Path(diviml.__file__).with_name("__init__.pyi")


def stub_tree():
    return ast.parse(STUB.read_text())


def params_of(fn: ast.FunctionDef):
    a = fn.args
    names = [x.arg for x in a.posonlyargs + a.args] + (["*" + a.vararg.arg] if a.vararg else [])
    names += [x.arg for x in a.kwonlyargs] + (["**" + a.kwarg.arg] if a.kwarg else [])
    return [n for n in names if n not in ("self", "cls")]


def real_params(obj):
    out = []
    for p in inspect.signature(obj).parameters.values():
        if p.name in ("self", "cls"):
            continue
        prefix = {p.VAR_POSITIONAL: "*", p.VAR_KEYWORD: "**"}.get(p.kind, "")
        out.append(prefix + p.name)
    return out


def test_every_public_name_is_in_the_stub():
    tree = stub_tree()
    names = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    names |= {t.id for n in tree.body if isinstance(n, (ast.AnnAssign, ast.Assign))
              for t in ([n.target] if isinstance(n, ast.AnnAssign) else n.targets) if isinstance(t, ast.Name)}
    assert set(diviml.__all__) <= names, set(diviml.__all__) - names


def test_functions_and_methods_match():
    tree = stub_tree()
    checked = 0
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            assert params_of(node) == real_params(getattr(diviml, node.name)), node.name
            checked += 1
        elif isinstance(node, ast.ClassDef) and node.name in ("Graph", "Platform", "Problem", "Result"):
            cls = getattr(diviml, node.name)
            for item in node.body:
                if not isinstance(item, ast.FunctionDef):
                    continue
                real = inspect.getattr_static(cls, item.name)
                assert real is not None, f"{node.name}.{item.name}"
                if isinstance(real, property):
                    continue
                fn = getattr(cls, item.name)
                assert params_of(item) == real_params(fn), f"{node.name}.{item.name}"
                checked += 1
    assert checked >= 15


def test_public_functions_have_docstrings_with_units():
    for name in ("solve", "bound", "evaluate", "load_graph", "load_platform", "solvers", "problem"):
        assert getattr(diviml, name).__doc__, name
    assert "seconds" in diviml.solve.__doc__
