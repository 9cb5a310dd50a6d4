import os

#: Every test checks that the live-shapes contexts keep no stale ModelDef (extract/live.py CHECK): a ModelDef kept
#: for a model's stamp must be the one Graph.model_def makes anew (set here, before kerascount is imported, so that
#: the processes the tests start check too).
os.environ.setdefault("KERASCOUNT_CHECK_LIVE", "1")


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "keras: needs real Keras (KERAS_BACKEND=numpy) to regenerate the ground truth",
    )
