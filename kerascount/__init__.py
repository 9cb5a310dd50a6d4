"""kerascount: Keras model shapes and parameter counts from source text, without importing Keras."""

__version__ = "0.1.0"


def analyze_source(text, path="<string>", config=None):
    """Analyse one file's text; see :func:`kerascount.api.analyze_source`."""
    from .api import analyze_source as _analyze

    return _analyze(text, path, config)


def analyze_paths(paths, config=None):
    """Analyse files and folders; see :func:`kerascount.api.analyze_paths`."""
    from .api import analyze_paths as _analyze

    return _analyze(paths, config)


__all__ = ["__version__", "analyze_source", "analyze_paths"]
