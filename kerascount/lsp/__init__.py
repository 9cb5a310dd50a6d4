"""``kerascount server``: a language server for editors (needs the ``lsp`` extra, pygls).

:mod:`.documents` and :mod:`.hover` are plain functions over analysis results; only
:mod:`.server` imports pygls, so nothing here slows down ``kerascount lint``.
"""
