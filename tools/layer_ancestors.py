"""Write kerascount/catalogue/ancestors.py from the installed Keras: for every layer class the catalogue
knows, the names ``keras.layers`` exports for it and for each of its base classes (what ``isinstance``
with a Keras layer class decides). Run with KERAS_BACKEND=numpy; tests/test_layer_ancestors.py checks the
file is current."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "kerascount" / "catalogue" / "ancestors.py"

PROBE = r"""
import json
import keras
exported = {n: c for n, c in vars(keras.layers).items()
            if isinstance(c, type) and issubclass(c, keras.layers.Layer) and not n.startswith("_")}
out = {}
for name, cls in exported.items():
    out[name] = sorted(n for n, c in exported.items() if issubclass(cls, c))
print(json.dumps({"version": keras.__version__, "ancestors": out}))
"""


def probe() -> dict:
    env = dict(os.environ, KERAS_BACKEND=os.environ.get("KERAS_BACKEND", "numpy"))
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def render(data: dict) -> str:
    lines = [
        '"""The base classes of each layer class ``keras.layers`` exports, by the names it exports them under',
        f"(written by tools/layer_ancestors.py from Keras {data['version']}; do not edit): what",
        '``isinstance(layer, keras.layers.X)`` decides for a layer of a known class."""',
        "",
        "from typing import Dict, FrozenSet",
        "",
        "#: For each exported name, the exported names of the class and of all its bases.",
        "ANCESTORS: Dict[str, FrozenSet[str]] = {",
    ]
    for name, bases in sorted(data["ancestors"].items()):
        lines.append(f"    {name!r}: frozenset({bases!r}),")
    lines += ["}", "", "#: Every class name ``keras.layers`` exports: ``isinstance`` against one of them is decided.",
              "EXPORTED: FrozenSet[str] = frozenset(ANCESTORS)", ""]
    return "\n".join(lines)


def main() -> int:
    text = render(probe())
    if "--check" in sys.argv:
        return 0 if TARGET.read_text() == text else 1
    TARGET.write_text(text)
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
