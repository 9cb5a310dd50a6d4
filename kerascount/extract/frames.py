"""pandas frames and series with the shapes their source determines.

A frame read from a file (``pd.read_csv("diabetes.csv")``) has a number of rows and of columns the
source does not show: each is a symbol named after the call's text (``len(pd.read_csv("diabetes.csv"))``
and ``len(pd.read_csv("diabetes.csv").columns)``), so that what the script selects keeps its relation to
them: ``df.drop(columns=["Outcome"])`` has one column less, ``df.iloc[:, :-1]`` too, ``df[["a", "b"]]``
has two, and a model sized by ``X.shape[1]`` is checked against data of that width. Only operations
whose result shape is certain are followed (``iloc[:, 2:8]`` may be clipped by a narrower file: its
width is a symbol of its own); anything else is unknown.
"""

from __future__ import annotations

import ast
import re

from typing import Any, Dict, Optional, Tuple

from .arrays import NOT_MINE, _is_int
from .sources import DataObject, opaque
from .values import ArrayValue

#: pandas readers: each gives one frame (``sheet_name=None``, ``chunksize=`` and ``iterator=True`` excepted).
READERS = ("read_csv", "read_excel", "read_parquet", "read_table", "read_json", "read_feather", "read_fwf",
           "read_sql", "read_sql_query", "read_sql_table", "read_pickle", "read_orc", "read_stata", "read_sas")


def _symbol(interp: Any, text: str, e: Any, origin: str = "the data's shape, of a pandas frame", of: Any = None) -> Any:
    """The symbol ``text`` of a size of data, made at ``e`` (``of``: the frame or series it is read from, as it is
    now: another symbol once that was changed in place)."""
    return interp.made_symbol(text, origin, e, of)


def _column_text(interp: Any, e: Any, series: "Series") -> str:
    """The text of ``df[col].nunique()`` (``unique()``) with the name of the column ``col`` holds written in, as
    ``df['store'].nunique()``, where ``col`` is no literal (a loop over column names, as entity-embedding code
    makes one embedding per column): each column's size then has a name of its own. Else the source text."""
    target = e.func.value if isinstance(e, ast.Call) and isinstance(e.func, ast.Attribute) else None
    if series.label is None or not isinstance(target, ast.Subscript) or isinstance(target.slice, ast.Constant) or \
            e.args or e.keywords:
        return interp.code(e)
    return f"{interp.code(target.value)}[{series.label!r}].{e.func.attr}()"


def _names(interp: Any, v: Any) -> Optional[int]:
    """How many column names ``v`` holds: one for a string, the length of a list or tuple of strings."""
    if isinstance(v, str):
        return 1
    items = interp.sequence(v) if not isinstance(v, (ArrayValue, DataObject)) else None
    if items is not None and all(isinstance(i, (str, int)) and not isinstance(i, bool) for i in items):
        return len(items)
    if isinstance(v, Columns):
        return v.count if v.count is not None else None
    return None


def _distinct_names(interp: Any, v: Any) -> Optional[int]:
    """How many distinct column labels ``v`` names (a string, or a list or tuple of strings and ints): what
    ``drop`` removes (``df.drop(columns=["a", "a"])`` drops one column), None for anything else."""
    if isinstance(v, str):
        return 1
    items = interp.sequence(v) if not isinstance(v, (ArrayValue, DataObject)) else None
    if items is not None and all(isinstance(i, (str, int)) and not isinstance(i, bool) for i in items):
        return len(set(items))
    return None


def _index_columns(interp: Any, v: Any) -> Optional[int]:
    """How many columns a reader's ``index_col=`` takes out of the frame's columns (they become its index):
    0 for None and False, 1 for a label or a position, the number of distinct ones of a list; None otherwise."""
    if v is None or v is False:
        return 0
    if isinstance(v, (str, int)) and not isinstance(v, bool):
        return 1
    return _distinct_names(interp, v)


def _excel_letters(text: str) -> Optional[int]:
    """How many columns ``read_excel``'s ``usecols="A:E"`` (Excel letters and ranges, comma separated: "A,C,E:F")
    names; None for text of another form (a string is not one column name there)."""
    def index(letters: str) -> Optional[int]:
        if not re.fullmatch(r"[A-Za-z]{1,3}", letters):
            return None
        n = 0
        for ch in letters.upper():
            n = n * 26 + ord(ch) - ord("A") + 1
        return n

    total = 0
    for part in text.split(","):
        ends = [index(p.strip()) for p in part.split(":")]
        if not 1 <= len(ends) <= 2 or None in ends or ends[-1] < ends[0]:
            return None
        total += ends[-1] - ends[0] + 1
    return total


def _minus(a: Any, n: int) -> Any:
    return None if a is None else a - n


class Frame(DataObject):
    """A DataFrame of ``rows`` x ``cols`` (ints, symbols, or None when not known)."""

    def __init__(self, rows: Any, cols: Any, labels: Any = None) -> None:
        self.rows, self.cols = rows, cols
        #: What stands for its column labels: the same object for frames known to have the same labels in the
        #: same order (a slice of rows, a copy, the frame after arithmetic), a new one for any other frame.
        self.labels = labels if labels is not None else object()

    def as_array(self) -> Optional[ArrayValue]:
        return ArrayValue((self.rows if self.rows is not None else None, self.cols)) if self.cols is not None else None

    def length(self) -> Any:
        return self.rows

    def with_rows(self, rows: Any) -> "Frame":
        return Frame(rows, self.cols, self.labels)

    def changed(self) -> None:
        self.rows = self.cols = None  # df["new"] = ... adds a column, df.loc[n] = ... a row
        self.version += 1
        self.labels = object()

    def delete_column(self) -> None:
        """``del df["name"]``: one column less, the rows as they were (a width read from here on, where the width
        is not known, is another symbol: ``version``)."""
        self.version += 1
        self.labels = object()
        self.cols = _minus(self.cols, 1)

    def set_column(self, interp: Any, e: "ast.AST") -> None:
        """``df["name"] = ...``: a column replaced, or added where the frame has no column of that name, which the
        source does not show, so the number of columns is a symbol of its own from here on. The rows stay (pandas
        raises for values of another length, unless the frame has no rows and no index)."""
        self.version += 1
        self.labels = object()
        self.cols = _symbol(interp, f"{interp.code(e.value)}.shape[1]", e,
                            "the data's shape, of a pandas frame given a column that may be a new one", of=self)

    def attribute(self, interp: Any, name: str, e: "ast.AST") -> Any:
        if name == "values":
            return self.as_array() or opaque(interp, f"`{interp.code(e)}`: the number of columns is not known", e)
        if name == "shape":
            return tuple(_symbol(interp, f"{interp.code(e)}[{i}]", e, of=self) if d is None else d
                         for i, d in enumerate((self.rows, self.cols)))
        if name == "columns":
            return Columns(self.cols)
        if name == "index":
            return Columns(self.rows)
        if name in ("iloc", "loc"):
            return Locator(self, name)
        if name == "T":
            return Frame(self.cols, self.rows)
        if name == "ndim":
            return 2
        if not name.startswith("_") and name not in _PROPERTIES and name not in _METHODS:
            # df.Amount: the column of that name, as df["Amount"]; called (df.head()), the method (`method_of`)
            column = Series(self.rows)
            column.method_of = (self, name)
            return column
        return super().attribute(interp, name, e)

    def method(self, interp: Any, name: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: "ast.AST") -> Any:
        if name == "to_numpy":
            return self.attribute(interp, "values", e)
        if name in ("append", "_append") and len(args) == 1 and not kwargs.keys() - {"ignore_index", "sort"}:
            # rows of frames with the same columns under this one's (DataFrame._append, pandas 2's private
            # name of the `append` pandas 1 had): the columns stay
            others = interp.sequence(args[0]) if not isinstance(args[0], DataObject) else [args[0]]
            if others and all(type(o) is Frame and o.labels is self.labels for o in others):
                return Frame(None, self.cols, self.labels)
        if name in ("copy", "fillna", "astype", "abs", "round", "sort_values", "sort_index", "replace", "clip",
                    "ffill", "bfill", "interpolate", "infer_objects", "shift", "diff", "pct_change", "cumsum",
                    "cumprod", "cummax", "cummin") and not kwargs.get("inplace"):
            # (values changed or moved along the rows, NaN where none come: the same rows and columns)
            return Frame(self.rows, self.cols, self.labels)
        if name == "set_index":
            return self.set_index(interp, args, kwargs, e)
        if name == "reindex" and len(args) <= 1 and not kwargs.keys() - {"index"} and len(args) + len(kwargs) <= 1:
            # df.reindex(np.random.permutation(df.index)): the rows those labels name (NaN for a label of none),
            # every column as it was; df.reindex(): a copy
            return Frame(None if args or kwargs else self.rows, self.cols, self.labels)
        if name == "rename" and kwargs.get("errors", "ignore") == "ignore" and \
                kwargs.get("inplace") in (None, True, False):
            # df.rename(columns={"AT": "Temperature"}): labels replaced (those of no column skipped), none added or
            # removed: the same rows and columns, under other labels
            if kwargs.get("inplace"):
                self.labels = object()
                return None
            return Frame(self.rows, self.cols)
        if name in ("merge", "join") and args and isinstance(args[0], (Frame, Series)):
            # ratings.merge(movies, on="movieId"): a new frame, of rows and columns the data decides
            return Frame(None, None)
        if name in ("rolling", "expanding", "ewm", "resample") and "on" not in kwargs and "axis" not in kwargs:
            return Windowed(self, name)
        # (rows picked, dropped or moved: the columns and their labels stay)
        if name == "sample" and "frac" in kwargs and kwargs["frac"] == 1 and not args:
            return Frame(self.rows, self.cols, self.labels)
        if name == "reset_index" and kwargs.get("drop") is True and not kwargs.get("inplace"):
            return Frame(self.rows, self.cols, self.labels)
        if name in ("dropna", "drop_duplicates", "head", "tail", "sample", "query") and not kwargs.get("inplace") \
                and (name != "dropna" or kwargs.get("axis", 0) in (0, "index")):
            return Frame(None, self.cols, self.labels)
        if name == "drop":
            return self.drop(interp, args, kwargs, e)
        if name == "insert":
            self.cols = None if self.cols is None else self.cols + 1
            self.labels = object()
            return None
        if name == "pop" and len(args) == 1 and isinstance(args[0], str):
            self.cols = _minus(self.cols, 1)
            self.labels = object()
            return Series(self.rows)
        if name == "filter" and _names(interp, kwargs.get("items")) is not None and len(args) == 0:
            return Frame(self.rows, None)  # (the items that are columns: filter skips the others)
        if name in ("mean", "sum", "std", "var", "min", "max", "median") and not args and \
                kwargs.get("axis", 0) in (0, "index"):
            if kwargs.get("numeric_only"):
                return Series(None)  # (fewer columns)
            return Series(self.cols, index=self.labels)  # (one value per column, indexed by the column labels)
        if name == "select_dtypes":
            return Frame(self.rows, _symbol(interp, f"{interp.code(e)}.shape[1]", e, of=self))
        if kwargs.get("inplace") is True and (
                name in ("fillna", "sort_values", "sort_index", "replace", "clip", "ffill", "bfill", "interpolate")
                or name in ("dropna", "drop_duplicates") and kwargs.get("axis", 0) in (0, "index")
                or name == "reset_index" and kwargs.get("drop") is True):
            # df.dropna(inplace=True): rows dropped or values changed in place, the columns as they were (a size
            # read from here on is another symbol: `version`)
            self.version += 1
            if name in ("dropna", "drop_duplicates"):
                self.rows = None
            return None
        if kwargs.get("inplace"):
            self.changed()
        return opaque(interp, f"`{interp.code(e)}` is not followed", e)

    def set_index(self, interp: Any, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: "ast.AST") -> Any:
        """``df.set_index("Date")``, ``set_index(["a", "b"], inplace=True)``: those columns become the index (a column
        less for each distinct label, with the default ``drop=True``); the rows stay."""
        keys = args[0] if args else kwargs.get("keys")
        count = _distinct_names(interp, keys) if not isinstance(keys, int) else None
        inplace = kwargs.get("inplace")
        if count is None or kwargs.get("drop", True) is not True or kwargs.get("append", False) is not False or \
                inplace not in (None, True, False) or len(args) > 1:
            if inplace:
                self.changed()
                return None
            return opaque(interp, f"`{interp.code(e)}` is not followed", e)
        if inplace:
            self.version += 1
            self.cols = _minus(self.cols, count)
            self.labels = object()
            return None
        return Frame(self.rows, _minus(self.cols, count))

    def drop(self, interp: Any, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: "ast.AST") -> Any:
        """``drop(columns=[...])``, ``drop([...], axis=1)``, ``drop(index=...)``: a column less for each name."""
        axis = kwargs.get("axis", args[1] if len(args) > 1 else 0)
        labels = args[0] if args else kwargs.get("labels")
        if "columns" in kwargs and labels is None:
            labels, axis = kwargs["columns"], 1
        if "index" in kwargs and labels is None:
            labels, axis = kwargs["index"], 0
        count = _distinct_names(interp, labels)
        if kwargs.get("errors") == "ignore":
            count = None  # labels that are not columns are skipped
        if axis in (1, "columns") and kwargs.get("errors") == "ignore":
            out: Optional[Frame] = Frame(self.rows, None)
        elif axis in (1, "columns") and count is not None:
            out = Frame(self.rows, _minus(self.cols, count))
        elif axis in (0, "index"):
            out = Frame(None, self.cols)
        else:
            out = None
        if kwargs.get("inplace"):
            if out is None:
                self.changed()
            else:
                self.rows, self.cols = out.rows, out.cols
                self.labels = object()
            return None
        return out if out is not None else opaque(interp, f"`{interp.code(e)}` is not followed", e)

    def subscript(self, interp: Any, keys: Any, e: "ast.AST") -> Any:
        if len(keys) != 1:
            return opaque(interp, f"`{interp.code(e)}` is not followed", e)
        key = keys[0]
        if isinstance(key, str):
            return Series(self.rows, label=key)
        if type(key) is Series and key.mask:
            return Frame(None, self.cols, self.labels)  # df[df["a"] > 0]: the rows where the mask holds, every column
        if isinstance(key, slice):
            # rows by position (labels of a default index: the same), the columns as they are
            rows = _width(self.rows, key) if self.rows is not None else NOT_MINE
            if rows is NOT_MINE:
                rows = _symbol(interp, f"len({interp.code(e)})", e, of=self)
            return Frame(rows, self.cols, self.labels)
        count = _names(interp, key)
        if count is not None and not isinstance(key, (str, int)):
            return Frame(self.rows, count)
        return opaque(interp, f"`{interp.code(e)}` is not followed", e)


#: The attributes of a DataFrame that are neither methods nor columns (``df.Amount`` is the column "Amount").
_PROPERTIES = frozenset({"T", "at", "attrs", "axes", "columns", "dtypes", "empty", "flags", "iat", "iloc", "index",
                         "loc", "ndim", "plot", "shape", "size", "sparse", "style", "values", "ftypes", "is_copy"})


#: Methods of a DataFrame whose names a column may have too (`df.count` is the method, whatever the columns): read as
#: an attribute they stay what they were (a method), never a column. Other names are columns unless called.
_METHODS = frozenset({
    "abs", "add", "agg", "aggregate", "align", "all", "any", "apply", "applymap", "asfreq", "assign", "astype", "bfill",
    "boxplot", "clip", "combine", "compare", "copy", "corr", "count", "cov", "cummax", "cummin", "cumprod", "cumsum",
    "describe", "diff", "div", "divide", "dot", "drop", "drop_duplicates", "dropna", "duplicated", "eq", "equals",
    "ewm", "expanding", "explode", "ffill", "fillna", "filter", "first", "floordiv", "ge", "get", "groupby", "gt",
    "head", "hist", "idxmax", "idxmin", "info", "insert", "interpolate", "isin", "isna", "isnull", "items", "join",
    "keys", "kurt", "last", "le", "lt", "map", "mask", "max", "mean", "median", "melt", "memory_usage", "merge", "min",
    "mod", "mode", "mul", "multiply", "ne", "nlargest", "notna", "notnull", "nsmallest", "nunique", "pct_change",
    "pipe", "pivot", "pivot_table", "pop", "pow", "prod", "product", "quantile", "query", "rank", "reindex", "rename",
    "replace", "resample", "reset_index", "rolling", "round", "sample", "select_dtypes", "sem", "set_index", "shift",
    "skew", "sort_index", "sort_values", "squeeze", "stack", "std", "sub", "subtract", "sum", "tail", "take",
    "to_csv", "to_dict", "to_excel", "to_numpy", "transform", "transpose", "truediv", "unstack", "update",
    "value_counts", "var", "where"})


class Series(DataObject):
    """A Series of ``rows`` values."""

    def __init__(self, rows: Any, index: Any = None, mask: bool = False, label: Optional[str] = None) -> None:
        self.rows = rows
        #: The column's name, for a column a frame gives by a name the analysis knows (``df[col]``, ``col`` a loop's
        #: name of a column): what its symbols are named with (``df['store'].nunique()``).
        self.label = label
        #: A frame's ``labels`` when this series is indexed by that frame's column labels (``df.mean()``).
        self.index = index
        #: A series of booleans made by a comparison (``df["a"] > 0``, and ``&``, ``|``, ``~`` of those): as a key,
        #: it selects rows (``df[df["a"] > 0]``), never columns.
        self.mask = mask
        #: ``df.name`` of a name that is none of a DataFrame's properties: the column of that name (``df[df.Amount <=
        #: 8000]``) or, called, the frame's method (``df.head()``: extract/calls.py calls ``frame.method(name)``).
        self.method_of: Optional[Tuple["Frame", str]] = None

    def as_array(self) -> Optional[ArrayValue]:
        return ArrayValue((self.rows,))

    def length(self) -> Any:
        return self.rows

    def with_rows(self, rows: Any) -> "Series":
        return Series(rows)

    def changed(self) -> None:
        self.rows = None
        self.version += 1

    def attribute(self, interp: Any, name: str, e: "ast.AST") -> Any:
        if name == "values":
            return self.as_array()
        if name == "shape":
            return (_symbol(interp, f"{interp.code(e)}[0]", e, of=self) if self.rows is None else self.rows,)
        if name == "ndim":
            return 1
        if name in ("iloc", "loc"):
            return Locator(self, name)
        return super().attribute(interp, name, e)

    def method(self, interp: Any, name: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: "ast.AST") -> Any:
        if name == "to_numpy":
            return self.as_array()
        if name in ("copy", "fillna", "astype", "map", "abs", "round", "replace", "clip") and not kwargs.get("inplace"):
            return Series(self.rows)
        if name in ("isna", "isnull", "notna", "notnull", "isin", "between", "duplicated"):
            return Series(self.rows, mask=True)  # df[df["a"].notna()]: a mask of the rows
        if name in ("rolling", "expanding", "ewm", "resample") and "on" not in kwargs and "axis" not in kwargs:
            return Windowed(self, name)
        if name == "unique":
            return ArrayValue((_symbol(interp, f"len({_column_text(interp, e, self)})", e, of=self),))
        if name == "nunique":
            return _symbol(interp, _column_text(interp, e, self), e, of=self)
        return opaque(interp, f"`{interp.code(e)}` is not followed", e)

    def subscript(self, interp: Any, keys: Any, e: "ast.AST") -> Any:
        if len(keys) == 1 and (isinstance(keys[0], slice) or type(keys[0]) is Series and keys[0].mask):
            return Series(None)
        return opaque(interp, f"`{interp.code(e)}` is not followed", e)


class Windowed(DataObject):
    """``df.rolling(w)``, ``expanding()``, ``ewm(...)``, ``resample(rule)`` of a frame or series: a statistic of it
    (``.mean()``...) has its columns; the rows stay, except a resample's (one per period)."""

    #: What gives one value per window and column.
    STATISTICS = frozenset({"mean", "sum", "std", "var", "min", "max", "median", "count", "first", "last", "ffill",
                            "bfill", "interpolate", "asfreq"})

    def __init__(self, of: Any, kind: str) -> None:
        self.of, self.kind = of, kind

    def method(self, interp: Any, name: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: "ast.AST") -> Any:
        if name in self.STATISTICS and not args and not kwargs.keys() - {"numeric_only"} and \
                not kwargs.get("numeric_only"):
            rows = self.of.rows if self.kind != "resample" else None
            if type(self.of) is Frame:
                return Frame(rows, self.of.cols, self.of.labels)
            return Series(rows)
        return opaque(interp, f"`{interp.code(e)}` is not followed", e)


class Columns(DataObject):
    """``df.columns`` (or ``df.index``): ``count`` labels."""

    def __init__(self, count: Any) -> None:
        self.count = count

    def length(self) -> Any:
        return self.count

    def attribute(self, interp: Any, name: str, e: "ast.AST") -> Any:
        if name == "values":
            return ArrayValue((self.count,)) if self.count is not None else opaque(interp, "columns", e)
        return super().attribute(interp, name, e)

    def method(self, interp: Any, name: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: "ast.AST") -> Any:
        if name == "drop" and len(args) == 1 and _distinct_names(interp, args[0]) is not None and not kwargs:
            return Columns(_minus(self.count, _distinct_names(interp, args[0])))  # type: ignore[arg-type]
        if name in ("tolist", "to_list") and not args:
            return opaque(interp, f"`{interp.code(e)}`: the names of the columns", e)
        return opaque(interp, f"`{interp.code(e)}` is not followed", e)

    def subscript(self, interp: Any, keys: Any, e: "ast.AST") -> Any:
        if len(keys) == 1 and isinstance(keys[0], slice):
            width = _width(self.count, keys[0])
            if width is not NOT_MINE:
                return Columns(width)
        return opaque(interp, f"`{interp.code(e)}` is not followed", e)


#: The operators of pandas arithmetic that keep a frame's shape (the interpreter's names).
_ARITHMETIC = frozenset({"Add", "Subtract", "Multiply", "Divide", "FloorDivide", "Power", "Modulo"})


def binop(op: str, a: Any, b: Any) -> Any:
    """Arithmetic on a frame: with a number, or with a series indexed by its column labels (``(df - df.mean()) /
    df.std()``, pandas aligning the series with the columns), a frame of the same rows and columns; a series with a
    number, a series as long; two series indexed by the same frame's column labels (``df.max() - df.min()``), a
    series of those labels. NOT_MINE for anything else (another frame or series: pandas aligns their labels,
    which the source does not show)."""
    if op in ("BitAnd", "BitOr", "BitXor"):
        if type(a) is Series and type(b) is Series and a.mask and b.mask:
            # (df["a"] > 0) & (df["b"] < 5): pandas aligns the two on their index, a mask of the rows of either
            return Series(a.rows if a.rows is not None and b.rows is not None and _same_size(a.rows, b.rows)
                          else None, mask=True)
        return NOT_MINE
    if op not in _ARITHMETIC:
        return NOT_MINE
    number = (int, float)
    if type(a) is Series and type(b) is Series and a.index is not None and a.index is b.index:
        # df.max() - df.min(): two series indexed by the same frame's column labels, one value per column again
        return Series(a.rows, a.index)
    for x, y in ((a, b), (b, a)):
        if type(x) is Frame and x.cols is not None and (
                isinstance(y, number) and not isinstance(y, bool) or type(y) is Series and y.index is x.labels):
            return Frame(x.rows, x.cols, x.labels)  # (rows not known, after dropna(), stay so)
        if type(x) is Series and x.rows is not None and isinstance(y, number) and not isinstance(y, bool):
            return Series(x.rows, x.index)
    return NOT_MINE


def _same_size(a: Any, b: Any) -> bool:
    try:
        return bool(a == b) if type(a) is type(b) else False
    except Exception:  # (symbols that do not compare)
        return False


#: The comparisons that make a mask of a series, element by element (the interpreter's names).
_MASKING = frozenset({"Equal", "NotEqual", "LessThan", "LessThanEqual", "GreaterThan", "GreaterThanEqual"})


def compare(op: str, a: Any, b: Any) -> Any:
    """``series > 0``, ``series == "x"``: a series of booleans as long as the series (a mask of its rows); NOT_MINE
    for anything else (a frame: a frame of booleans; two series: pandas raises unless their labels match)."""
    if op not in _MASKING:
        return NOT_MINE
    for x, y in ((a, b), (b, a)):
        if type(x) is Series and (isinstance(y, (int, float, str)) or y is None):
            return Series(x.rows, mask=True)
    return NOT_MINE


def invert(v: Any) -> Any:
    """``~mask``: the rows where it does not hold; NOT_MINE for anything else."""
    return Series(v.rows, mask=True) if type(v) is Series and v.mask else NOT_MINE


def _width(count: Any, key: slice) -> Any:
    """How many of ``count`` items ``[key]`` selects, when certain; NOT_MINE otherwise.

    With a known count it is Python's; with a symbolic count only slices anchored at the ends are
    certain (``[:-1]``, ``[1:]``, ``[:]``): ``[2:8]`` on fewer than 8 columns is clipped."""
    start, stop, step = key.start, key.stop, key.step
    if not all(p is None or _is_int(p) for p in (start, stop, step)) or step not in (None, 1):
        return NOT_MINE
    if _is_int(count):
        return len(range(count)[key])
    if count is None:
        return NOT_MINE
    if start is None and stop is None:
        return count
    if start is None and stop is not None and stop < 0:
        return count + stop
    if stop is None and start is not None and start >= 0:
        return count - start
    return NOT_MINE


class Locator(DataObject):
    """``df.iloc`` / ``df.loc`` (and a series's): ``[rows, columns]``."""

    def __init__(self, of: Any, kind: str) -> None:
        self.of, self.kind = of, kind

    def changed(self) -> None:
        self.of.changed()

    def subscript(self, interp: Any, keys: Any, e: "ast.AST") -> Any:
        of = self.of
        rows_key = keys[0] if keys else None
        rows: Any
        if isinstance(rows_key, slice) and rows_key == slice(None):
            rows = of.rows
        elif isinstance(rows_key, slice) or type(rows_key) is Series and rows_key.mask:
            rows = None  # (df.loc[df["a"] > 0, ["b", "c"]]: the rows where the mask holds)
        elif len(keys) == 1 and isinstance(of, Frame) and _is_int(rows_key) and self.kind == "iloc":
            return Series(of.cols)  # one row
        else:
            return opaque(interp, f"`{interp.code(e)}` is not followed", e)
        if len(keys) == 1:
            return of.with_rows(rows)
        if len(keys) != 2 or not isinstance(of, Frame):
            return opaque(interp, f"`{interp.code(e)}` is not followed", e)
        key = keys[1]
        if self.kind == "iloc" and _is_int(key) or self.kind == "loc" and isinstance(key, str):
            return Series(rows)
        if isinstance(key, slice):
            width = _width(of.cols, key) if self.kind == "iloc" else NOT_MINE
            if width is NOT_MINE:
                width = _symbol(interp, f"{interp.code(e)}.shape[1]", e, of=of)
            return Frame(rows, width)
        count = _names(interp, key)
        if count is not None:
            return Frame(rows, count)
        return opaque(interp, f"`{interp.code(e)}` is not followed", e)


def pandas_call(interp: Any, path: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
    """``pd.read_csv(...)`` and the other readers, ``pd.DataFrame``, ``pd.Series``, ``pd.get_dummies``,
    ``pd.concat``; or NOT_MINE."""
    last = path.rsplit(".", 1)[-1]
    if last in READERS:
        if kwargs.get("chunksize") is not None or kwargs.get("iterator") or \
                last == "read_excel" and "sheet_name" in kwargs and not isinstance(kwargs["sheet_name"], (str, int)):
            return NOT_MINE
        text = interp.code(e)
        usecols = kwargs.get("usecols")
        cols = (_excel_letters(usecols) if last == "read_excel" else None) if isinstance(usecols, str) \
            else _distinct_names(interp, usecols) if "usecols" in kwargs else None  # (pandas reads a column once)
        origin = f"the data's shape, from `{path}`"
        index = _index_columns(interp, kwargs.get("index_col"))
        dates = kwargs.get("parse_dates")
        listed = interp.sequence(dates) if dates is not None and not isinstance(dates, (bool, str)) else ()
        combined = listed is None or any(not isinstance(d, (str, int)) for d in listed)
        if cols is not None:
            # index_col="id": that column becomes the index, not a column (pd.read_csv(f, usecols=[...], index_col=0));
            # parse_dates=[["date", "time"]] (pandas before 3) makes one column of two
            cols = cols - index if index is not None and not combined else None
        return Frame(_symbol(interp, f"len({text})", e, origin),
                     cols if cols is not None else _symbol(interp, f"len({text}.columns)", e, origin))
    if last == "DataFrame":
        data = args[0] if args else kwargs.get("data")
        if isinstance(data, ArrayValue) and data.tainted is None and len(data.shape) == 2:
            return Frame(data.shape[0], data.shape[1])  # (columns= must name as many: pandas raises otherwise)
        if "columns" in kwargs:
            # pd.DataFrame(frame_or_dict, columns=["a", "b"]) selects those columns (a missing one is all NaN)
            count = _names(interp, kwargs["columns"])
            if count is None:
                return NOT_MINE
            return Frame(data.rows if isinstance(data, Frame) else None, count)
        if isinstance(data, Frame):
            return Frame(data.rows, data.cols)
        if type(data).__name__ == "DictValue" and data.tainted is None:
            return Frame(None, len(data.items))
        count = _names(interp, kwargs.get("columns")) if "columns" in kwargs else None
        return Frame(None, count) if count is not None else NOT_MINE
    if last == "Series":
        data = args[0] if args else kwargs.get("data")
        if isinstance(data, ArrayValue) and data.tainted is None and len(data.shape) == 1:
            return Series(data.shape[0])
        return NOT_MINE
    if last == "get_dummies":
        data = args[0] if args else kwargs.get("data")
        if isinstance(data, (Frame, Series)):
            return Frame(data.rows, _symbol(interp, f"{interp.code(e)}.shape[1]", e))
        return NOT_MINE
    if last == "merge" and len(args) >= 2 and isinstance(args[0], Frame) and isinstance(args[1], (Frame, Series)):
        return Frame(None, None)  # pd.merge(ratings, movies, on="movieId"): rows and columns the data decides
    if last == "concat":
        items = interp.sequence(args[0] if args else kwargs.get("objs"))
        axis = kwargs.get("axis", 0)
        if not items or not all(isinstance(i, (Frame, Series)) for i in items) or axis not in (0, 1, "index", "columns"):
            return NOT_MINE
        widths = [i.cols if isinstance(i, Frame) else 1 for i in items]
        if axis in (1, "columns"):
            total = None if any(w is None for w in widths) else sum(widths[1:], widths[0])
            return Frame(items[0].rows, total)
        # one under the other: the union of their column names (join="outer"), which the widths alone do not give
        # (two frames of columns a, b and c, d make four), unless every frame has the same labels (the same frame,
        # rows of one frame: pd.concat([df[df.y == 0].sample(n), df[df.y == 1]]))
        if all(type(i) is Frame and i.labels is items[0].labels for i in items):
            return Frame(None, widths[0], items[0].labels)
        return Frame(None, None)
    return NOT_MINE
