# pyjama's facade generator, the Python half: describes modules' public API as plain lists, dicts
# and strings that the Java half (dev.pyjama.internal.facade) turns into Java sources. Type hints are
# reduced to small "terms" (lists whose first item names the kind) so that the type mapping itself
# lives in Java, in one place, and is testable there. Nothing here may fail the build: whatever cannot
# be described becomes an ["unknown", reason] term or a warning.
import collections.abc
import dataclasses
import enum
import importlib
import importlib.util
import inspect
import os
import sys
import types
import typing

_NONE = type(None)


def _typing_origin(hint):
    return typing.get_origin(hint)


def _is_typeddict(cls):
    try:
        return typing.is_typeddict(cls)
    except AttributeError:  # 3.10 has it; kept for odd typing backports
        return isinstance(cls, type) and issubclass(cls, dict) and hasattr(cls, "__total__")


def _is_namedtuple(cls):
    return isinstance(cls, type) and issubclass(cls, tuple) and hasattr(cls, "_fields")


def _is_pydantic_model(cls):
    # pydantic v2's BaseModel: fields by name, built by keyword (validated), read by attribute
    return isinstance(cls, type) and isinstance(getattr(cls, "model_fields", None), dict) \
        and hasattr(cls, "model_validate")


def _ndarray_type():
    np = sys.modules.get("numpy")
    return getattr(np, "ndarray", None) if np is not None else None


class Describer:
    def __init__(self, modules):
        self.modules = set(modules)
        self.warnings = []

    # --- type terms ---

    def term(self, hint, where):
        try:
            return self._term(hint, where, 0)
        except Exception as e:  # a hint this code does not understand must not fail the build
            return ["unknown", "hint %r could not be read (%s)" % (hint, e)]

    def _term(self, hint, where, depth):
        if depth > 8:
            return ["unknown", "nested too deeply"]
        if hint is inspect.Parameter.empty or hint is inspect.Signature.empty:
            return ["unknown", "no type hint"]
        if hint is None or hint is _NONE:
            return ["none"]
        if hint is typing.Any or hint is object:
            return ["any"]
        if isinstance(hint, str):
            return ["unknown", "unresolved forward reference '%s'" % hint]
        if isinstance(hint, typing.TypeVar):
            return ["typevar", hint.__name__]
        simple = {int: "int", float: "float", str: "str", bytes: "bytes", bool: "bool",
                  bytearray: "bytes", complex: None}
        if hint in simple:
            k = simple[hint]
            return [k] if k else ["unknown", "%s has no Java counterpart here" % hint.__name__]
        origin = _typing_origin(hint)
        args = typing.get_args(hint)
        sub = lambda h: self._term(h, where, depth + 1)
        if origin is typing.Union or (hasattr(types, "UnionType") and isinstance(hint, types.UnionType)):
            rest = [a for a in args if a is not _NONE]
            if len(rest) < len(args):
                inner = sub(rest[0]) if len(rest) == 1 else sub(typing.Union[tuple(rest)])
                return ["optional", inner]
            return ["union"] + [sub(a) for a in args]
        if origin is typing.Literal:
            return ["literal"] + [a for a in args if isinstance(a, (str, int)) and not isinstance(a, bool)] \
                if all(isinstance(a, (str, int)) and not isinstance(a, bool) for a in args) \
                else ["unknown", "Literal of values other than str and int"]
        try:
            from typing import Annotated
            if origin is Annotated:
                return sub(args[0])
        except ImportError:
            pass
        if origin in (list, collections.abc.Sequence, collections.abc.MutableSequence):
            return ["list", sub(args[0]) if args else ["any"]]
        if origin in (set, frozenset, collections.abc.Set, collections.abc.MutableSet):
            return ["set", sub(args[0]) if args else ["any"]]
        if origin in (dict, collections.abc.Mapping, collections.abc.MutableMapping):
            return ["dict", sub(args[0]), sub(args[1])] if len(args) == 2 else ["dict", ["any"], ["any"]]
        if origin is tuple:
            if len(args) == 2 and args[1] is Ellipsis:
                return ["list", sub(args[0])]
            if args == ((),):
                return ["tuple"]
            return ["tuple"] + [sub(a) for a in args]
        if origin in (collections.abc.Iterator, collections.abc.Iterable, collections.abc.Generator,
                      collections.abc.AsyncIterator):
            if origin is collections.abc.AsyncIterator:
                return ["unknown", "async iterators are not mapped"]
            return ["iterator", sub(args[0]) if args else ["any"]]
        if origin is collections.abc.Callable:
            if not args:
                return ["callable", None, ["any"]]
            params, ret = args[0], args[1]
            if params is Ellipsis or not isinstance(params, (list, tuple)):
                return ["callable", None, sub(ret)]
            return ["callable", [sub(p) for p in params], sub(ret)]
        if origin is type:
            return ["unknown", "type objects are passed as PyObject"]
        if origin is not None:
            # A generic alias of a class: list the class, drop the arguments (erasure, as Java does).
            base = self._term(origin, where, depth + 1)
            if base[0] == "ndarray":
                return base
            if base[0] == "class":
                return base + [sub(a) for a in args]
            return ["unknown", "%s is not mapped" % _name(hint)]
        if hint is list:
            return ["list", ["any"]]
        if hint is dict:
            return ["dict", ["any"], ["any"]]
        if hint is set or hint is frozenset:
            return ["set", ["any"]]
        if hint is tuple:
            return ["list", ["any"]]
        if hint in (collections.abc.Iterator, collections.abc.Generator, collections.abc.Iterable):
            return ["iterator", ["any"]]
        if hint is collections.abc.Callable:
            return ["callable", None, ["any"]]
        nd = _ndarray_type()
        if nd is not None and hint is nd:
            return ["ndarray"]
        if isinstance(hint, type):
            mod = getattr(hint, "__module__", "")
            if mod in self.modules and self._public_class(hint):
                return ["class", mod, hint.__qualname__]
            if getattr(hint, "__name__", "") == "ndarray":
                return ["ndarray"]
            return ["unknown", "%s.%s is not a type this facade covers" % (mod, hint.__qualname__)]
        return ["unknown", "%s is not mapped" % _name(hint)]

    # --- functions ---

    def hints_of(self, fn, qual=None):
        try:
            return typing.get_type_hints(fn)
        except Exception as e:
            self.warnings.append("%s: type hints could not be evaluated (%s); the hints that are not names are untyped"
                                 % (qual or _name(fn), e))
            return None

    def function(self, fn, name, qual, skip_first=False, hints_from=None):
        d = {"name": name, "doc": inspect.getdoc(fn) or "", "params": [], "returns": ["unknown", "no signature"],
             "sig": "(...)", "error": None}
        try:
            sig = inspect.signature(fn)
        except (TypeError, ValueError) as e:
            d["error"] = "no signature (%s)" % e
            self.warnings.append("%s: no signature (%s); generated as f(Object...) -> PyObject" % (qual, e))
            return d
        hints = self.hints_of(hints_from or fn, qual) or {}
        d["sig"] = _render(sig, hints)
        params = list(sig.parameters.values())
        if skip_first and params:
            params = params[1:]
        for p in params:
            kind = {p.POSITIONAL_ONLY: "pos", p.POSITIONAL_OR_KEYWORD: "pos", p.KEYWORD_ONLY: "kw",
                    p.VAR_POSITIONAL: "varpos", p.VAR_KEYWORD: "varkw"}[p.kind]
            hint = hints.get(p.name, p.annotation)
            t = self.term(hint, qual)
            if kind in ("varpos", "varkw"):
                self.warnings.append("%s: *%s%s is not exposed in Java (call it through PyObject)"
                                     % (qual, "*" if kind == "varkw" else "", p.name))
            d["params"].append({"name": p.name, "kind": kind, "type": t,
                                "default": p.default is not p.empty,
                                "defaultRepr": _short_repr(p.default) if p.default is not p.empty else None})
        ret = hints.get("return", sig.return_annotation)
        d["returns"] = self.term(ret, qual)
        if ret is inspect.Signature.empty and (inspect.isgeneratorfunction(fn) or inspect.isgeneratorfunction(hints_from)):
            # an unhinted generator still yields: an iterator of untyped elements beats one opaque object
            d["returns"] = ["iterator", ["unknown", "no type hint (a generator)"]]
        return d

    # --- classes ---

    def _public_class(self, cls):
        return not cls.__name__.startswith("_")

    def klass(self, cls, modname):
        qual = "%s.%s" % (modname, cls.__qualname__)
        d = {"name": cls.__name__, "doc": _own_doc(cls), "kind": "class", "fields": [], "members": [],
             "init": None, "methods": [], "classmethods": [], "staticmethods": [], "properties": [],
             "typeparams": [t.__name__ for t in getattr(cls, "__parameters__", ()) if isinstance(t, typing.TypeVar)]}
        if isinstance(cls, enum.EnumMeta):
            d["kind"] = "enum"
            d["members"] = [[m.name, _short_repr(m.value)] for m in cls]
            return d
        if dataclasses.is_dataclass(cls) or _is_typeddict(cls) or _is_namedtuple(cls) or _is_pydantic_model(cls):
            d["kind"] = "typeddict" if _is_typeddict(cls) else "namedtuple" if _is_namedtuple(cls) \
                else "model" if _is_pydantic_model(cls) else "dataclass"
            hints = self.hints_of(cls, qual) or {}
            if d["kind"] == "model":
                names = list(cls.model_fields)
            elif dataclasses.is_dataclass(cls):
                names = [f.name for f in dataclasses.fields(cls) if f.init]
            elif _is_namedtuple(cls):
                names = list(cls._fields)
            else:
                names = list(hints)
            for n in names:
                t = self.term(hints.get(n, inspect.Parameter.empty), qual)
                d["fields"].append({"name": n, "type": t})
            return d
        init = cls.__dict__.get("__init__")
        if init is not None and inspect.isfunction(init):
            d["init"] = self.function(init, "__init__", qual + ".__init__", skip_first=True)
        else:
            try:
                inspect.signature(cls)
                d["init"] = self.function(cls, "__init__", qual + ".__init__", hints_from=getattr(cls, "__init__", None))
            except (TypeError, ValueError):
                d["init"] = {"name": "__init__", "doc": "", "params": [], "returns": ["none"], "sig": "()", "error": None}
        for name, attr in _own_members(cls):
            if name.startswith("_"):
                continue
            mq = "%s.%s" % (qual, name)
            if isinstance(attr, classmethod):
                d["classmethods"].append(self.function(attr.__func__, name, mq, skip_first=True))
            elif isinstance(attr, staticmethod):
                d["staticmethods"].append(self.function(attr.__func__, name, mq))
            elif isinstance(attr, property):
                t = ["unknown", "no type hint"]
                if attr.fget is not None:
                    h = self.hints_of(attr.fget, mq) or {}
                    t = self.term(h.get("return", inspect.Parameter.empty), mq)
                d["properties"].append({"name": name, "type": t, "doc": inspect.getdoc(attr) or "",
                                        "settable": attr.fset is not None})
            elif inspect.isfunction(attr):
                d["methods"].append(self.function(attr, name, mq, skip_first=True))
        return d

    def module(self, modname):
        mod = importlib.import_module(modname)
        stub = _stub_namespace(mod, self.warnings)
        out = {"name": modname, "doc": inspect.getdoc(mod) or "", "functions": [], "classes": [],
               "stub": stub is not None}
        names = getattr(mod, "__all__", None)
        if names is None:
            names = [n for n in vars(mod) if not n.startswith("_")]
        for n in names:
            obj = getattr(mod, n, None)
            if obj is None:
                continue
            if inspect.isclass(obj):
                if getattr(obj, "__module__", None) != modname:
                    continue  # re-exported from elsewhere: generate it for its own module
                out["classes"].append(self.klass(obj, modname))
            elif callable(obj) and (inspect.isfunction(obj) or inspect.isbuiltin(obj) or hasattr(obj, "__wrapped__")):
                if getattr(obj, "__module__", modname) not in (modname, None) and not inspect.isbuiltin(obj):
                    continue  # imported from another module, not this module's API
                hints_from = stub.get(n) if stub is not None and callable(stub.get(n)) else None
                qual = "%s.%s" % (modname, n)
                if hints_from is not None:
                    d = self.function(hints_from, n, qual)
                    d["doc"] = inspect.getdoc(obj) or d["doc"]
                else:
                    d = self.function(obj, n, qual)
                out["functions"].append(d)
        return out


def _stub_namespace(mod, warnings):
    """The namespace of the .pyi stub shipped beside the module, evaluated, or None."""
    f = getattr(mod, "__file__", None)
    if not f:
        return None
    base = f[:-len("__init__.py")] + "__init__.pyi" if f.endswith("__init__.py") else os.path.splitext(f)[0] + ".pyi"
    if not os.path.exists(base):
        return None
    ns = {"__name__": mod.__name__ + "__pyjama_stub__"}
    try:
        with open(base, encoding="utf-8") as src:
            exec(compile(src.read(), base, "exec"), ns)
        return ns
    except Exception as e:
        warnings.append("%s: stub %s could not be evaluated (%s); the runtime signatures are used"
                        % (mod.__name__, base, e))
        return None


def _render(sig, hints):
    """The signature with its hints evaluated (no quoted forward references), for the Javadoc."""
    try:
        ps = [p.replace(annotation=hints.get(p.name, p.annotation)) for p in sig.parameters.values()]
        sig = sig.replace(parameters=ps, return_annotation=hints.get("return", sig.return_annotation))
        return str(sig).replace("typing.", "")
    except Exception:
        return str(sig)


def _own_members(cls):
    for name, attr in cls.__dict__.items():
        yield name, attr


def _own_doc(cls):
    doc = cls.__dict__.get("__doc__")
    if not isinstance(doc, str):
        return ""
    # dataclasses and NamedTuple make up a docstring from the signature: not worth repeating
    if doc.startswith(cls.__name__ + "("):
        return ""
    return inspect.cleandoc(doc)


def _name(x):
    return getattr(x, "__qualname__", None) or getattr(x, "__name__", None) or repr(x)


def _short_repr(v):
    try:
        r = repr(v)
    except Exception:
        r = "<%s>" % type(v).__name__
    return r if len(r) <= 60 else r[:57] + "..."


def describe(modules):
    d = Describer(modules)
    out = [d.module(m) for m in modules]
    return {"modules": out, "warnings": d.warnings,
            "python": "%d.%d.%d" % sys.version_info[:3]}
