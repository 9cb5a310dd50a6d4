"""``kerascount server`` beyond diagnostics: code actions, inlay hints, parameter formulas in hover,
and analyses in worker processes (slow, crashing, huge, superseded), driven over stdio.

Expected numbers come from the truth files real Keras wrote (mult-adds worked out by hand from
their shapes); expected fixed texts are written here or are the Keras 3 rewrite of a fixture.
"""

from __future__ import annotations

import json
import time
from typing import Any, Dict, List

from lsp_client import client, hooked  # noqa: F401 - fixtures
from lsp_client import (HEAD_CALL, ROOT, SEED, SLOW, TRUTH, Client, change, open_file, open_notebook, position_of,
                        shape_of, truth_layer)

from kerascount.api import analyze_source
from kerascount.lsp.actions import text_edits
from kerascount.lsp.documents import file_buffer, notebook_buffer, same_line
from kerascount.lsp.formulas import FORMULAS
from kerascount.lsp.hints import HintSettings, hints
from kerascount.lsp.hover import Hit, find, markdown

LEGACY = ROOT / "fixtures/legacy/cifar_keras1.py"
LEGACY_KERAS3 = ROOT / "fixtures/legacy/cifar_keras3.py"


def offset(text: str, position: Dict[str, int]) -> int:
    """The index in ``text`` of an LSP position (UTF-16 columns)."""
    lines = text.split("\n")
    start = sum(len(line) + 1 for line in lines[:position["line"]])
    line = lines[position["line"]] if position["line"] < len(lines) else ""
    units, index = 0, 0
    while units < position["character"] and index < len(line):
        units += len(line[index].encode("utf-16-le")) // 2
        index += 1
    return start + index


def apply(text: str, edits: List[Dict[str, Any]]) -> str:
    """``text`` with LSP text edits applied (they do not overlap; applied from the last)."""
    spans = sorted(((offset(text, e["range"]["start"]), offset(text, e["range"]["end"]), e["newText"])
                    for e in edits), reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


def code_actions(client: Client, uri: str, rng: Dict[str, Any], only: Any = None) -> List[Dict[str, Any]]:
    context: Dict[str, Any] = {"diagnostics": []}
    if only is not None:
        context["only"] = only
    return client.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": rng,
                                                      "context": context})


def inlay_hints(client: Client, uri: str, text: str) -> Dict[int, Dict[str, Any]]:
    """The hints over the whole text, by line."""
    whole = {"start": {"line": 0, "character": 0}, "end": {"line": len(text.split("\n")), "character": 0}}
    found = client.request("textDocument/inlayHint", {"textDocument": {"uri": uri}, "range": whole})
    by_line = {h["position"]["line"]: h for h in found}
    assert len(by_line) == len(found), found  # one hint a line in these files
    return by_line


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.split("\n")) if needle in line)


# -- code actions ---------------------------------------------------------------


def test_code_actions_fix_and_suppress_a_finding(client, tmp_path):
    init = client.start(tmp_path)
    assert set(init["capabilities"]["codeActionProvider"]["codeActionKinds"]) == {"quickfix",
                                                                                  "source.fixAll.kerascount"}
    text = SEED.read_text()
    uri = open_file(client, tmp_path / "model.py", text)
    (finding,) = client.diagnostics(uri)
    fix, suppress = code_actions(client, uri, finding["range"])

    assert fix["kind"] == "quickfix" and not fix.get("isPreferred")  # unsafe: the model changes
    assert fix["title"] == "KC201: Replace Flatten with GlobalAveragePooling2D (unsafe)"
    assert [d["code"] for d in fix["diagnostics"]] == ["KC201"] and fix["diagnostics"][0]["range"] == finding["range"]
    fixed = apply(text, fix["edit"]["changes"][uri])
    assert fixed == text.replace("import Conv2D, Dense, Flatten, Input\n",
                                 "import Conv2D, Dense, Flatten, Input, GlobalAveragePooling2D\n") \
                        .replace("flat = Flatten()(conv)", "flat = GlobalAveragePooling2D()(conv)")

    assert suppress["kind"] == "quickfix" and suppress["title"] == "Suppress KC201 with `# noqa: KC201`"
    suppressed = apply(text, suppress["edit"]["changes"][uri])
    assert suppressed == text.replace(HEAD_CALL + "\n", HEAD_CALL + "  # noqa: KC201\n")

    change(client, uri, 2, fixed)
    assert client.diagnostics(uri, version=2) == []
    pooled = truth_layer("conv2d")["output_shape"][-1]  # Dense on the pooled channels
    assert f"Params: {(pooled + 1) * 100:,}" in client.hover(uri, position_of(fixed, "Dense(units", 2))

    noted = text.replace(HEAD_CALL, HEAD_CALL + "  # noqa:E501 long line")  # another tool's code: merged
    change(client, uri, 3, noted)
    (finding,) = client.diagnostics(uri, version=3)
    actions = code_actions(client, uri, finding["range"])
    merged = apply(noted, actions[-1]["edit"]["changes"][uri])
    assert merged == text.replace(HEAD_CALL, HEAD_CALL + "  # noqa: E501, KC201 long line")
    change(client, uri, 4, merged)
    assert client.diagnostics(uri, version=4) == []

    nothing = {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 5}}
    assert code_actions(client, uri, nothing) == []  # no finding there
    assert client.stop() == 0


def test_code_actions_rewrite_keras1_code_as_its_keras3_rewrite(client, tmp_path):
    client.start(tmp_path, workspace={"workspaceEdit": {"documentChanges": True}})
    text = LEGACY.read_text()
    uri = open_file(client, tmp_path / "cifar.py", text)
    found = client.diagnostics(uri)
    assert {d["code"] for d in found} >= {"KC404"}

    dropout = next(d for d in found if d["range"]["start"]["line"] == line_of(text, "add(Dropout(p="))
    actions = code_actions(client, uri, dropout["range"])
    fix = next(a for a in actions if a["diagnostics"][0]["code"] == "KC404")
    assert fix["isPreferred"] and fix["title"] == "KC404: Use Keras 3 argument names"  # safe
    (document_edit,) = fix["edit"]["documentChanges"]
    assert document_edit["textDocument"] == {"uri": uri, "version": 1}
    assert apply(text, document_edit["edits"]).split("\n")[line_of(text, "add(Dropout(p=")] == \
        "model.add(Dropout(rate=0.25))"

    whole = {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}
    (fix_all,) = code_actions(client, uri, whole, only=["source.fixAll"])
    assert fix_all["kind"] == "source.fixAll.kerascount"
    fixed = apply(text, fix_all["edit"]["documentChanges"][0]["edits"])
    # The Keras 3 rewrite, line for line (an imported Convolution2D, which Keras 3 accepts, keeps its name).
    expected = LEGACY_KERAS3.read_text().replace("Conv2D", "Convolution2D").split("\n")
    assert fixed.split("\n")[4:] == expected[4:]
    assert code_actions(client, uri, whole, only=["refactor"]) == []

    change(client, uri, 2, fixed)
    assert not [d for d in client.diagnostics(uri, version=2) if d["code"] == "KC404"]
    truth = json.loads(LEGACY_KERAS3.with_suffix(".keras.json").read_text())["models"][0]
    shown = client.hover(uri, position_of(fixed, "model = Sequential"))
    assert f"Total params: {truth['total_params']:,}" in shown
    assert client.stop() == 0


def test_code_actions_in_a_notebook_edit_the_cells_they_belong_to(client, tmp_path):
    client.start(tmp_path)
    notebook_uri, uris, texts, code = open_notebook(client, tmp_path / "bilag5.ipynb")
    head = next(i for i, t in enumerate(texts) if HEAD_CALL in t)
    imports = next(i for i, t in enumerate(texts) if "from keras.layers import" in t)
    (finding,) = client.diagnostics(uris[head])
    fix, suppress = code_actions(client, uris[head], finding["range"])
    changes = fix["edit"]["changes"]
    assert set(changes) == {uris[head], uris[imports]}  # the import is in another cell, after two magics
    assert apply(texts[imports], changes[uris[imports]]) == texts[imports].replace(
        "Flatten, Input\n", "Flatten, Input, GlobalAveragePooling2D\n")
    assert apply(texts[head], changes[uris[head]]) == texts[head].replace("Flatten()(conv)",
                                                                          "GlobalAveragePooling2D()(conv)")
    assert apply(texts[head], suppress["edit"]["changes"][uris[head]]) == texts[head].replace(
        HEAD_CALL + "\n", HEAD_CALL + "  # noqa: KC201\n")

    found = inlay_hints(client, uris[head], texts[head])  # on the cell's own lines
    dense = truth_layer("dense")
    assert found[line_of(texts[head], HEAD_CALL)]["label"].startswith(
        f"→ {shape_of(dense['output_shape'])} · {dense['params']:,} params")
    assert found[line_of(texts[head], "model = Model(")]["label"].startswith(f'Σ "model": {TRUTH["total_params"]:,}')
    assert inlay_hints(client, uris[imports], texts[imports]) == {}
    assert client.stop() == 0


def test_edits_are_only_placed_inside_one_cell_on_its_own_lines():
    cells = [("c1", "%time x = 1\nimport keras"), ("c2", "y = 2")]
    notebook = notebook_buffer("nb.ipynb", cells)
    assert notebook.text == "pass\nimport keras\ny = 2\n"
    (edit,) = text_edits(notebook, "pass\nimport keras as k\ny = 2\n")
    assert (edit.place.uri, edit.place.start, edit.place.end, edit.text) == ("c1", (1, 12), (1, 12), " as k")
    assert text_edits(notebook, "pass = 0\nimport keras\ny = 2\n") is None  # a masked magic line
    assert text_edits(notebook, "pass\nimport keras; y = 2\n") is None  # across two cells
    (edit,) = text_edits(file_buffer("m.py", "m", "a = 1\nb = 2"), "a = 1\nb = 2\nc = 3\n")
    assert (edit.place.start, edit.place.end, edit.text) == ((1, 5), (1, 5), "\nc = 3\n")


# -- inlay hints --------------------------------------------------------------------


def test_inlay_hints_show_shapes_params_macs_and_follow_the_settings(client, tmp_path):
    client.start(tmp_path, options={"kerascount": {"inlayHints": {"params": False}}},
                 workspace={"inlayHint": {"refreshSupport": True}})
    text = SEED.read_text()
    lines = text.split("\n")
    uri = open_file(client, tmp_path / "model.py", text)
    client.diagnostics(uri)
    conv, dense = truth_layer("conv2d"), truth_layer("dense")
    _, height, width, filters = conv["output_shape"]
    conv_macs = height * width * filters * 2 * 2 * 1  # kernel 2x2 over one input channel, at every output
    dense_macs = dense["params"] - dense["output_shape"][-1]  # one multiply-add per weight, bias left out
    assert round(conv_macs / 1e6, 1) == 13.1 and round(dense_macs / 1e6, 1) == 327.7

    conv_line, flat_line = line_of(text, '(input_layer)'), line_of(text, "Flatten()(conv)")
    dense_line, model_line = line_of(text, HEAD_CALL), line_of(text, "model = Model(")
    found = inlay_hints(client, uri, text)
    assert set(found) == {conv_line, flat_line, dense_line, model_line}
    for line, hint in found.items():
        assert hint["position"] == {"line": line, "character": len(lines[line])} and hint["paddingLeft"]
    assert found[conv_line]["label"] == f"→ {shape_of(conv['output_shape'])} · 13.1M MACs"  # params: off
    assert found[flat_line]["label"] == f"→ {shape_of(truth_layer('flatten')['output_shape'])}"
    total_macs = round((conv_macs + dense_macs) / 1e6, 1)
    assert found[model_line]["label"] == f'Σ "model": {TRUTH["total_params"]:,} params · {total_macs}M MACs'

    client.notify("workspace/didChangeConfiguration",
                  {"settings": {"kerascount": {"inlayHints": {"params": True, "macs": False}}}})
    client.wait(lambda m: m.get("method") == "workspace/inlayHint/refresh")
    found = inlay_hints(client, uri, text)
    assert found[conv_line]["label"] == f"→ {shape_of(conv['output_shape'])} · {conv['params']:,} params"
    assert found[dense_line]["label"] == f"→ {shape_of(dense['output_shape'])} · {dense['params']:,} params"
    assert found[model_line]["label"] == f'Σ "model": {TRUTH["total_params"]:,} params'

    client.notify("workspace/didChangeConfiguration", {"settings": {"kerascount": {"inlayHints": {"enabled": False}}}})
    client.wait(lambda m: m.get("method") == "workspace/inlayHint/refresh")
    assert inlay_hints(client, uri, text) == {}
    assert client.stop() == 0


def test_inlay_hint_settings_pulled_from_the_client(client, tmp_path):
    client.answers["workspace/configuration"] = [{"inlayHints": {"macs": False, "modelTotals": False}}]
    client.start(tmp_path, workspace={"configuration": True})
    client.wait(lambda m: m.get("method") == "workspace/configuration")
    text = SEED.read_text()
    uri = open_file(client, tmp_path / "model.py", text)
    client.diagnostics(uri)
    found = inlay_hints(client, uri, text)
    conv = truth_layer("conv2d")
    assert found[line_of(text, "(input_layer)")]["label"] == \
        f"→ {shape_of(conv['output_shape'])} · {conv['params']:,} params"
    assert line_of(text, "model = Model(") not in found

    client.answers["workspace/configuration"] = [{"inlayHints": {"enabled": False}}]
    client.notify("workspace/didChangeConfiguration", {"settings": None})  # "changed": the server asks
    client.wait(lambda m: m.get("method") == "workspace/configuration")
    deadline = time.monotonic() + 10
    while inlay_hints(client, uri, text) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert inlay_hints(client, uri, text) == {}
    assert client.stop() == 0


def test_hint_settings_read_what_is_given_and_ignore_the_rest():
    base = HintSettings()
    assert HintSettings.read(None) == base and HintSettings.read({"inlayHints": "yes"}) == base
    assert HintSettings.read({"inlayHints": False}) == HintSettings(enabled=False)
    assert HintSettings.read({"kerascount": {"inlayHints": {"macs": False, "shape": 0, "other": True}}}) == \
        HintSettings(macs=False)
    assert HintSettings.read({"inlayHints": {"modelTotals": False}}, HintSettings(macs=False)) == \
        HintSettings(macs=False, modelTotals=False)
    # What is ignored is said (the server writes it to the client's log).
    assert HintSettings.ignored({"inlayHints": {"macs": False}}) == [] == HintSettings.ignored(None)
    assert HintSettings.ignored({"kerascount": {"inlayHints": "yes"}}) == \
        ['inlayHints = "yes" (true, false or a table of switches)']
    assert HintSettings.ignored({"inlayHints": {"macs": False, "shape": 0, "other": True}}) == \
        ["inlayHints.shape = 0 (true or false)", "inlayHints.other = true (not a setting)"]


# -- hover: how the parameters are counted --------------------------------------------


def test_hover_formulas_agree_with_real_keras_on_every_fixture():
    checked: Dict[str, int] = {}
    for truth_file in sorted(ROOT.glob("fixtures/**/*.keras.json")):
        source = truth_file.with_name(truth_file.name[:-len(".keras.json")] + ".py")
        truth = json.loads(truth_file.read_text())
        report = analyze_source(source.read_text(), str(source))
        # Models are matched by line (an undecided fixture lists the models of both worlds; Keras built one).
        at_line: Dict[int, List[Any]] = {}
        for expected in truth["models"]:
            at_line.setdefault(expected["line"], []).append(expected)
        for model in report.models:
            same_line = at_line.get(model.model.span.line, [])
            if len(same_line) != 1:
                continue
            expected = same_line[0]
            by_name = {layer["name"]: layer for layer in expected.get("layers", [])}
            for row in model.rows:
                if row.layer.type not in FORMULAS or row.layer.name not in by_name:
                    continue
                lines = markdown(Hit(model, (row,), row.layer.span)).split("\n")
                params = next(line for line in lines if line.startswith("- Params: "))
                if " = " not in params:
                    continue
                _, names, numbers = params.split(" = ")
                value = eval(numbers.replace("·", "*").replace("/", "//"))  # noqa: S307 - digits and operators
                assert value == by_name[row.layer.name]["params"], (source, row.layer.name, params)
                checked[row.layer.type] = checked.get(row.layer.type, 0) + 1
    assert sum(checked.values()) > 200
    assert {"Dense", "Conv2D", "LSTM", "GRU", "SimpleRNN", "Embedding", "BatchNormalization",
            "DepthwiseConv2D", "SeparableConv2D"} <= set(checked), checked


def test_hover_shows_how_the_parameters_are_counted(client, tmp_path):
    client.start(tmp_path)
    text = SEED.read_text()
    uri = open_file(client, tmp_path / "model.py", text)
    client.diagnostics(uri)
    conv, dense = truth_layer("conv2d"), truth_layer("dense")
    flat = truth_layer("flatten")["output_shape"][-1]
    shown = client.hover(uri, position_of(text, "Dense(units", 2))
    assert f"- Params: {dense['params']:,} (327.7M) = units·(input + 1) = 100·({flat} + 1)" in shown
    shown = client.hover(uri, position_of(text, "kernel_size=(2, 2)"))
    assert f"- Params: {conv['params']:,} = filters·(kh·kw·cin + 1) = 128·(2·2·1 + 1)" in shown
    # Past the end of a document that ends with its model, nothing is under the cursor (pygls moved the
    # position to the last line, so the model's hover showed there).
    short = text[:text.index("\n\nmodel.summary()")] + "\n"
    short_uri = open_file(client, tmp_path / "short.py", short)
    client.diagnostics(short_uri)
    last = len(short.split("\n")) - 2
    assert client.hover(short_uri, {"line": last, "character": 0}).startswith('**Model "model"**')
    past = client.request("textDocument/hover", {"textDocument": {"uri": short_uri},
                                                 "position": {"line": last + 5, "character": 0}})
    assert past is None
    assert client.stop() == 0


# -- analyses off the event loop ----------------------------------------------------


def test_stale_lines_map_only_where_the_edit_did_not_touch():
    old = file_buffer("m.py", "u", "a\nb\nc\nd\n")
    new = file_buffer("m.py", "u", "a\nB\nB2\nc\nd\n")
    assert [same_line(old, new, "u", line) for line in range(5)] == [1, None, None, 3, 4]
    assert same_line(old, new, "other", 0) is None


def test_hover_answers_while_a_slow_analysis_runs_and_a_newer_edit_stops_it(hooked, tmp_path):
    client = hooked("slow")
    from kerascount.lsp.server import DEBOUNCE, HOVER_WAIT, STALE  # needs pygls, as the server does
    client.start(tmp_path)
    text = SEED.read_text()
    uri = open_file(client, tmp_path / "model.py", text)
    assert [d["code"] for d in client.diagnostics(uri, version=1)] == ["KC201"]

    slow = text.replace("model.summary()", "model.summary()  # slow")
    changed = time.monotonic()
    change(client, uri, 2, slow)
    time.sleep(DEBOUNCE + 0.5)  # the slow analysis has started
    asked = time.monotonic()
    shown = client.hover(uri, position_of(slow, "Dense(units", 2))
    assert time.monotonic() - asked < HOVER_WAIT + 5 < SLOW
    assert shown.startswith(STALE) and f"Params: {truth_layer('dense')['params']:,}" in shown
    assert client.hover_range is None  # the range is of the older text

    change(client, uri, 3, text.replace(HEAD_CALL, HEAD_CALL + "  # noqa: KC201"))
    assert client.diagnostics(uri, version=3) == []
    assert time.monotonic() - changed < SLOW / 2  # not after the slow one: it was stopped
    shown = client.hover(uri, position_of(text, "Dense(units", 2))
    assert not shown.startswith(STALE)
    assert not [m for m in client.seen if m.get("method") == "textDocument/publishDiagnostics"
                and m["params"].get("version") == 2]

    change(client, uri, 4, slow)
    time.sleep(DEBOUNCE + 0.5)  # a slow analysis is under way when the editor closes
    stopping = time.monotonic()
    assert client.stop() == 0
    assert time.monotonic() - stopping < SLOW / 2


def test_a_crashing_analysis_is_a_diagnostic_and_bad_messages_are_ignored(hooked, tmp_path):
    client = hooked("crash")
    client.start(tmp_path)
    text = SEED.read_text()
    crashing = open_file(client, tmp_path / "crash.py", text + "# crash\n")
    (failure,) = client.diagnostics(crashing)
    assert failure["code"] == "KC903" and failure["severity"] == 2
    assert "exit code 70" in failure["message"] and failure["range"]["start"] == {"line": 0, "character": 0}
    raising = open_file(client, tmp_path / "raise.py", text + "# raise\n")
    (failure,) = client.diagnostics(raising)
    assert failure["code"] == "KC903" and "ValueError: a bug in the analysis" in failure["message"]

    client.raw(b"Content-Length: 9\r\n\r\n{not json")
    client.raw(b"this is no header\r\n\r\n")
    client.notify("textDocument/didChange", {"textDocument": 5})
    client.notify("textDocument/hover", {"position": "here"})
    client.send({"id": 998, "method": "textDocument/hover", "params": {"position": "here"}})
    reply = client.wait(lambda m: m.get("id") == 998)
    assert reply["error"]["code"] == -32602  # invalid params: answered, not left waiting
    client.send({"id": 999, "method": "kerascount/nothing", "params": {}})
    reply = client.wait(lambda m: m.get("id") == 999)
    assert reply["error"]["code"] == -32601  # method not found

    good = open_file(client, tmp_path / "model.py", text)
    assert [d["code"] for d in client.diagnostics(good)] == ["KC201"]
    assert client.hover(good, position_of(text, "Dense(units", 2)).startswith("**dense** (Dense)")
    change(client, crashing, 2, text)
    assert [d["code"] for d in client.diagnostics(crashing, version=2)] == ["KC201"]
    assert client.stop() == 0


def test_bad_messages_are_one_line_each_in_the_log(client, tmp_path):
    """pygls wrote a traceback of its parser (tens of lines) for each message it could not read."""
    client.start(tmp_path)
    client.raw(b"Content-Length: 9\r\n\r\n{not json")
    for ident, params in ((997, {"position": "here"}), (998, {"textDocument": {}, "position": {"line": -1}})):
        client.send({"id": ident, "method": "textDocument/hover", "params": params})
        assert client.wait(lambda m: m.get("id") == ident)["error"]["code"] == -32602
    assert client.stop() == 0
    log = (tmp_path / "server.log").read_text()
    assert "Traceback" not in log and log.count("Unable to deserialize message\n") == 2, log
    assert "kerascount.lsp: ERROR: Expecting property name enclosed in double quotes" in log


def test_a_huge_document_and_rapid_edits_leave_the_server_responsive(client, tmp_path):
    client.start(tmp_path)
    huge_text = "import keras\n" + "".join(f"value_{i} = [{i}, {i + 1}]\n" for i in range(150_000))
    assert len(huge_text) > 4_000_000
    huge = open_file(client, tmp_path / "huge.py", huge_text)
    text = SEED.read_text()
    uri = open_file(client, tmp_path / "model.py", text)
    started = time.monotonic()
    assert [d["code"] for d in client.diagnostics(uri)] == ["KC201"]
    assert client.hover(uri, position_of(text, "Dense(units", 2)).startswith("**dense** (Dense)")
    assert time.monotonic() - started < 15
    client.notify("textDocument/didClose", {"textDocument": {"uri": huge}})

    for version in range(2, 32):  # faster than the debounce: only the last text counts
        edited = text if version % 2 else text.replace(HEAD_CALL, HEAD_CALL + "  # noqa: KC201")
        change(client, uri, version, edited)
    assert [d["code"] for d in client.diagnostics(uri, version=31)] == ["KC201"]
    assert client.stop() == 0


def test_the_readme_shows_the_hints_and_hover_the_server_gives():
    readme = (ROOT / "README.md").read_text()
    text = SEED.read_text()
    report = analyze_source(text, str(SEED))
    found = {h.line: h.label for h in hints(report.models, HintSettings())}
    blocks = [b.split("```")[0] for b in readme.split("```text\n")[1:]]
    block = next(b for b in blocks if "MACs" in b)
    lines = text.split("\n")
    for pasted in block.rstrip().split("\n"):
        pasted = pasted[2:]  # the block is indented in a list
        number = next(i for i, line in enumerate(lines, start=1) if pasted.startswith(line) and line.strip())
        label = pasted[len(lines[number - 1]):].strip()
        assert label == found.get(number, ""), pasted
    hover = next(b for b in blocks if "**dense**" in b)
    assert markdown(find(report.models, *_dense_position(text))).strip() == \
        "\n".join(line[2:] for line in hover.rstrip().split("\n"))


def _dense_position(text: str) -> tuple:
    at = position_of(text, "Dense(units", 2)
    return at["line"] + 1, at["character"] + 1


def test_hints_say_when_keras_raises_or_nothing_is_known():
    raising = analyze_source((ROOT / "fixtures/errors/add_mismatch.py").read_text(), "add_mismatch.py")
    truth = json.loads((ROOT / "fixtures/errors/add_mismatch.keras.json").read_text())
    assert truth["error"]["type"] == "ValueError"  # Keras raised
    labels = [h.label for h in hints(raising.models, HintSettings())]
    assert labels[-1] == 'Σ "model": Keras raises while building it'
    unbuilt = analyze_source("import keras\nfrom keras import layers\n"
                             "m = keras.Sequential([layers.Dense(4)])\n", "unbuilt.py")
    assert [h.label for h in hints(unbuilt.models, HintSettings())] == ['Σ "m": not built (no input shape)']


def test_a_sequential_of_only_its_input_is_labelled_never_called():
    # Keras leaves it unbuilt until it is called or built (fixtures/styles/hold31_sequential_only_input.py)
    only = analyze_source("import keras\nm = keras.Sequential([keras.Input((4,))])\n", "only.py")
    assert [h.label for h in hints(only.models, HintSettings())] == ['Σ "m": not built (never called)']
