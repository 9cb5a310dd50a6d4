"""tools/keras_truth.py's directives in a fixture's header comments: `# keras-truth: backend=jax`, and
`# keras-truth: needs=tensorflow` (truth kept as checked in where TensorFlow is not importable).

The unit tests read directives only (no Keras); the `keras`-marked test runs real Keras on a file of each
backend and checks that the jax one is built by jax (its record says so) and the other by numpy.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from tools import keras_truth  # noqa: E402


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_directive_in_header_comments_selects_the_backend(tmp_path):
    path = _write(tmp_path, "a.py", "#!/usr/bin/env python\n\n# keras-truth: backend=jax\n\"\"\"Doc.\"\"\"\nx = 1\n")
    assert keras_truth.fixture_backend(path) == "jax"


def test_default_is_numpy_and_a_directive_after_code_is_ignored(tmp_path):
    assert keras_truth.fixture_backend(_write(tmp_path, "b.py", "import keras\n")) == "numpy"
    late = _write(tmp_path, "c.py", "import keras\n# keras-truth: backend=jax\n")
    assert keras_truth.fixture_backend(late) == "numpy"


def test_unknown_backend_is_refused(tmp_path):
    path = _write(tmp_path, "d.py", "# keras-truth: backend=torch\nimport keras\n")
    with pytest.raises(ValueError, match="torch"):
        keras_truth.fixture_backend(path)
    proc = subprocess.run([sys.executable, "tools/keras_truth.py", "--check", path], cwd=REPO_ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 2 and "torch" in proc.stderr


_EMBEDDED = '''
import keras
from keras import layers


class Lookup(layers.Layer):
    def __init__(self):
        super().__init__()
        self.table = layers.Embedding(5000, 4)

    def call(self, ids):
        return self.table(ids)


ids = keras.Input((6,), dtype="int32")
model = keras.Model(ids, Lookup()(ids))
'''


@pytest.mark.keras
def test_jax_fixture_is_built_by_jax_beside_numpy_ones(tmp_path):
    env = dict(os.environ, KERAS_BACKEND="numpy")
    if subprocess.run([sys.executable, "-c", "import keras, jax"], env=env, capture_output=True).returncode:
        pytest.skip("keras or jax is not importable")
    jax_file = _write(tmp_path, "on_jax.py", "# keras-truth: backend=jax\n" + _EMBEDDED)
    numpy_file = _write(tmp_path, "on_numpy.py", _EMBEDDED)
    script = ("import json, sys; sys.path.insert(0, sys.argv[1]); from tools.keras_truth import truth_for_files;"
              "print(json.dumps(truth_for_files(sys.argv[2:], jobs=1)))")
    proc = subprocess.run([sys.executable, "-c", script, str(REPO_ROOT), numpy_file, jax_file], env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    on_numpy, on_jax = json.loads(proc.stdout)
    assert "backend" not in on_numpy and on_jax["backend"] == "jax"
    # numpy runs call on np.empty ids: the lookup fails (or, by luck of the memory, gives the same numbers)
    assert on_jax["error"] is None
    assert [m["total_params"] for m in on_jax["models"]] == [20000]
    assert on_jax["models"][0]["layers"][1]["output_shape"] == [None, 6, 4]


def test_needs_directive_is_read_from_the_header(tmp_path):
    path = _write(tmp_path, "a.py", "# Doc.\n# keras-truth: needs=tensorflow\nimport keras\n")
    assert keras_truth.fixture_needs(path) == ["tensorflow"]
    assert keras_truth.fixture_needs(_write(tmp_path, "b.py", "import keras\n# keras-truth: needs=tensorflow\n")) == []
    with pytest.raises(ValueError, match="torch"):
        keras_truth.fixture_needs(_write(tmp_path, "c.py", "# keras-truth: needs=torch\nimport keras\n"))


def test_fixture_needing_a_missing_module_keeps_its_truth(tmp_path, monkeypatch):
    import importlib.util

    path = _write(tmp_path, "d.py", "# keras-truth: needs=tensorflow\nimport keras\n")
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "tensorflow" else real(name, *a))
    assert keras_truth.missing_needs(path) == ["tensorflow"]
    # No truth file: --check calls it missing, without running Keras.
    proc = subprocess.run([sys.executable, "-c", "import importlib.util, sys; sys.path.insert(0, sys.argv[1]);"
                           "importlib.util.find_spec = lambda n, *a, f=importlib.util.find_spec: "
                           "None if n == 'tensorflow' else f(n, *a);"
                           "from tools import keras_truth; sys.exit(keras_truth.main(['--check', sys.argv[2]]))",
                           str(REPO_ROOT), path], capture_output=True, text=True, env={"PYTHONHASHSEED": "0"})
    assert proc.returncode == 1 and "MISSING" in proc.stdout and "needs tensorflow" in proc.stdout, proc.stdout
    # With its truth file: left as it is, not compared.
    Path(path[:-3] + ".keras.json").write_text("{}\n", encoding="utf-8")
    proc = subprocess.run(proc.args, capture_output=True, text=True, env={"PYTHONHASHSEED": "0"})
    assert proc.returncode == 0 and "not compared" in proc.stdout, proc.stdout + proc.stderr
    assert Path(path[:-3] + ".keras.json").read_text(encoding="utf-8") == "{}\n"
