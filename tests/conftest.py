import os

# Tests that import real Keras in-process (to read a default, as KC311's) need the numpy backend: the default,
# TensorFlow, is not installed. Set before any test module imports Keras, so no test depends on another's order.
os.environ.setdefault("KERAS_BACKEND", "numpy")


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "keras: needs real Keras (KERAS_BACKEND=numpy) to regenerate the ground truth",
    )
