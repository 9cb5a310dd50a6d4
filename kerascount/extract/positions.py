"""Line and column of every node of a libcst module."""

from __future__ import annotations

from typing import Any, Mapping

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider


def positions_of(module: cst.Module) -> Mapping[cst.CSTNode, Any]:
    """Every node's CodeRange, as libcst's PositionProvider computes it.

    ``MetadataWrapper.resolve`` also walks the whole tree for batchable providers, which
    PositionProvider is not: running the provider's codegen directly halves the cost. If
    libcst's internals differ from what this expects, the public path is used instead.
    """
    try:
        from libcst.metadata.position_provider import PositionProvidingCodegenState

        provider = PositionProvider()
        state = PositionProvidingCodegenState(default_indent=module.default_indent,
                                              default_newline=module.default_newline, provider=provider)
        module._codegen(state)
        return provider._computed
    except (ImportError, AttributeError, TypeError):  # pragma: no cover - other libcst versions
        return MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
