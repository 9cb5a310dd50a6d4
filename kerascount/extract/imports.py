"""Imports: ``import``/``from … import``, the project modules they load, and references outside the code.

A name bound by an import becomes a reference (:class:`~kerascount.extract.values.KerasRef` for Keras,
``ExternalRef`` for other libraries, ``ModuleRef`` for a project module read by the same interpreter).
Nothing is imported: a project module is parsed and run by the analysis, at most ``_MAX_IMPORTED_BYTES`` of
source for one file.
"""

from __future__ import annotations

import os
from typing import Any, Dict, Optional, Tuple

import ast

from ..nodes import walk_list
from ..project import find_module as _find_module, parsed_module
from ..symbolic import Expr, symbol
from .. import catalogue
from . import known_helpers, names, sources
from .values import VERSION_MAKERS, ModuleRef, Builtin, ClassValue, ExternalRef, Function, KerasRef, ListValue
from .builtin_calls import MATH_CONSTANTS
from .scopes import (Scope, _BUILTINS, _MISSING, _PROCESS_INPUTS, _Raise, _STDLIB, _Signal, _parse)


#: Project modules read for one file's imports, in bytes of source at most.
_MAX_IMPORTED_BYTES = 2_000_000
_KNOWN_EXTERNAL = {"copy", "functools", "math", "numpy", "pandas", "sklearn", "tensorflow"}
#: Functions of other standard modules that the analysis follows (builtin_calls.call_external).
_FOLLOWED_STDLIB = frozenset({"dataclasses.field", "dataclasses.replace", "types.SimpleNamespace",
                              "argparse.Namespace", "collections.namedtuple", "collections.OrderedDict",
                              "itertools.chain", "itertools.product", "pprint.pprint", "pprint.pp",
                              "importlib.import_module", "abc.ABC", "abc.ABCMeta", "abc.abstractmethod",
                              "random.randint", "random.randrange"})
#: tqdm's progress bars: iterating ``tqdm(items, ...)`` gives the items of ``items``, and ``trange(*a)`` those of
#: ``range(*a)``, whatever the bar's other arguments (``desc=``, ``total=``, ``leave=``...): a loop's header reads
#: them so (control.py ``progress_bar_items``); anywhere else they are calls of code the analysis does not see.
TQDM_WRAPPERS = frozenset({*(f"tqdm.{module}tqdm" for module in ("", "auto.", "notebook.", "autonotebook.", "std.")),
                           "tqdm.tqdm_notebook"})
TQDM_RANGES = frozenset({*(f"tqdm.{module}trange" for module in ("", "auto.", "notebook.", "autonotebook.", "std.")),
                         "tqdm.tnrange"})
#: Kaggle Learn's exercise checker: ``binder.bind(globals())`` only keeps the globals to read (builtin_calls.py).
_LEARNTOOLS_BINDER = "learntools.core.binder."
#: What ``six.moves`` gives for a builtin's name on Python 3: the builtin itself (``xrange`` is ``range``).
_SIX_BUILTINS = {"range": "range", "xrange": "range", "zip": "zip", "map": "map", "input": "input"}

#: The modules of Keras 2's layers as written in imports (``tf_keras``, which is Keras 2 itself, is not one).
_LAYER_IMPORT_MODULES = frozenset(f"{root}.layers{sub}" for root in ("keras", "tensorflow.keras")
                                  for sub in ("", ".experimental", ".experimental.preprocessing"))


def keras3_lacks(module: str, name: str) -> bool:
    """Does ``from module import name`` raise ImportError under Keras 3 (and ``module.name`` AttributeError), by a layer
    class Keras 3's ``keras.layers`` does not have (``CuDNNLSTM``, ``SyncBatchNormalization``)? Keras 3 has no ``keras.layers.experimental`` at all,
    but a class Keras 3 does have imported from there (``experimental.preprocessing.Rescaling``) is read as Keras 3's,
    as everywhere else, and so is a submodule (``experimental.preprocessing``)."""
    if module not in _LAYER_IMPORT_MODULES or catalogue.known_layers_export(name):
        return False
    return module.endswith(".layers") or name[:1].isupper()


def _module_parse(text: str) -> Any:
    """A project module's tree, parsed as the analysis of a file parses it (``extract._cpython_parse``, whose bound on
    nesting may refuse what ``_parse`` takes): such a tree is marked, and the file's own analysis later in the run
    takes it instead of parsing the same text again (``project.file_tree``). A text that parse refuses is parsed
    as before."""
    from . import _cpython_parse  # (extract/__init__.py imports this module)

    tree, _ = _cpython_parse(text)
    if tree is None:
        return _parse(text)
    tree._kc_file_parse = True
    return tree


class Imports:
    """Mixin of :class:`~kerascount.extract.interpreter.Interpreter`: imports and references."""

    def exec_Import(self, s: ast.Import, scope: Scope) -> None:
        for alias in s.names:
            full = alias.name
            if not self.importing and names.canonical(full) is not None:
                self.imports_keras = True
            if names.canonical(full) is None and full.split(".")[0] not in _KNOWN_EXTERNAL:
                local = self.load_module(full, 0)
                if local is not None and (alias.asname is not None or "." not in full):
                    bound = alias.asname if alias.asname is not None else full
                    scope.set(bound, ModuleRef(local, full))
                    continue
                top = self.package_chain(full, local) if local is not None else None
                if top is not None:  # `import package.module` binds `package`
                    scope.set(full.split(".")[0], top)
                    continue
            if full == "keras" and isinstance(self.ref(full), KerasRef):
                scope.set(alias.asname or full, KerasRef("keras", origin="keras"))  # keras.__version__ is "3.…"
            elif alias.asname is not None:
                value = self.ref(full)
                scope.set(alias.asname, value)
                if self.outside_package(value, full):  # import efficientnet.keras as efn
                    self.import_origins[alias.asname] = (f"`{full}`, which is not a module of the analysed project "
                                                         "(kerascount reads no installed package)")
            else:
                top = full.split(".")[0]
                value = self.ref(top)
                scope.set(top, value)
                if self.outside_package(value, top):  # import tensorflow_addons
                    self.import_origins[top] = (f"`{top}`, which is not a module of the analysed project "
                                                "(kerascount reads no installed package)")

    def outside_package(self, value: Any, full: str) -> bool:
        """Whether ``import full`` bound ``value``, a module of a package from outside the project that the analysis
        knows nothing of (not the standard library, not Keras, not a library it follows: NumPy, TensorFlow...)."""
        top = full.split(".")[0]
        return isinstance(value, (Expr, ExternalRef)) and top not in _STDLIB and top not in _KNOWN_EXTERNAL and \
            names.canonical(full) is None

    def exec_ImportFrom(self, s: ast.ImportFrom, scope: Scope) -> None:
        level = s.level or 0
        module = "." * level + (s.module or "")
        local = partial = None
        if names.canonical(module.lstrip(".")) is None or module.startswith("."):
            local = self.load_module(module.lstrip("."), level)
            if local is None:
                local = partial = self.partial_module(module.lstrip("."), level)
        if not self.importing and names.canonical(module.lstrip(".")) is not None:
            self.imports_keras = True
        if len(s.names) == 1 and s.names[0].name == "*":
            canon = names.canonical(module)
            if canon is not None:
                self.star_imports.append(canon)
            elif local is None:
                self.foreign_star = True
            if local is not None and canon is None:
                exported = local.vars.get("__all__")
                exported = exported.items if isinstance(exported, ListValue) and exported.tainted is None else \
                    exported if isinstance(exported, tuple) else None
                if exported is not None and all(isinstance(key, str) for key in exported):
                    for key in exported:  # (`__all__` says what `import *` binds)
                        if key in local.vars:
                            scope.set(key, local.vars[key])
                    return
                for key, value in local.vars.items():
                    if not key.startswith("_"):
                        scope.set(key, value)
                # and what the module's own `from keras.layers import *` bound there (Python copies those too)
                self.star_imports.extend(self.module_stars.get(id(local), ()))
            return
        package_dir = os.path.basename(os.path.dirname(os.path.abspath(self.path))) if module.startswith(".") else ""
        for alias in s.names:
            name = alias.name
            bound = alias.asname if alias.asname is not None else name
            inside = known_helpers.relative_path(module, package_dir, name) if package_dir else None
            if inside in known_helpers.PACKAGE_GLOBALS:
                scope.set(bound, self.known_helper(inside))
                continue
            if (local is None or local.get(name) is _MISSING) and (module.startswith(".") or local is not None or
                                                                    self.namespace_package(module)):
                # ``from package import submodule``: Python imports the submodule the package does not bind (a
                # folder without ``__init__.py`` too: a namespace package, ``from config import setup``)
                problem = self.import_problem
                sub = self.load_module(f"{module.lstrip('.')}.{name}".lstrip("."), level)
                if sub is not None:
                    scope.set(bound, ModuleRef(sub, f"{module}.{name}"))
                    continue
                self.import_problem = problem
            if local is not None and not (local is partial and local.get(name) is _MISSING):
                # (a name a partly run module has not bound, nor a submodule: Python raises ImportError there;
                # it stays a symbol that says the import cycle is why)
                value = local.get(name)
                scope.set(bound, self.made_symbol(bound, f"imported from `{module}`, which does not define it",
                                                  s) if value is _MISSING else value)
                if value is _MISSING:
                    self.import_origins[bound] = f"`{module}`, which does not define `{name}` where the analysis sees it"
                continue
            if module.startswith("."):
                helper = self.known_helper(inside) if inside is not None else None
                scope.set(bound, self.made_symbol(bound, f"imported from `{module}`", s)
                          if helper is None else helper)
                if helper is None:
                    self.unfollowed_import(bound, module)
                continue
            if (self.guarded or self.undecided) and keras3_lacks(module, name):
                # Keras 3's keras.layers has no such name (CuDNNLSTM, Keras 2's GPU-only layer; Keras 2's
                # layers.experimental.SyncBatchNormalization), so the import raises ImportError: inside a `try`
                # with handlers, a handler runs; in a branch of an undecided condition, that way builds nothing
                # under Keras 3 and the other ways decide (an import outside both is left to the call, whose
                # reason says Keras 3 has no such layer).
                raise _Raise("ImportError")
            builtin = _SIX_BUILTINS.get(name) if module == "six.moves" else name if module == "builtins" else None
            if builtin in _BUILTINS:
                scope.set(bound, Builtin(builtin))  # from six.moves import range: Python 3's own range
                continue
            if module == "keras.models" and name == "Input":
                # standalone Keras 1/2's keras.models re-exported Input (``from keras.models import Model, Input``);
                # Keras 3's has no Input (the import fails: KC404 says so), nor had tf.keras's public keras.models
                value = self.ref("keras.Input", bound, s)
            else:
                value = self.ref(f"{module}.{name}", bound, s)
            scope.set(bound, value)
            if isinstance(value, Expr):
                self.unfollowed_import(bound, module)

    def unfollowed_import(self, bound: str, module: str) -> None:
        """Note where ``bound`` comes from: ``module``, which the last ``load_module`` did not analyse."""
        if self.import_problem is not None:
            self.import_origins[bound] = f"`{module}`, a module of the project that is not analysed ({self.import_problem})"
            key = (bound, self.uncalled)
            if key in self.symbol_origins:
                self.symbol_origins[key] = (f"imported from `{module}`, a module of the project that is not analysed",
                                            self.symbol_origins[key][1])
        elif module.startswith("."):
            self.import_origins[bound] = f"`{module}`, which is not found (looked for from `{os.path.basename(self.path)}`)"
        elif module.split(".")[0] not in _STDLIB:
            self.import_origins[bound] = (f"`{module}`, which is not a module of the analysed project (kerascount "
                                          "reads no installed package)")

    def origin_reason(self, text: str, func: Any) -> Optional[str]:
        """Why calling the name ``text``, bound by an import the analysis could not follow, is not analysed;
        else None."""
        if not isinstance(func, Expr):
            return None
        if func != symbol(text):
            return None
        if text in self.import_origins:
            return f"`{text}` is imported from {self.import_origins[text]}"
        head = text.split(".", 1)[0]
        if head != text and head in self.import_origins and self.import_origins[head].endswith("(kerascount reads no installed package)"):
            # efn.EfficientNetB0 of `import efficientnet.keras as efn`: an attribute of a module from outside the project
            return f"`{text}` is read from `{head}`, which is imported from {self.import_origins[head]}"
        return None

    def import_module_call(self, args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> Any:
        """``importlib.import_module("configs.small")`` (or ``(".small", package="configs")``) of a module of the
        project, or of Keras: what ``import`` binds for that name (the module itself, not its top package); None
        for anything else (read as any outside call)."""
        name = args[0] if args else kwargs.get("name")
        package = args[1] if len(args) > 1 else kwargs.get("package")
        if not isinstance(name, str) or not name.strip(".") or len(args) + len(kwargs) > 2 or \
                package is not None and not isinstance(package, str):
            return None
        level = len(name) - len(name.lstrip("."))
        dotted = name.lstrip(".")
        if level:
            if not package:
                return None  # (Python raises TypeError: a relative name needs its package)
            dotted = f"{package}.{dotted}" if level == 1 else None
            if dotted is None:
                return None
        if names.canonical(dotted) is not None:
            return self.ref(dotted)
        if dotted.split(".")[0] in _KNOWN_EXTERNAL:
            return None
        local = self.load_module(dotted, 0)
        return ModuleRef(local, dotted) if local is not None else None

    def load_module(self, dotted: str, level: int) -> Optional[Scope]:
        """Run a module of the analysed project once; its top-level scope.

        Only files of the project are read, found as pyright and ruff find first-party code
        (kerascount/project.py: the file's folder or package, then the folders above it up to the
        project root); nothing else on the machine is.
        """
        self.import_problem = None
        path = _find_module(self.path, dotted, level)
        if path is None:
            return None
        key = os.path.realpath(path)
        if key in self.modules:
            # None while it is being loaded (an import cycle) or when it could not be
            if self.modules[key] is None:
                self.import_problem = self.module_problems.get(key, "an import cycle reaches it while it is read")
            return self.modules[key]
        if len(self.modules) >= 64:
            self.import_problem = "more than 64 modules of the project are imported"
            return None
        self.modules[key] = None
        try:
            size = os.path.getsize(path)
            if size > 1_000_000 or self.loaded_bytes + size > _MAX_IMPORTED_BYTES:
                # its names stay symbols (parsing it would cost more than any step limit bounds)
                self.import_problem = self.module_problems[key] = \
                    "over 1 MB" if size > 1_000_000 else "the project's modules imported exceed 2 MB"
                return None
            self.loaded_bytes += size
            text, module, nodes = parsed_module(path, size, _module_parse)
            if module is self.module:
                # The file analysed imports itself (through a cycle) and its tree is the one this run reads as the
                # file's own (project.file_tree): the module gets a tree of its own, as it did before trees were
                # shared (an adopted tree's nodes have no span in this file).
                module = _parse(text)
                nodes = tuple(walk_list(module))
        except (OSError, UnicodeDecodeError, SyntaxError, ValueError, RecursionError, MemoryError) as exc:
            self.import_problem = self.module_problems[key] = f"it cannot be read: {type(exc).__name__}"
            return None
        self.positions.adopt(module, text, nodes)
        scope = Scope(journal=self.journal)
        self.module_trees[id(scope)] = module
        scope.set("__name__", dotted or os.path.splitext(os.path.basename(path))[0])
        scope.set("__file__", path)
        saved = (self.path, self.star_imports)
        self.path, self.star_imports = path, self.module_stars.setdefault(id(scope), [])
        self.importing += 1
        self.loading[key] = scope
        try:
            self.exec_block(module.body, scope)
        except _Signal:
            pass
        finally:
            self.importing -= 1
            self.path, self.star_imports = saved
            del self.loading[key]
        self.modules[key] = scope
        return scope

    def package_chain(self, full: str, local: Scope) -> Optional[ModuleRef]:
        """``import package.sub.module`` of a project module (``local``, already read): what it binds to
        ``package``. As Python's import does, each package on the way is read (its ``__init__.py``; a folder
        without one is a namespace package, one scope per name for the whole run) and gets its submodule as an
        attribute, so that ``package.sub.module.f`` reads the module's ``f``. None when a package on the way is
        not one of the project's."""
        parts = full.split(".")
        child = ModuleRef(local, full)
        for i in range(len(parts) - 1, 0, -1):
            prefix = ".".join(parts[:i])
            problem = self.import_problem
            package = self.load_module(prefix, 0) or self.partial_module(prefix, 0)
            self.import_problem = problem
            if package is None:
                package = self.namespace_scopes.get(prefix)
                if package is None:
                    if not self.namespace_package(prefix):
                        return None
                    package = self.namespace_scopes[prefix] = Scope(journal=self.journal)
                    package.set("__name__", prefix)
            package.set(parts[i], child)
            child = ModuleRef(package, prefix)
        return child

    def namespace_package(self, module: str) -> bool:
        """Could ``module`` (absolute, not Keras's nor a known third party's) be a folder of the project that has
        no ``__init__.py``, whose submodules ``from module import name`` imports (Python 3's namespace packages)?
        Only a project folder holds what load_module then finds."""
        return bool(module) and names.canonical(module) is None and module.split(".")[0] not in _KNOWN_EXTERNAL \
            and module.split(".")[0] not in _STDLIB

    def partial_module(self, dotted: str, level: int) -> Optional[Scope]:
        """The scope of a module of the project that is being loaded (an import cycle leads back to it), as far
        as its code has run: what ``from package import name`` reads of a partly initialised package (a name
        it has bound, else its submodule ``package.name``, which Python imports then); None otherwise."""
        path = _find_module(self.path, dotted, level)
        return None if path is None else self.loading.get(os.path.realpath(path))

    def ref(self, path: str, display: Optional[str] = None, at: Any = None) -> Any:
        """What an imported or attribute path denotes; ``display`` names its symbol, made at ``at`` (a node)."""
        canon = names.canonical(path)
        helper = self.known_helper(canon or path)
        if helper is not None:
            return helper
        if canon is not None:
            return KerasRef(canon)
        if path in MATH_CONSTANTS:
            return MATH_CONSTANTS[path]  # math.pi
        if path in known_helpers.INJECTED_MODULES:
            return KerasRef(known_helpers.INJECTED_MODULES[path])  # keras_applications._KERAS_LAYERS
        if path.split(".")[0] in _KNOWN_EXTERNAL or "." not in path or path.split(".")[0] in names.KERAS_HUB or \
                path.split(".")[0] == names.TF_HUB or f"{path}.".startswith(_LEARNTOOLS_BINDER) or \
                path in _FOLLOWED_STDLIB or path in sources.GYM_MAKE or path in VERSION_MAKERS or \
                path in sources.GYM_WRAPPER_MODULES or path.rsplit(".", 1)[0] in sources.GYM_WRAPPER_MODULES or \
                path in ("distutils.version", "packaging.version") or path in known_helpers.MODULE_PATHS or \
                path in TQDM_WRAPPERS or path in TQDM_RANGES:
            return ExternalRef(path)
        # A value from another module of the project or a third party: a symbol.
        return self.made_symbol(display or path, _PROCESS_INPUTS.get(path) or (
            f"imported from `{path.rsplit('.', 1)[0]}`, outside the analysed project" if "." in path else
            "imported from outside the analysed project"), at)

    def known_helper(self, path: str) -> Optional[Function]:
        """The function ``path`` names when it is a helper of Keras's ecosystem the analysis knows as source
        (extract/known_helpers.py), made once per file; else None."""
        source = known_helpers.source_for(path)
        if source is None:
            return None
        made = self.helpers.get(path)
        if made is None:
            scope = Scope(journal=self.journal)
            self.importing += 1
            try:
                tree = _parse(source)
                self.positions.adopt(tree, source)
                self.exec_block(tree.body, scope)
            finally:
                self.importing -= 1
            made = self.helpers[path] = scope.get(path.rsplit(".", 1)[1])
            if path in known_helpers.HYPERMODEL_PATHS and isinstance(made, ClassValue):
                made.plain = "hypermodel"  # (its subclasses' `build` is run as a tuner runs it)
        return made
